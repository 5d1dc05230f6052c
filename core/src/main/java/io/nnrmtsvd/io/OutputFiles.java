package io.nnrmtsvd.io;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks made before long work, so that it does not end in an unwritable output. */
public final class OutputFiles {
    private OutputFiles() {
    }

    /** Fails now if {@code file} cannot be created: its directory must exist and be writable. */
    public static void checkWritable(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(file + ": is a directory");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidInputException(file + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new InvalidInputException(file + ": directory " + dir + " is not writable");
        }
    }
}
