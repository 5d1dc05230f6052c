package io.nnrmtsvd.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.codec.SpectrumRowJson;
import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.SafetensorsWriter;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.HeavyTailSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointSpectrumTest {
    private static final TensorSelection ALL = new TensorSelection(List.of(), List.of(), 10);

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

    private static float[] gaussian(long[] shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[(int) (shape[0] * shape[1])];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble(-1, 1) + r.nextDouble(-1, 1));
        }
        return v;
    }

    /** A reader of Gaussian tensors that records when each read starts. */
    private static Function<String, float[]> reader(List<TensorInfo> tensors, List<String> events) {
        return name -> {
            events.add("read " + name);
            for (int i = 0; i < tensors.size(); i++) {
                if (tensors.get(i).name().equals(name)) {
                    return gaussian(tensors.get(i).shape(), i);
                }
            }
            throw new IllegalArgumentException(name);
        };
    }

    @Test
    void resultsComeInOrderAndAreTheSameWithOneJobOrTwo() throws InterruptedException {
        List<TensorInfo> tensors = List.of(tensor("a.weight", 120, 300), tensor("b.weight", 64, 64),
                tensor("tiny.weight", 4, 64), tensor("c.weight", 200, 90));
        List<List<TensorResult>> runs = new ArrayList<>();
        for (int jobs : new int[] {1, 2}) {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            List<TensorResult> heard = Collections.synchronizedList(new ArrayList<>());
            List<TensorResult> results = new CheckpointSpectrum(SpectrumSettings.of(Bema.create()), ALL, jobs, 1L << 30)
                    .run(reader(tensors, events), tensors, heard::add);
            assertEquals(4, results.size());
            assertEquals(4, heard.size(), "every result told to the listener");
            for (int i = 0; i < 4; i++) {
                assertSame(tensors.get(i), results.get(i).tensor());
            }
            assertEquals(TensorResult.SKIPPED, results.get(2).status(), "4 rows: below --min-dim");
            assertTrue(results.get(0).seconds() > 0);
            assertEquals(List.of("read a.weight", "read b.weight", "read c.weight"), events, "read in order, once");
            runs.add(results);
        }
        for (int i : new int[] {0, 1, 3}) {
            assertArrayEquals(runs.get(0).get(i).analysis().spectrum().eigenvalues(),
                    runs.get(1).get(i).analysis().spectrum().eigenvalues());
        }
    }

    @Test
    void theNextTensorIsReadWhileTheCurrentOneIsAnalysedWhenTheBudgetHoldsBoth() throws InterruptedException {
        List<TensorInfo> tensors = List.of(tensor("slow.weight", 500, 1200), tensor("next.weight", 40, 60));
        long slow = CheckpointSpectrum.memoryEstimate(500, 1200, false);
        long next = CheckpointSpectrum.memoryEstimate(40, 60, false);
        for (long budget : new long[] {slow + next + (4L << 20), slow}) {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            new CheckpointSpectrum(SpectrumSettings.of(Bema.create()), ALL, 1, budget).run(reader(tensors, events), tensors,
                    r -> events.add("done " + r.tensor().name()));
            int readNext = events.indexOf("read next.weight");
            int doneSlow = events.indexOf("done slow.weight");
            if (budget > slow) {
                assertTrue(readNext < doneSlow, "read ahead: " + events);
            } else {
                assertTrue(readNext > doneSlow, "the budget holds one tensor: no read ahead: " + events);
            }
        }
    }

    @Test
    void aFailedReadEndsTheRunWithItsOwnException() {
        List<TensorInfo> tensors = List.of(tensor("a.weight", 30, 40), tensor("bad.weight", 30, 40),
                tensor("c.weight", 30, 40));
        InvalidInputException bad = InvalidInputException.inFile(Path.of("model.safetensors"), "truncated");
        Function<String, float[]> reader = name -> {
            if (name.equals("bad.weight")) {
                throw bad;
            }
            return gaussian(new long[] {30, 40}, 1);
        };
        InvalidInputException thrown = assertThrows(InvalidInputException.class,
                () -> new CheckpointSpectrum(SpectrumSettings.of(Bema.create()), ALL, 2, 1L << 30).run(reader, tensors, r -> { }));
        assertSame(bad, thrown);
    }
}
