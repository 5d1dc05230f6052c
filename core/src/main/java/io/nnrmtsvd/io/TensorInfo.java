package io.nnrmtsvd.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor entry of a safetensors header: its name, element type, shape, and the byte range
 * {@code [begin, end)} of its little-endian, C-order data, relative to the start of the data
 * section.
 *
 * @param name unique within its file
 * @param dtype element type
 * @param shape dimensions, each non-negative; empty for a scalar (copied in and out)
 * @param begin first byte, relative to the data section
 * @param end one past the last byte
 */
public record TensorInfo(String name, Dtype dtype, long[] shape, long begin, long end) {
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The product of the dimensions, or -1 if it overflows a long. */
    public long elementCount() {
        return elementCount(shape);
    }

    /** {@code end - begin}. */
    public long byteLength() {
        return end - begin;
    }

    /** The product of {@code dims}, or -1 if one is negative or the product overflows a long. */
    static long elementCount(long[] dims) {
        for (long d : dims) {
            if (d < 0) {
                return -1;
            }
            if (d == 0) {
                return 0;
            }
        }
        long count = 1;
        for (long d : dims) {
            if (Math.multiplyHigh(count, d) != 0 || count * d < 0) {
                return -1;
            }
            count *= d;
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.dtype == dtype
                && Arrays.equals(t.shape, shape) && t.begin == begin && t.end == end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
}
