package io.nnrmtsvd.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes files so that readers see either the old file or the complete new one, never a partial
 * file: the content goes to a hidden temporary file beside the target, is flushed to disk, and is
 * then renamed over the target in one atomic step. Every file the program writes goes through
 * here, and so does every directory that must appear whole ({@link #temporaryDirectoryFor}).
 *
 * <p>What it promises beyond atomicity:
 * <ul>
 *   <li>A target that exists and is not a regular file (a directory, a device, a FIFO, a socket)
 *       is refused; a symbolic link is written through, so the link stays and the file it names
 *       is replaced.
 *   <li>Files get the permissions the process's umask gives new files, as any program's output.
 *   <li>Temporary names carry the process id ({@code .NAME.PID-RANDOM.tmp}); before writing a
 *       target, leftovers of the same target from processes that no longer run (killed with
 *       SIGKILL, say) are removed.
 *   <li>When the process is interrupted, {@link #abortBeforeExit} removes every temporary file and
 *       directory still being written and blocks every later rename, so that what the process
 *       then says was saved is exactly what is on disk ({@link Exit}).
 * </ul>
 */
public final class AtomicFiles {
    private static final int BUFFER_BYTES = 1 << 16;
    private static final String TEMP_SUFFIX = ".tmp";
    /** Renames take it; {@link #abortBeforeExit} takes it once and for all. */
    private static final ReentrantLock COMMIT = new ReentrantLock();
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
    private static final List<Path> COMMITTED = new ArrayList<>();
    /** Rounds of removal of a temporary directory on exit, 20 ms apart. */
    private static final int ABORT_ATTEMPTS = 50;
    private static volatile boolean closed;

    private AtomicFiles() {
    }

    /** Produces the content of a file. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the whole content to {@code out}. Must not close {@code out}.
         *
         * @param out buffered stream into the temporary file; modified
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * What an interrupted process left.
     *
     * @param committed targets completed since {@link #startRecording}, in order
     * @param removed temporary files and directories removed because they were still being written
     */
    public record Exit(List<Path> committed, List<Path> removed) {
        public Exit {
            committed = List.copyOf(committed);
            removed = List.copyOf(removed);
        }
    }

    /**
     * Writes {@code target} atomically, creating its parent directories if needed and replacing
     * an existing regular file. If {@code content} throws, the temporary file is deleted, the
     * target is left as it was, and the exception propagates.
     *
     * @param target the file to create or replace; not modified unless the whole write succeeds
     * @param content writes the bytes
     * @throws InvalidInputException if the target exists and is not a regular file
     * @throws IOException if writing, syncing or renaming fails, or {@code content} throws it
     */
    public static void write(Path target, Content content) throws IOException {
        Path destination = destination(target);
        Path dir = destination.getParent();
        removeLeftovers(dir, destination.getFileName().toString());
        Path temp = newTemporary(dir, destination.getFileName().toString(), TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            commit(temp, destination, true);
        } finally {
            PENDING.remove(temp);
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Runs {@code writes} (calls of {@link #write}, and whatever records that they were made) as
     * one unit that an interruption waits for as a whole, so an exit never falls between a file
     * and the note that it exists. Keep it short: the process cannot exit while it runs.
     */
    public static void together(Runnable writes) {
        COMMIT.lock(); // reentrant: the renames inside take it again
        try {
            writes.run();
        } finally {
            COMMIT.unlock();
        }
    }

    /**
     * A new hidden directory beside {@code target} in which to build a directory that must appear
     * whole; {@link #commitDirectory} renames it into place, {@link #discard} removes it. Until
     * then an interruption removes it.
     */
    public static Path temporaryDirectoryFor(Path target) throws IOException {
        Path absolute = resolvedParent(target);
        Path dir = absolute.getParent();
        removeLeftovers(dir, absolute.getFileName().toString());
        return newTemporary(dir, absolute.getFileName().toString(), "");
    }

    /**
     * Renames a finished directory from {@link #temporaryDirectoryFor} to {@code target}, which
     * must not exist.
     *
     * @throws IOException if the target exists or the rename fails
     */
    public static void commitDirectory(Path temp, Path target) throws IOException {
        Path absolute = resolvedParent(target);
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(absolute.toString());
        }
        commit(temp, absolute, false);
        PENDING.remove(temp);
    }

    /** Removes a temporary directory from {@link #temporaryDirectoryFor} and what it holds, if it is still there. */
    public static void discard(Path temp) throws IOException {
        deleteTree(temp);
        PENDING.remove(temp);
    }

    /**
     * Renames {@code source} to {@code target} in one atomic step, replacing {@code target} if it
     * exists. Both must be on the same file system.
     */
    public static void moveAtomically(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Starts the record of completed targets that {@link #abortBeforeExit} reports (one command's). */
    public static void startRecording() {
        synchronized (COMMITTED) {
            COMMITTED.clear();
        }
    }

    /**
     * For a process that is about to exit (a shutdown hook on SIGINT or SIGTERM): waits for a rename
     * or a {@link #together} unit under way, then blocks every later rename and removes every
     * temporary file and directory still being written. Never call it from a thread that is writing.
     *
     * @return what was completed since {@link #startRecording} and what was removed
     */
    public static Exit abortBeforeExit() {
        COMMIT.lock(); // held for good: nothing is renamed into place after this
        closed = true;
        List<Path> removed = new ArrayList<>();
        for (Path temp : List.copyOf(PENDING)) {
            // A writing thread may create a file in a directory between the listing and the removal;
            // it cannot create more once closed is set (newTemporary), so a few rounds settle it.
            for (int attempt = 0; attempt < ABORT_ATTEMPTS; attempt++) {
                try {
                    deleteTree(temp);
                    removed.add(temp);
                    break;
                } catch (IOException e) {
                    // tried again; after the last attempt, the next write of the same target removes it
                    pause();
                }
            }
        }
        synchronized (COMMITTED) {
            return new Exit(COMMITTED, removed);
        }
    }

    /**
     * Where a write of {@code target} goes: the file a symbolic link names, or the target itself in
     * its directory as the file system resolves it (never by string rules, which would turn
     * {@code missing/../x} into {@code x}).
     */
    private static Path destination(Path target) throws IOException {
        Path absolute = resolvedParent(target);
        FileKind kind = FileKind.of(absolute, false);
        if (kind == FileKind.SYMBOLIC_LINK) {
            if (FileKind.of(absolute, true) == FileKind.MISSING) {
                throw new InvalidInputException(target + ": is a symbolic link to nothing; not writing through it");
            }
            absolute = absolute.toRealPath();
            kind = FileKind.of(absolute, false);
        }
        if (kind != FileKind.REGULAR_FILE && kind != FileKind.MISSING) {
            throw new InvalidInputException(target + ": is " + kind.words() + ", not a regular file; not replacing it");
        }
        return absolute;
    }

    /** {@code target} in its directory's real path, the directory created if missing. */
    private static Path resolvedParent(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        return dir.toRealPath().resolve(absolute.getFileName());
    }

    /** Creates {@code .NAME.PID-RANDOM<suffix>} in {@code dir} (a file for a suffix, else a directory). */
    private static Path newTemporary(Path dir, String name, String suffix) throws IOException {
        while (true) {
            Path temp = dir.resolve("." + name + "." + ProcessHandle.current().pid() + "-"
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + suffix);
            try {
                if (suffix.isEmpty()) {
                    Files.createDirectory(temp);
                } else {
                    Files.createFile(temp);
                }
                PENDING.add(temp);
                if (closed) { // the process is exiting: what abortBeforeExit may already have swept
                    deleteTree(temp);
                    PENDING.remove(temp);
                    throw new IOException("the process is exiting; " + dir.resolve(name) + " was not written");
                }
                return temp;
            } catch (FileAlreadyExistsException e) {
                // another name
            }
        }
    }

    private static void commit(Path temp, Path target, boolean replace) throws IOException {
        COMMIT.lock();
        try {
            if (closed) {
                throw new IOException("the process is exiting; " + target + " was not written");
            }
            if (replace) {
                moveAtomically(temp, target);
            } else {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            synchronized (COMMITTED) {
                COMMITTED.add(target);
            }
        } finally {
            COMMIT.unlock();
        }
    }

    /**
     * Removes what earlier processes left while writing {@code name} in {@code dir}: temporary files
     * and directories named for it whose process no longer runs.
     */
    private static void removeLeftovers(Path dir, String name) {
        Pattern ours = Pattern.compile(Pattern.quote("." + name + ".") + "(\\d{1,18})-[0-9a-z]+(\\.tmp)?");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                entry -> ours.matcher(entry.getFileName().toString()).matches())) {
            for (Path entry : entries) {
                Matcher m = ours.matcher(entry.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    deleteTree(entry);
                }
            }
        } catch (IOException e) {
            // a leftover that cannot be listed or removed stays; the write itself goes on
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
