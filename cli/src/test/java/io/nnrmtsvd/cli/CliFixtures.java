package io.nnrmtsvd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.data.IdxFixtures;
import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.SafetensorsWriter;
import io.nnrmtsvd.nn.ModelFiles;
import io.nnrmtsvd.nn.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Tiny data and models shared by the command tests. */
final class CliFixtures {
    private CliFixtures() {
    }

    /** Writes a tiny MNIST under {@code dataDir} and trains a 784-32-10 model on it for two epochs. */
    static Path tinyMnistModel(Path dataDir, Path model) throws IOException {
        IdxFixtures.writeTinyMnist(dataDir, 384, 128, 5);
        CliRun run = CliRun.of("train", "--data-dir", dataDir.toString(), "--layers", "784,32,10", "--epochs", "2",
                "--lr", "0.05", "--seed", "6", "--save", model.toString());
        assertEquals(0, run.exitCode(), run.err());
        return model;
    }

    /** The tiny MNIST data and the model trained on it, as {@link #trainedInto} lays them out. */
    record TinyMnist(Path data, Path model) {
        /**
         * Trains once into {@code dir} (data under data/, the model as model.safetensors); for a
         * class's {@code @BeforeAll}, since training is the slow part of the command tests.
         */
        static TinyMnist trainedInto(Path dir) throws IOException {
            Path data = dir.resolve("data");
            return new TinyMnist(data, tinyMnistModel(data, dir.resolve("model.safetensors")));
        }
    }

    /** A freshly initialised model with the given widths, saved to {@code file}. */
    static Path savedModel(Path file, long seed, int... widths) {
        ModelFiles.save(file, Network.initialize(widths, false, new SplittableRandom(seed)), Map.of());
        return file;
    }

    /** Random bytes under a model's name. */
    static Path junk(Path file) throws IOException {
        byte[] bytes = new byte[300];
        new SplittableRandom(3).nextBytes(bytes);
        Files.write(file, bytes);
        return file;
    }

    /** A valid safetensors file whose tensors are not named layers.{i}.weight / bias. */
    static Path foreignSafetensors(Path file) throws IOException {
        SafetensorsWriter.write(file, Map.of(), List.of(
                SafetensorsWriter.Tensor.ofFloats("encoder.weight", Dtype.F32, new long[] {4, 6}, new float[24]),
                SafetensorsWriter.Tensor.ofFloats("encoder.bias", Dtype.F32, new long[] {4}, new float[4])));
        return file;
    }

    /** Exit code 2, one line "rmtsvd: ..." on the error stream, nothing on the output, no stack trace. */
    static void assertBadInput(CliRun run) {
        assertEquals(2, run.exitCode(), "exit code; out: " + run.out() + " err: " + run.err());
        String err = run.err().strip();
        assertTrue(err.startsWith("rmtsvd: "), err);
        assertFalse(err.contains("\n"), "one line: " + err);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace: " + err);
        assertTrue(run.out().isBlank(), "no output: " + run.out());
    }
}
