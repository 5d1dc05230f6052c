package io.nnrmtsvd.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.rmt.Bema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CheckpointSpectrumTest {
    private static TensorInfo tensor(String name, long rows, long cols) {
        return new TensorInfo(name, Dtype.BF16, new long[] {rows, cols}, 0, 2 * rows * cols);
    }

    @Test
    void defaultJobsAreOnePerThreadWhileTheBudgetHoldsTheLargestTensor() {
        TensorSelection all = new TensorSelection(List.of(), List.of(), 10);
        List<TensorInfo> layers = List.of(tensor("a.weight", 4096, 11008), tensor("b.weight", 512, 512),
                tensor("c.weight", 4096, 11008), tensor("d.weight", 11008, 4096));
        long large = CheckpointSpectrum.memoryEstimate(4096, 11008);
        assertEquals(2, CheckpointSpectrum.defaultJobs(layers, all, 2, 2 * large));
        assertEquals(1, CheckpointSpectrum.defaultJobs(layers, all, 2, 2 * large - 1), "two do not fit");
        assertEquals(3, CheckpointSpectrum.defaultJobs(layers, all, 8, 3 * large + 5), "the budget decides");
        assertEquals(4, CheckpointSpectrum.defaultJobs(layers, all, 8, 100 * large), "no more jobs than tensors");
        assertEquals(1, CheckpointSpectrum.defaultJobs(layers, all, 1, 10 * large), "one thread, one job");
        assertEquals(1, CheckpointSpectrum.defaultJobs(layers, all, 4, large / 2), "larger than the budget: alone");
        TensorSelection onlyB = new TensorSelection(List.of("b.*"), List.of(), 10);
        assertEquals(1, CheckpointSpectrum.defaultJobs(layers, onlyB, 4, large), "one tensor keeps all threads");
        TensorSelection smallOnes = new TensorSelection(List.of("b.*", "e.*"), List.of(), 10);
        List<TensorInfo> withE = List.of(layers.get(0), layers.get(1), tensor("e.weight", 512, 512));
        assertEquals(2, CheckpointSpectrum.defaultJobs(withE, smallOnes, 4, large / 4), "skipped tensors do not count");
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

    private static final TensorSelection ALL = new TensorSelection(List.of(), List.of(), 10);

    @Test
    void resultsComeInOrderAndAreTheSameWithOneJobOrTwo() throws InterruptedException {
        List<TensorInfo> tensors = List.of(tensor("a.weight", 120, 300), tensor("b.weight", 64, 64),
                tensor("tiny.weight", 4, 64), tensor("c.weight", 200, 90));
        List<List<TensorResult>> runs = new ArrayList<>();
        for (int jobs : new int[] {1, 2}) {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            List<TensorResult> heard = Collections.synchronizedList(new ArrayList<>());
            List<TensorResult> results = new CheckpointSpectrum(Bema.create(), ALL, jobs, 1L << 30)
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
        long slow = CheckpointSpectrum.memoryEstimate(500, 1200);
        long next = CheckpointSpectrum.memoryEstimate(40, 60);
        for (long budget : new long[] {slow + next + (4L << 20), slow}) {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            new CheckpointSpectrum(Bema.create(), ALL, 1, budget).run(reader(tensors, events), tensors,
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
                () -> new CheckpointSpectrum(Bema.create(), ALL, 2, 1L << 30).run(reader, tensors, r -> { }));
        assertSame(bad, thrown);
    }
}
