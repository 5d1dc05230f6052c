package io.nnrmtsvd.run;

import io.nnrmtsvd.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The directory a run writes its metrics, data, plots and report into. Unless chosen, it is a new
 * directory {@code <runs>/<UTC time>-<command>} (e.g. {@code runs/20261125T101112Z-train}), where
 * {@code <runs>} is the system property {@value #RUNS_PROPERTY} or else {@code runs} in the working
 * directory; a suffix {@code -2}, {@code -3}, ... keeps runs of the same second apart. Files are
 * written atomically.
 */
public final class RunDirectory {
    /** System property naming the directory that new runs go under. */
    public static final String RUNS_PROPERTY = "rmtsvd.runs";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    /**
     * Opens {@code chosen} (created if missing), or creates a new directory for the command.
     *
     * @param chosen the directory to use, or null for a new one under the runs directory
     * @throws IOException if the directory cannot be created
     */
    public static RunDirectory open(Path chosen, String command, Instant time) throws IOException {
        if (chosen != null) {
            return new RunDirectory(Files.createDirectories(chosen));
        }
        Path runs = Files.createDirectories(Path.of(System.getProperty(RUNS_PROPERTY, "runs")));
        String name = STAMP.format(time) + "-" + command;
        for (int attempt = 1; ; attempt++) {
            Path candidate = runs.resolve(attempt == 1 ? name : name + "-" + attempt);
            try {
                return new RunDirectory(Files.createDirectory(candidate));
            } catch (FileAlreadyExistsException e) {
                // another run of the same second: try the next suffix
            }
        }
    }

    /** An existing run directory. */
    public static RunDirectory existing(Path path) {
        return new RunDirectory(path);
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

    @Override
    public String toString() {
        return path.toString();
    }
}
