package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nnrmtsvd.checkpoint.CheckpointFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files exchanged with independent Python code: one written by numpy and Python's json module
 * (make_safetensors_fixture.py beside it), and one written here and checked by
 * check_java_safetensors.py.
 */
class SafetensorsInteropTest {
    /** The float32 values the fixture stores as F16, the same list as SPECIAL in the script. */
    private static final float[] SPECIAL = {0f, -0f, 1f, -2.5f, 1 + 0x1p-11f, 1 + 3 * 0x1p-11f, 0x1p-25f,
        3 * 0x1p-25f, 0x1p-24f, 65504f, 65519f, 65520f, 1e-8f, 0.1f, (float) (-1.0 / 3)};

    static Path resource(String name) {
        try {
            return Path.of(SafetensorsInteropTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsAFileWrittenByPython() throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(resource("python_written.safetensors"))) {
            assertEquals(Map.of("format", "pt", "note", "written by numpy"), st.metadata());
            assertEquals(List.of("w.f32", "w.f64", "w.f16", "w.bf16", "steps"),
                    st.tensors().stream().map(TensorInfo::name).toList());

            float[] f32 = new float[6];
            for (int i = 0; i < 6; i++) {
                f32[i] = (float) ((i - 2.5) / 3);
            }
            assertArrayEquals(f32, st.readFloats("w.f32"));
            assertArrayEquals(new long[] {2, 3}, st.tensor("w.f32").shape());

            assertArrayEquals(new double[] {0, 1 / 7.0, 2 / 7.0, 3 / 7.0}, st.readDoubles("w.f64"));
            assertArrayEquals(new long[] {4, 1}, st.tensor("w.f64").shape());

            // numpy's float32 -> float16 rounding, bit for bit
            ByteBuffer halves = ByteBuffer.wrap(st.readBytes("w.f16")).order(ByteOrder.LITTLE_ENDIAN);
            float[] decoded = st.readFloats("w.f16");
            for (int i = 0; i < SPECIAL.length; i++) {
                short bits = halves.getShort();
                assertEquals(HalfFloats.floatToF16(SPECIAL[i]), bits, "value " + SPECIAL[i]);
                assertEquals(HalfFloats.f16ToFloat(bits), decoded[i]);
            }
            assertEquals(1 + 0x1p-9f, decoded[5], "the tie rounds up to the even neighbour");
            assertEquals(Float.POSITIVE_INFINITY, decoded[11]);

            assertArrayEquals(new float[] {1f, -0.5f, 3.140625f, Float.intBitsToFloat(Float.floatToIntBits(1e-3f)
                    & 0xffff0000)}, st.readFloats("w.bf16"));

            ByteBuffer steps = ByteBuffer.wrap(st.readBytes("steps")).order(ByteOrder.LITTLE_ENDIAN);
            assertArrayEquals(new long[] {1, -2, 1L << 40, 7},
                    new long[] {steps.getLong(), steps.getLong(), steps.getLong(), steps.getLong()});
        }
    }


    @Test
    void writesAFileThatPythonReads(@TempDir Path dir) throws IOException, InterruptedException {
        CheckpointFixtures.requirePython("python3", "numpy");
        float[] f32 = new float[6];
        for (int i = 0; i < 6; i++) {
            f32[i] = (float) ((i - 2.5) / 3);
        }
        Path file = dir.resolve("java.safetensors");
        SafetensorsWriter.write(file, Map.of("written by", "java"), List.of(
                SafetensorsWriter.Tensor.ofFloats("w.f32", Dtype.F32, new long[] {2, 3}, f32),
                SafetensorsWriter.Tensor.ofFloats("w.f16", Dtype.F16, new long[] {SPECIAL.length}, SPECIAL),
                SafetensorsWriter.Tensor.ofFloats("w.bf16", Dtype.BF16, new long[] {3},
                        new float[] {1f, -0.5f, 3.140625f}),
                SafetensorsWriter.Tensor.ofDoubles("w.f64", Dtype.F64, new long[] {4, 1},
                        new double[] {0, 1 / 7.0, 2 / 7.0, 3 / 7.0})));
        Process python = new ProcessBuilder("python3", resource("check_java_safetensors.py").toString(),
                file.toString()).redirectErrorStream(true).start();
        String output;
        try (InputStream out = python.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(0, python.waitFor(), output);
        assertEquals("ok", output.strip());
    }
}
