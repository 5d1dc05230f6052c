package io.nnrmtsvd.run;

import io.nnrmtsvd.io.AtomicFiles;
import io.nnrmtsvd.io.FileKind;
import io.nnrmtsvd.io.InvalidInputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directory a run writes its metrics, data, plots and report into, and, for a run that can be
 * resumed, its journal or snapshot. Unless chosen, it is a new directory
 * {@code <runs>/<UTC time>-<command>} (e.g. {@code runs/20261125T101112Z-train}), where
 * {@code <runs>} is the system property {@value #RUNS_PROPERTY} or else {@code runs} in the working
 * directory; a suffix {@code -2}, {@code -3}, ... keeps runs of the same second apart.
 *
 * <p>Nothing the user owns is written over: a chosen directory must be new or empty (a directory
 * holding another run is continued with {@link #existing}, never started again), and while a
 * process uses a run directory it holds a lock on its {@value #LOCK_FILE}, so a second process
 * that tries to use it at the same time is refused. Files are written atomically. A command that
 * fails before writing anything into a directory it created removes it
 * ({@link #releaseAll(boolean)}), so a mistake leaves no empty run behind.
 */
public final class RunDirectory implements AutoCloseable {
    /** System property naming the directory that new runs go under. */
    public static final String RUNS_PROPERTY = "rmtsvd.runs";
    /** The run's metrics, which the report is drawn from. */
    public static final String METRICS_FILE = "metrics.json";
    /** The file whose lock marks the directory as in use. */
    public static final String LOCK_FILE = ".rmtsvd.lock";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    /** Locks this process holds, by real path, so that it can release them and re-open a directory. */
    private static final Map<Path, FileLock> HELD = new ConcurrentHashMap<>();
    /** The held directories this process created, by real path: the only ones it may remove. */
    private static final Set<Path> CREATED = ConcurrentHashMap.newKeySet();

    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    /**
     * Opens {@code chosen}, created if missing and refused unless it is empty, or creates a new
     * directory for the command.
     *
     * @param chosen the directory to use, or null for a new one under the runs directory
     * @throws InvalidInputException if {@code chosen} is not a directory, is not empty, or is in use
     * @throws IOException if the directory cannot be created
     */
    public static RunDirectory open(Path chosen, String command, Instant time) throws IOException {
        if (chosen != null) {
            checkUsable(chosen);
            boolean created = FileKind.of(chosen, true) == FileKind.MISSING;
            Files.createDirectories(chosen);
            checkUsable(chosen); // again: another process may have written into it meanwhile
            return locked(chosen, created);
        }
        Path runs = Files.createDirectories(Path.of(System.getProperty(RUNS_PROPERTY, "runs")));
        String name = STAMP.format(time) + "-" + command;
        for (int attempt = 1; ; attempt++) {
            Path candidate = runs.resolve(attempt == 1 ? name : name + "-" + attempt);
            try {
                return locked(Files.createDirectory(candidate), true);
            } catch (FileAlreadyExistsException e) {
                // another run of the same second: try the next suffix
            }
        }
    }

    /**
     * Fails now, before any work, if {@code chosen} cannot become a new run directory: it must be
     * missing, or an empty directory.
     *
     * @throws InvalidInputException saying why not, and how to continue a run found there
     */
    public static void checkUsable(Path chosen) throws IOException {
        FileKind kind = FileKind.of(chosen, true);
        if (kind == FileKind.MISSING) {
            return;
        }
        if (kind != FileKind.DIRECTORY) {
            throw new InvalidInputException("--run-dir " + chosen + ": is " + kind.words() + ", not a directory");
        }
        List<String> found = entries(chosen);
        if (!found.isEmpty()) {
            throw new InvalidInputException("--run-dir " + chosen + ": " + (holdsRun(found)
                    ? "holds another run; continue it with --resume " + chosen + " or choose another --run-dir"
                    : "is not empty (" + String.join(", ", found.subList(0, Math.min(3, found.size())))
                            + (found.size() > 3 ? ", ..." : "") + "); a run directory must be new or empty"));
        }
    }

    /**
     * An existing run directory, to continue its run or draw its report again.
     *
     * @throws InvalidInputException if it is not a directory or is in use
     */
    public static RunDirectory existing(Path path) throws IOException {
        FileKind kind = FileKind.of(path, true);
        if (kind != FileKind.DIRECTORY) {
            throw new InvalidInputException(path + ": " + (kind == FileKind.MISSING ? "no such directory"
                    : "is " + kind.words() + ", not a run directory"));
        }
        return locked(path, false);
    }

    /**
     * Releases every run directory this process holds, e.g. when a command ends; after a failed
     * command, also removes those it created that hold nothing but their lock file.
     */
    public static void releaseAll(boolean failed) {
        for (Path p : List.copyOf(HELD.keySet())) {
            release(p);
            if (failed && CREATED.contains(p)) {
                removeIfEmpty(p);
            }
        }
        CREATED.clear();
    }

    private static void removeIfEmpty(Path dir) {
        try {
            if (entries(dir).isEmpty()) {
                Files.deleteIfExists(dir.resolve(LOCK_FILE));
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            // something was written meanwhile, or it is gone: leave it as it is
        }
    }

    public Path path() {
        return path;
    }

    /** Writes a UTF-8 text file into the directory, atomically; returns its path. */
    public Path writeText(String name, String text) throws IOException {
        return writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a file into the directory, atomically; returns its path. */
    public Path writeBytes(String name, byte[] content) throws IOException {
        Path file = path.resolve(name);
        AtomicFiles.write(file, out -> out.write(content));
        return file;
    }

    /** Releases the directory for other processes. */
    @Override
    public void close() {
        try {
            release(path.toRealPath());
        } catch (IOException e) {
            // gone already: nothing to release
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }

    private static RunDirectory locked(Path dir, boolean created) throws IOException {
        Path real = dir.toRealPath();
        if (!HELD.containsKey(real)) {
            FileChannel channel = FileChannel.open(real.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new InvalidInputException(dir + ": another rmtsvd process is using this run directory now");
            }
            HELD.put(real, lock);
            if (created) {
                CREATED.add(real);
            }
        }
        return new RunDirectory(dir);
    }

    private static void release(Path real) {
        FileLock lock = HELD.remove(real);
        if (lock != null) {
            try {
                lock.channel().close();
            } catch (IOException e) {
                // the lock goes with the channel or the process
            }
        }
    }

    /** The names in {@code dir} but the lock file. */
    private static List<String> entries(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            for (Path p : list) {
                String name = p.getFileName().toString();
                if (!name.equals(LOCK_FILE)) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    private static boolean holdsRun(List<String> names) {
        return names.contains(METRICS_FILE) || names.contains(Journal.SETTINGS) || names.contains(Journal.TENSORS)
                || names.contains(TrainingRun.SNAPSHOT_FILE);
    }
}
