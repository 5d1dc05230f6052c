package io.nnrmtsvd.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.codec.SpectrumRowJson;
import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.SafetensorsWriter;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.HeavyTailSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointSpectrumTest {
    @TempDir
    Path dir;

    private static TensorInfo tensor(String name, long rows, long cols) {
        return new TensorInfo(name, Dtype.BF16, new long[] {rows, cols}, 0, 2 * rows * cols);
    }

    @Test
    void defaultJobsAreOnePerThreadWhileTheBudgetHoldsTheLargestTensor() {
        TensorSelection all = new TensorSelection(List.of(), List.of(), 10);
        List<TensorInfo> layers = List.of(tensor("a.weight", 4096, 11008), tensor("b.weight", 512, 512),
                tensor("c.weight", 4096, 11008), tensor("d.weight", 11008, 4096));
        long large = CheckpointSpectrum.memoryEstimate(4096, 11008, false);
        assertEquals(2, CheckpointSpectrum.defaultJobs(layers, all, false, 2, 2 * large));
        assertEquals(1, CheckpointSpectrum.defaultJobs(layers, all, false, 2, 2 * large - 1), "two do not fit");
        assertEquals(3, CheckpointSpectrum.defaultJobs(layers, all, false, 8, 3 * large + 5), "the budget decides");
        assertEquals(4, CheckpointSpectrum.defaultJobs(layers, all, false, 8, 100 * large), "no more jobs than tensors");
        assertEquals(1, CheckpointSpectrum.defaultJobs(layers, all, false, 1, 10 * large), "one thread, one job");
        assertEquals(1, CheckpointSpectrum.defaultJobs(layers, all, false, 4, large / 2), "larger than the budget: alone");
        TensorSelection onlyB = new TensorSelection(List.of("b.*"), List.of(), 10);
        assertEquals(1, CheckpointSpectrum.defaultJobs(layers, onlyB, false, 4, large), "one tensor keeps all threads");
        TensorSelection smallOnes = new TensorSelection(List.of("b.*", "e.*"), List.of(), 10);
        List<TensorInfo> withE = List.of(layers.get(0), layers.get(1), tensor("e.weight", 512, 512));
        assertEquals(2, CheckpointSpectrum.defaultJobs(withE, smallOnes, false, 4, large / 4), "skipped tensors do not count");
    }

    @Test
    void aConvolutionIsAnalysedUnfoldedAndPerKernelAndEveryTensorRandomized() throws Exception {
        Path file = dir.resolve("conv.safetensors");
        SafetensorsWriter.write(file, Map.of(), List.of(
                SafetensorsWriter.Tensor.ofFloats("conv.weight", Dtype.F32, new long[] {32, 16, 3, 3},
                        noise(32 * 16 * 9, 1)),
                SafetensorsWriter.Tensor.ofFloats("fc.weight", Dtype.F32, new long[] {48, 96}, noise(48 * 96, 2))));
        SpectrumSettings settings = new SpectrumSettings(Bema.create(), HeavyTailSettings.DEFAULT, 7L);
        List<TensorResult> results = new ArrayList<>();
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(file)) {
            new CheckpointSpectrum(settings, TensorSelection.all(), 2, 1L << 30).run(ck, ck.tensors(), results::add);
        }
        results.sort((a, b) -> a.tensor().name().compareTo(b.tensor().name()));
        TensorResult conv = results.get(0);
        TensorResult fc = results.get(1);
        assertEquals(TensorResult.ANALYSED, conv.status(), conv.reason());
        assertEquals(144, conv.analysis().spectrum().cols(), "unfolded [32, 16 x 3 x 3]");
        assertEquals(32, conv.analysis().spectrum().rows());
        assertNotNull(conv.perKernel().powerLaw(), "the nine [32, 16] slices' pooled spectrum is fitted");
        assertNull(fc.perKernel(), "a matrix has no kernel positions");
        assertEquals(7L, fc.randomized().seed());
        assertEquals(7L, conv.randomized().seed());

        for (TensorResult r : results) {
            Map<String, Object> row = Json.parseObject(Json.toString(SpectrumRowJson.row(r), false), "row");
            SpectrumRowJson.checked(row);
            for (String key : List.of("alpha", "xmin", "D", "sigma", "num_pl_spikes", "log_norm", "log_spectral_norm",
                    "stable_rank", "alpha_weighted", "log_alpha_norm", "entropy", "mp_softrank", "max_rand_eval",
                    "rand_distance", "num_traps")) {
                assertTrue(row.get(key) instanceof Number, r.tensor().name() + ": " + key + " in " + row);
            }
            assertEquals(r == conv, row.containsKey("per_kernel"));
        }
    }

    private static float[] noise(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (0.02 * random.nextGaussian());
        }
        return values;
    }
}
