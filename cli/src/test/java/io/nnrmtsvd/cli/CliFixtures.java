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

    /**
     * A checkpoint of one convolution {@code conv.weight} [32, 16, 3, 3] (F32) with bias
     * {@code conv.bias}: {@code signal} planted directions of singular value about 10 in the
     * unfolded [32, 144] matrix, plus Gaussian noise of std 0.02.
     */
    static Path convolutionCheckpoint(Path file, int signal) throws IOException {
        int out = 32;
        int cols = 16 * 3 * 3;
        SplittableRandom random = new SplittableRandom(11);
        float[] w = new float[out * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.02 * random.nextGaussian());
        }
        for (int r = 0; r < signal; r++) {
            double[] u = unitGaussian(out, random);
            double[] v = unitGaussian(cols, random);
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < cols; j++) {
                    w[i * cols + j] += (float) (10.0 * (r + 1) * u[i] * v[j]);
                }
            }
        }
        float[] bias = new float[out];
        for (int i = 0; i < out; i++) {
            bias[i] = (float) random.nextGaussian();
        }
        SafetensorsWriter.write(file, Map.of(), List.of(
                SafetensorsWriter.Tensor.ofFloats("conv.weight", Dtype.F32, new long[] {out, 16, 3, 3}, w),
                SafetensorsWriter.Tensor.ofFloats("conv.bias", Dtype.F32, new long[] {out}, bias)));
        return file;
    }

    private static double[] unitGaussian(int n, SplittableRandom random) {
        double[] x = new double[n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian();
            norm += x[i] * x[i];
        }
        for (int i = 0; i < n; i++) {
            x[i] /= Math.sqrt(norm);
        }
        return x;
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
