package io.nnrmtsvd.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a path names, in words for messages: a regular file, a directory, a named pipe (FIFO), a
 * character or block device, a socket, a symbolic link, or nothing. Looking never opens the path,
 * so a FIFO or a device cannot block or change anything.
 */
public enum FileKind {
    REGULAR_FILE("a regular file"),
    DIRECTORY("a directory"),
    FIFO("a named pipe (FIFO)"),
    CHARACTER_DEVICE("a character device"),
    BLOCK_DEVICE("a block device"),
    SOCKET("a socket"),
    SYMBOLIC_LINK("a symbolic link"),
    OTHER("a special file"),
    MISSING("missing");

    private static final int TYPE_MASK = 0170000;
    private final String words;

    FileKind(String words) {
        this.words = words;
    }

    /** E.g. "a named pipe (FIFO)". */
    public String words() {
        return words;
    }

    /** What {@code path} itself is; a symbolic link is followed only when {@code follow}. */
    public static FileKind of(Path path, boolean follow) {
        LinkOption[] options = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, options);
        } catch (IOException e) {
            return MISSING;
        }
        if (a.isRegularFile()) {
            return REGULAR_FILE;
        }
        if (a.isDirectory()) {
            return DIRECTORY;
        }
        if (a.isSymbolicLink()) {
            return SYMBOLIC_LINK;
        }
        try {
            int type = (Integer) Files.getAttribute(path, "unix:mode", options) & TYPE_MASK;
            return switch (type) {
                case 0010000 -> FIFO;
                case 0020000 -> CHARACTER_DEVICE;
                case 0060000 -> BLOCK_DEVICE;
                case 0140000 -> SOCKET;
                default -> OTHER;
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return OTHER;
        }
    }
}
