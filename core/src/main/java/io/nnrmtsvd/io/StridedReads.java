package io.nnrmtsvd.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Checks and reads a strided view of a storage: {@code shape[i]} elements along dimension i,
 * {@code strides[i]} storage elements apart, from element {@code offset}, delivered in C order.
 *
 * <p>A view is readable if it lies inside its storage, has no more elements than the storage
 * (a broadcast view could otherwise declare any size over a one-element storage), and visiting
 * its dimensions from the largest stride to the smallest never steps backwards in the storage.
 * Every view PyTorch makes by slicing, transposing, permuting or narrowing a tensor passes; views
 * whose elements interleave out of order (possible only through {@code as_strided}) do not. Reading
 * then walks the storage once, forwards, through a window of at most 1 MiB, and scatters each
 * element to its C-order position: memory is the result plus the window, and each storage byte
 * is read at most once.
 */
final class StridedReads {
    private static final int WINDOW_BYTES = 1 << 20;

    /** Receives element {@code outIndex} (in C order), found at {@code byteOffset} in {@code window}. */
    @FunctionalInterface
    interface ElementSink {
        void put(int outIndex, ByteBuffer window, int byteOffset);
    }

    private StridedReads() {
    }

    /**
     * Why the view cannot be read, or null if it can.
     *
     * @param numel the storage's length in elements
     */
    static String problem(long offset, long[] shape, long[] strides, long numel) {
        long count = TensorInfo.elementCount(shape);
        if (count < 0) {
            return "its shape " + Arrays.toString(shape) + " has more than 2^63 elements";
        }
        if (count == 0) {
            return null;
        }
        long last;
        try {
            last = offset;
            for (int i = 0; i < shape.length; i++) {
                last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, strides[i]));
            }
        } catch (ArithmeticException e) {
            return "its strides " + Arrays.toString(strides) + " reach beyond element 2^63";
        }
        if (last >= numel) {
            return view(offset, shape, strides) + " reaches element " + last + " of a storage of " + numel + " elements";
        }
        if (count > numel) {
            return view(offset, shape, strides) + " has " + count + " elements, more than its storage's " + numel
                    + " (a broadcast view, which is not read)";
        }
        int[] order = traversal(shape, strides);
        long inner = 0;
        for (int j = order.length - 1; j >= 0; j--) {
            int d = order[j];
            if (strides[d] < inner) {
                return view(offset, shape, strides) + " interleaves its elements out of storage order, which is not read";
            }
            inner += (shape[d] - 1) * strides[d];
        }
        return null;
    }

    private static String view(long offset, long[] shape, long[] strides) {
        return "its view (offset " + offset + ", shape " + Arrays.toString(shape) + ", strides "
                + Arrays.toString(strides) + ")";
    }

    /** Whether the view is C-contiguous: strides are the C-order ones, ignoring dimensions of size 1. */
    static boolean contiguous(long[] shape, long[] strides) {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 0) {
                return true;
            }
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** The dimensions of size above 1, largest stride first (outermost in the storage walk); ties keep their order. */
    private static int[] traversal(long[] shape, long[] strides) {
        int[] dims = new int[shape.length];
        int k = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > 1) {
                int j = k++;
                while (j > 0 && strides[dims[j - 1]] < strides[i]) { // insertion sort: at most 64 dimensions
                    dims[j] = dims[j - 1];
                    j--;
                }
                dims[j] = i;
            }
        }
        return Arrays.copyOf(dims, k);
    }

    /**
     * Reads a view that {@link #problem} accepted and that has {@code count} elements, passing
     * each to {@code sink} with its C-order index.
     *
     * @param dataStart where the storage's element 0 is in the file
     */
    static void read(FileChannel channel, Path file, long dataStart, int itemSize, ByteOrder order, long offset,
            long[] shape, long[] strides, int count, ElementSink sink) throws IOException {
        if (count == 0) {
            return;
        }
        int[] dims = traversal(shape, strides);
        int k = dims.length;
        long[] n = new long[k];
        long[] step = new long[k];
        long[] outStep = new long[k];
        long[] cOrder = new long[shape.length];
        long span = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            cOrder[i] = span;
            span *= shape[i];
        }
        long last = offset;
        for (int j = 0; j < k; j++) {
            n[j] = shape[dims[j]];
            step[j] = strides[dims[j]];
            outStep[j] = cOrder[dims[j]];
            last += (n[j] - 1) * step[j];
        }
        int perWindow = WINDOW_BYTES / itemSize;
        ByteBuffer window = ByteBuffer.allocate((int) Math.min(perWindow, last - offset + 1) * itemSize).order(order);
        long windowFirst = 0;
        long windowEnd = 0; // no element loaded yet
        long[] index = new long[k];
        long at = offset;
        long out = 0;
        for (int e = 0; e < count; e++) {
            if (at >= windowEnd) {
                windowFirst = at;
                int elements = (int) Math.min(perWindow, last - at + 1);
                window.clear().limit(elements * itemSize);
                BinaryReads.readFully(channel, file, window, dataStart + at * itemSize);
                windowEnd = at + elements;
            }
            sink.put((int) out, window, (int) (at - windowFirst) * itemSize);
            for (int j = k - 1; j >= 0; j--) {
                index[j]++;
                at += step[j];
                out += outStep[j];
                if (index[j] < n[j]) {
                    break;
                }
                at -= n[j] * step[j];
                out -= n[j] * outStep[j];
                index[j] = 0;
            }
        }
    }

    /** The floating-point element at {@code p} of {@code window}, exactly. */
    static double valueAt(Dtype dtype, ByteBuffer window, int p) {
        return switch (dtype) {
            case F64 -> window.getDouble(p);
            case F32 -> window.getFloat(p);
            case F16 -> HalfFloats.f16ToFloat(window.getShort(p));
            case BF16 -> HalfFloats.bf16ToFloat(window.getShort(p));
            default -> throw new IllegalArgumentException("not a floating-point dtype: " + dtype);
        };
    }
}
