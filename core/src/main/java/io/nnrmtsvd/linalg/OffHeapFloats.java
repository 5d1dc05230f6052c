package io.nnrmtsvd.linalg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Direct (off-heap) float buffers in native byte order. BLAS reads and writes them in place, so
 * the training loop copies nothing per call, and Java loops over them are compiled to plain
 * memory accesses.
 */
public final class OffHeapFloats {
    private OffHeapFloats() {
    }

    /** Where buffers start: a cache line, where BLAS kernels read and write fastest. */
    private static final int ALIGNMENT = 64;

    /**
     * Allocates a zero-filled direct buffer starting on a cache line ({@value #ALIGNMENT} bytes;
     * large direct buffers otherwise start 16 bytes past a page).
     *
     * @param length number of floats, at most {@code (Integer.MAX_VALUE - 128) / 4}
     */
    public static FloatBuffer allocate(long length) {
        if (length < 0 || length > (Integer.MAX_VALUE - 2 * ALIGNMENT) / Float.BYTES) {
            throw new IllegalArgumentException("cannot allocate " + length + " floats off-heap");
        }
        int bytes = (int) length * Float.BYTES;
        // alignedSlice moves the start up and the end down to cache lines: room for both.
        return ByteBuffer.allocateDirect(bytes + 2 * ALIGNMENT)
                .alignedSlice(ALIGNMENT)
                .limit(bytes)
                .slice()
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /** A new direct buffer holding a copy of {@code values}. */
    public static FloatBuffer copyOf(float[] values) {
        FloatBuffer buffer = allocate(values.length);
        buffer.put(0, values);
        return buffer;
    }

    /** A new heap array holding a copy of the whole buffer (position and limit ignored). */
    public static float[] toArray(FloatBuffer buffer) {
        float[] values = new float[buffer.capacity()];
        buffer.get(0, values);
        return values;
    }

    /** A view of {@code length} floats starting at {@code offset}, sharing memory with {@code buffer}. */
    public static FloatBuffer view(FloatBuffer buffer, int offset, int length) {
        return buffer.slice(offset, length);
    }
}
