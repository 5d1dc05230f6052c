package io.nnrmtsvd.io;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One file of named tensors, opened and validated, read a tensor at a time: a safetensors file
 * ({@link SafetensorsFile}) or a PyTorch {@code torch.save} archive ({@link TorchFile}). Lookups by
 * name take constant time.
 */
public interface TensorFile extends Closeable {
    /** The file. */
    Path path();

    /** Every tensor, in the file's order. */
    List<TensorInfo> tensors();

    /** Whether the file holds a tensor of that name. */
    boolean contains(String name);

    /**
     * The tensor of that name.
     *
     * @throws IllegalArgumentException if there is none
     */
    TensorInfo tensor(String name);

    /** The values of a floating-point tensor as float, in C order. */
    float[] readFloats(String name);

    /** The values of a floating-point tensor as double, in C order. */
    double[] readDoubles(String name);

    /** The bytes of any tensor, little-endian, in C order. */
    byte[] readBytes(String name);

    /** The file's string metadata (safetensors' {@code __metadata__}); empty where the format has none. */
    Map<String, String> metadata();
}
