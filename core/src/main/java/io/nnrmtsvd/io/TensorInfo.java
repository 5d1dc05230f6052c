package io.nnrmtsvd.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor entry of a safetensors header: its name, element type, shape, and the byte range
 * {@code [begin, end)} of its little-endian, C-order data, relative to the start of the data
 * section. Immutable.
 *
 * <p>A header may hold millions of entries, so this is kept small: five fields, and the shape
 * array shared between entries that {@link SafetensorsHeader} found equal (it is never handed
 * out, only copies of it).
 */
public final class TensorInfo {
    private final String name;
    private final Dtype dtype;
    private final long[] shape;
    private final long begin;
    private final long end;

    /**
     * @param name unique within its file
     * @param dtype element type
     * @param shape dimensions, each non-negative; empty for a scalar (copied)
     * @param begin first byte, relative to the data section
     * @param end one past the last byte
     */
    public TensorInfo(String name, Dtype dtype, long[] shape, long begin, long end) {
        this(name, dtype, begin, end, shape.clone());
    }

    private TensorInfo(String name, Dtype dtype, long begin, long end, long[] ownShape) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = ownShape;
        this.begin = begin;
        this.end = end;
    }

    /** An entry holding {@code shape} itself, not a copy: nobody may change it afterwards. */
    static TensorInfo sharingShape(String name, Dtype dtype, long[] shape, long begin, long end) {
        return new TensorInfo(name, dtype, begin, end, shape);
    }

    /** Unique within its file. */
    public String name() {
        return name;
    }

    /** Element type. */
    public Dtype dtype() {
        return dtype;
    }

    /** The dimensions (a copy); empty for a scalar. */
    public long[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Dimension {@code i}, counted from 0. */
    public long dimension(int i) {
        return shape[i];
    }

    /** First byte, relative to the data section. */
    public long begin() {
        return begin;
    }

    /** One past the last byte, relative to the data section. */
    public long end() {
        return end;
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
