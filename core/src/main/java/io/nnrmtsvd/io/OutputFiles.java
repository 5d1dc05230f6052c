package io.nnrmtsvd.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks made before long work, so that it neither ends in an unwritable output nor writes over
 * something the user owns by accident: an output must not be one of the command's inputs (compared
 * by identity, device and inode, however the two paths are spelled: through symbolic links, hard
 * links, {@code /proc/self/cwd} or {@code ..}), must not be a special file, and its directory must
 * exist and be writable.
 */
public final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * Fails now if {@code file} cannot be created or replaced as a regular file.
     *
     * @param inputs the files and directories the command reads
     * @throws InvalidInputException naming the problem
     */
    public static void checkWritable(Path file, List<Path> inputs) {
        FileKind kind = FileKind.of(file, true);
        if (kind != FileKind.REGULAR_FILE && kind != FileKind.MISSING) {
            throw new InvalidInputException(file + ": is " + kind.words() + "; the output must be a regular file");
        }
        checkNotAnInput(resolved(file), inputs);
    }

    /**
     * Fails now if the directory {@code dir} cannot be created new: it must not exist yet.
     *
     * @param inputs the files and directories the command reads
     * @throws InvalidInputException naming the problem
     */
    public static void checkNewDirectory(Path dir, List<Path> inputs) {
        Path resolved = resolved(dir);
        checkNotAnInput(resolved, inputs);
        if (FileKind.of(resolved, false) != FileKind.MISSING) {
            throw new InvalidInputException(dir + ": already exists; the output is a new directory");
        }
    }

    /**
     * Where writing {@code out} really goes: its directory as the file system resolves it (links
     * and {@code ..} followed, never by string rules, which would turn {@code missing/../x} into
     * {@code x}) and its name.
     *
     * @throws InvalidInputException if the directory does not exist or is not writable
     */
    public static Path resolved(Path out) {
        Path absolute = out.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidInputException(out + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new InvalidInputException(out + ": directory " + dir + " is not writable");
        }
        try {
            return dir.toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            throw InvalidInputException.unreadable(dir, e);
        }
    }

    /** Whether {@code a} and {@code b} name the same existing file or directory (by device and inode). */
    public static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static void checkNotAnInput(Path out, List<Path> inputs) {
        for (Path input : inputs) {
            if (sameFile(out, input)) {
                throw new InvalidInputException(out + ": is the input " + input + "; the output must not replace it");
            }
        }
    }
}
