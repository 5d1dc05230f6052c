package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.function.Executable;

/**
 * Named pipes for tests of the readers' refusal of special files. A test that needs one is skipped
 * where {@code mkfifo} is missing.
 */
public final class SpecialFiles {
    private SpecialFiles() {
    }

    /** Makes a named pipe at {@code path} with {@code mkfifo}; returns {@code path}. */
    public static Path fifo(Path path) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no mkfifo here: " + e.getMessage());
            throw e;
        }
        p.getInputStream().readAllBytes();
        Assumptions.assumeTrue(p.waitFor() == 0 && Files.exists(path), "mkfifo failed");
        return path;
    }

    /**
     * Asserts that {@code read} fails within a second with a one-line {@link InvalidInputException}
     * that names {@code pipe} and says it is a named pipe. A reader that blocked on the pipe instead
     * is released afterwards (a read-write open of a pipe does not block on Linux and acts as a
     * writer), so a failing test leaves no thread stuck behind.
     */
    public static InvalidInputException assertRefusedQuickly(Path pipe, Executable read) throws IOException {
        try {
            InvalidInputException e = assertTimeoutPreemptively(Duration.ofSeconds(1),
                    () -> assertThrows(InvalidInputException.class, read));
            String message = e.getMessage();
            assertTrue(message.contains(pipe.toString()) && message.contains("is a named pipe (FIFO)"), message);
            assertFalse(message.contains("\n"), message);
            return e;
        } finally {
            FileChannel.open(pipe, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
        }
    }
}
