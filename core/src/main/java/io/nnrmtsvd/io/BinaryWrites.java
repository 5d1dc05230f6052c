package io.nnrmtsvd.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/** Writes arrays of numbers as little-endian bytes through a small buffer. */
final class BinaryWrites {
    private static final int CHUNK_BYTES = 1 << 16;

    private BinaryWrites() {
    }

    /** Puts element {@code index} into a little-endian buffer. */
    @FunctionalInterface
    interface ElementWriter {
        void put(ByteBuffer buffer, int index);
    }

    /**
     * Writes elements {@code 0 .. count-1}, each {@code size} bytes, to {@code out}.
     *
     * @param out destination; modified
     */
    static void encode(WritableByteChannel out, int count, int size, ElementWriter element) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            if (chunk.remaining() < size) {
                drain(out, chunk);
            }
            element.put(chunk, i);
        }
        drain(out, chunk);
    }

    private static void drain(WritableByteChannel out, ByteBuffer chunk) throws IOException {
        chunk.flip();
        while (chunk.hasRemaining()) {
            out.write(chunk);
        }
        chunk.clear();
    }
}
