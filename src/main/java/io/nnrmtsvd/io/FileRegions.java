package io.nnrmtsvd.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Positional reads from a file channel that turn a short read into a clear error. */
final class FileRegions {
    private FileRegions() {
    }

    /**
     * Fills {@code buffer} from its position to its limit with the bytes at {@code position}.
     *
     * @param buffer destination; modified (position advances to the limit)
     * @throws InvalidInputException if the file ends first
     */
    static void readFully(FileChannel channel, Path file, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw InvalidInputException.inFile(file, "truncated: file ends at byte " + at
                        + " but " + buffer.remaining() + " more bytes were expected");
            }
            at += n;
        }
    }
}
