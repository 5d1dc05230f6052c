package io.nnrmtsvd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.LargeSafetensors;
import io.nnrmtsvd.io.SafetensorsFile;
import io.nnrmtsvd.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsWeightsBiasesActivationsAndBiaslessFactors() throws IOException {
        Network base = Network.initialize(new int[] {6, 5, 3}, true, new SplittableRandom(2));
        DenseLayer factor = DenseLayer.of(6, 2, false, new float[12], null);
        DenseLayer up = DenseLayer.of(2, 5, true, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
                new float[] {1, 1, 1, 1, 1});
        Network net = new Network(List.of(factor, up, base.layer(1)));
        Path file = dir.resolve("net.safetensors");
        ModelFiles.save(file, net, Map.of("dataset", "mnist"));
        Network back = ModelFiles.load(file);
        assertEquals("6-2-5-3", back.widthsString());
        assertFalse(back.layer(0).hasBias());
        assertTrue(back.layer(1).relu() && back.layer(2).relu());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(net.layer(i).weights(), back.layer(i).weights());
        }
        assertEquals(net.parameterCount(), back.parameterCount());
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals("mnist", st.metadata().get("dataset"));
            assertEquals("011", st.metadata().get(ModelFiles.RELU_KEY));
        }
    }

    @Test
    void aSafetensorsFileOfOtherTensorsIsNotAModel() throws IOException {
        Path file = dir.resolve("other.safetensors");
        SafetensorsWriter.write(file, Map.of(), List.of(SafetensorsWriter.Tensor.ofFloats(
                "h.0.mlp.c_fc.weight", Dtype.F32, new long[] {2, 2}, new float[4])));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().contains("not an rmtsvd model"), e.getMessage());
        SafetensorsWriter.write(file, Map.of(ModelFiles.RELU_KEY, "\u001b[31m"), List.of(SafetensorsWriter.Tensor.ofFloats(
                "layers.0.weight", Dtype.F32, new long[] {2, 2}, new float[4]), SafetensorsWriter.Tensor.ofFloats(
                "\u001b]0;title\u0007", Dtype.F32, new long[] {1}, new float[1])));
        e = assertThrows(InvalidInputException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().contains("unexpected tensor '\\u001b]0;title\\u0007'"), e.getMessage());
    }

    @Test
    void missingLayerAndChainMismatchAreRejected() throws IOException {
        Path gap = dir.resolve("gap.safetensors");
        SafetensorsWriter.write(gap, Map.of(), List.of(
                SafetensorsWriter.Tensor.ofFloats("layers.0.weight", Dtype.F32, new long[] {2, 3}, new float[6]),
                SafetensorsWriter.Tensor.ofFloats("layers.2.weight", Dtype.F32, new long[] {2, 2}, new float[4])));
        assertTrue(assertThrows(InvalidInputException.class, () -> ModelFiles.load(gap))
                .getMessage().contains("layers.1 is missing"));
        Path chain = dir.resolve("chain.safetensors");
        SafetensorsWriter.write(chain, Map.of(), List.of(
                SafetensorsWriter.Tensor.ofFloats("layers.0.weight", Dtype.F32, new long[] {2, 3}, new float[6]),
                SafetensorsWriter.Tensor.ofFloats("layers.1.weight", Dtype.F32, new long[] {2, 4}, new float[8])));
        assertTrue(assertThrows(InvalidInputException.class, () -> ModelFiles.load(chain))
                .getMessage().contains("previous layer gives 2"));
    }

    @Test
    void notASafetensorsFileAtAll() throws IOException {
        Path file = dir.resolve("junk.safetensors");
        Files.writeString(file, "hello, this is not a model");
        assertThrows(InvalidInputException.class, () -> ModelFiles.load(file));
    }

    /** A model of 80,000 tiny layers (7.6 MB) loads in seconds: each name is looked up, not searched for. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aModelOf80kLayersLoadsInLinearTime() throws IOException {
        Path file = dir.resolve("deep.safetensors");
        LargeSafetensors.tinyLayerModel(file, 80_000);
        Network net = ModelFiles.load(file);
        assertEquals(80_000, net.size());
        assertArrayEquals(new float[] {79_999}, net.layer(79_999).bias().orElseThrow());
        assertArrayEquals(new float[] {0.5f}, net.layer(123).weights());
    }
}
