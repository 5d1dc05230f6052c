package io.nnrmtsvd.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What every reader asks of a path before it opens it, and strict reads of small inputs.
 *
 * <p>Opening a named pipe for reading waits for a writer that may never come, and a device such
 * as {@code /dev/zero} never ends, so readers call {@link #requireRegularFile(Path)} first: a path
 * that is not a regular file (after following symbolic links) is refused in one line that says
 * what it is. A path replaced by a special file between the check and the open is not caught.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Returns normally if {@code path} is a regular file or a symbolic link to one.
     *
     * @throws InvalidInputException naming the path and what it is otherwise: missing, a
     *     directory, a named pipe (FIFO), a character or block device, a socket, a dangling
     *     symbolic link
     */
    public static void requireRegularFile(Path path) {
        FileKind kind = FileKind.of(path, true);
        if (kind == FileKind.REGULAR_FILE) {
            return;
        }
        if (kind == FileKind.MISSING) {
            throw InvalidInputException.inFile(path, FileKind.of(path, false) == FileKind.SYMBOLIC_LINK
                    ? "is a dangling symbolic link, not a regular file" : "no such file");
        }
        throw InvalidInputException.inFile(path, "is " + kind.words() + ", not a regular file");
    }

    /**
     * The whole content of a regular file of at most {@code limit} bytes.
     *
     * @param limit at most {@code Integer.MAX_VALUE - 8}, the largest array
     * @throws InvalidInputException if it is not a regular file, is larger than {@code limit},
     *     or cannot be read
     */
    public static byte[] readBytes(Path path, long limit) {
        if (limit < 0 || limit > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("limit " + limit + " is not the length of an array");
        }
        requireRegularFile(path);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > limit) {
                throw InvalidInputException.inFile(path, "larger than the limit of " + limit + " bytes ("
                        + size + " bytes)");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) size);
            BinaryReads.readFully(channel, path, bytes, 0);
            return bytes.array();
        } catch (IOException e) {
            throw InvalidInputException.unreadable(path, e);
        }
    }

    /**
     * The content of a regular file of at most {@code limit} bytes of UTF-8 text, decoded
     * strictly: a malformed byte sequence is an error, never a replacement character.
     *
     * @throws InvalidInputException as {@link #readBytes(Path, long)} does, and for text that is
     *     not UTF-8, naming the offset of the first bad byte
     */
    public static String readString(Path path, long limit) {
        byte[] bytes = readBytes(path, limit);
        return decodeUtf8(path, bytes, bytes.length);
    }

    /**
     * The first {@code length} bytes of {@code bytes}, read from {@code file}, decoded strictly
     * as UTF-8.
     *
     * @param bytes not modified
     * @throws InvalidInputException naming the file and the offset of the first malformed byte
     *     sequence
     */
    public static String decodeUtf8(Path file, byte[] bytes, int length) {
        int bad = firstMalformedUtf8(bytes, 0, length);
        if (bad >= 0) {
            throw InvalidInputException.inFile(file, "not valid UTF-8 text (bad byte sequence at byte " + bad + ")");
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /**
     * The offset (from {@code offset}) of the first malformed or incomplete UTF-8 sequence in
     * {@code bytes[offset, offset + length)}, or -1 if there is none. The JDK's decoder judges
     * (overlong forms, surrogates and code points past U+10FFFF are malformed); its output goes to
     * a small buffer that is overwritten, so this allocates a few kilobytes whatever the length.
     */
    static int firstMalformedUtf8(byte[] bytes, int offset, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // a new decoder reports bad input
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position() - offset;
            }
            if (result.isUnderflow()) {
                return -1;
            }
            out.clear();
        }
    }
}
