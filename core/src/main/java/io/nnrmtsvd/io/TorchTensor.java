package io.nnrmtsvd.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where a tensor of a {@code torch.save} archive lives: a view of the storage in zip entry
 * {@code <archive>/data/<storageKey>}, from element {@code storageOffset}, with these strides (in
 * elements). Several tensors may view one storage.
 *
 * @param name the tensor's name in the state dict
 * @param dtype element type (the storage's)
 * @param shape dimensions, each non-negative; empty for a scalar (copied in and out)
 * @param storageKey names the storage entry
 * @param storageOffset first element, counted in the storage
 * @param strides storage elements between neighbours along each dimension (copied in and out)
 */
public record TorchTensor(String name, Dtype dtype, long[] shape, String storageKey, long storageOffset,
        long[] strides) {
    public TorchTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(storageKey, "storageKey");
        shape = shape.clone();
        strides = strides.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public long[] strides() {
        return strides.clone();
    }

    /** The product of the dimensions, or -1 if it overflows a long. */
    public long elementCount() {
        return TensorInfo.elementCount(shape);
    }

    /**
     * Whether the elements lie in C order one after another in the storage (dimensions of size 1
     * may have any stride). Other views are read by gathering their elements.
     */
    public boolean contiguous() {
        return StridedReads.contiguous(shape, strides);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TorchTensor t && t.name.equals(name) && t.dtype == dtype && Arrays.equals(t.shape, shape)
                && t.storageKey.equals(storageKey) && t.storageOffset == storageOffset
                && Arrays.equals(t.strides, strides);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), storageKey, storageOffset, Arrays.hashCode(strides));
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " storage " + storageKey + " @" + storageOffset
                + " strides " + Arrays.toString(strides);
    }
}
