package io.nnrmtsvd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.SafetensorsFile;
import io.nnrmtsvd.io.SafetensorsWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compressing a checkpoint copies tensors of the newest dtypes, packed or not, byte for byte. */
class PackedDtypesCompressTest {
    @TempDir
    Path dir;

    @Test
    void compressCopiesPackedAndMicroscalingTensorsByteForByte() throws Exception {
        SplittableRandom rng = new SplittableRandom(17);
        float[] weights = new float[64 * 48];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) rng.nextGaussian();
        }
        Map<String, byte[]> raw = Map.of("q.f4", bytes(rng, 5), "q.e2m3", bytes(rng, 3), "q.e3m2", bytes(rng, 6),
                "scale.e8m0", bytes(rng, 4), "q.fnuz", bytes(rng, 2), "r.fnuz", bytes(rng, 2));
        Path in = dir.resolve("quantised.safetensors");
        SafetensorsWriter.write(in, Map.of("format", "pt"), List.of(
                SafetensorsWriter.Tensor.ofFloats("mlp.weight", Dtype.F32, new long[] {64, 48}, weights),
                tensor("q.f4", Dtype.F4, new long[] {10}, raw),
                tensor("q.e2m3", Dtype.F6_E2M3, new long[] {2, 2}, raw),
                tensor("q.e3m2", Dtype.F6_E3M2, new long[] {8}, raw),
                tensor("scale.e8m0", Dtype.F8_E8M0, new long[] {4}, raw),
                tensor("q.fnuz", Dtype.F8_E4M3FNUZ, new long[] {2}, raw),
                tensor("r.fnuz", Dtype.F8_E5M2FNUZ, new long[] {1, 2}, raw)));
        Path out = dir.resolve("small.safetensors");
        CliRun run = CliRun.of("compress", in.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        try (SafetensorsFile small = SafetensorsFile.open(out)) {
            for (Map.Entry<String, byte[]> e : raw.entrySet()) {
                assertArrayEquals(e.getValue(), small.readBytes(e.getKey()), e.getKey());
            }
            assertEquals(Dtype.F6_E3M2, small.tensor("q.e3m2").dtype());
        }
    }

    private static byte[] bytes(SplittableRandom rng, int n) {
        byte[] b = new byte[n];
        rng.nextBytes(b);
        return b;
    }

    private static SafetensorsWriter.Tensor tensor(String name, Dtype dtype, long[] shape, Map<String, byte[]> raw) {
        return new SafetensorsWriter.Tensor(name, dtype, shape, out -> out.write(ByteBuffer.wrap(raw.get(name))));
    }
}
