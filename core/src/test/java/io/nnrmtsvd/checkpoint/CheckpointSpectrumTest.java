package io.nnrmtsvd.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.TensorInfo;
import java.util.List;
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
}
