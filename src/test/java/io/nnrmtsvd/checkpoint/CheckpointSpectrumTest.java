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
        List<TensorInfo> layers = List.of(tensor("a.weight", 4096, 11008), tensor("b.weight", 512, 512));
        long large = CheckpointSpectrum.memoryEstimate(4096, 11008);
        assertEquals(2, CheckpointSpectrum.defaultJobs(layers, all, 2, 2 * large));
        assertEquals(1, CheckpointSpectrum.defaultJobs(layers, all, 2, 2 * large - 1), "two do not fit");
        assertEquals(3, CheckpointSpectrum.defaultJobs(layers, all, 8, 3 * large + 5));
        assertEquals(1, CheckpointSpectrum.defaultJobs(layers, all, 1, 10 * large), "one thread, one job");
        assertEquals(1, CheckpointSpectrum.defaultJobs(layers, all, 4, large / 2), "larger than the budget: alone");
        TensorSelection small = new TensorSelection(List.of("b.*"), List.of(), 10);
        assertEquals(4, CheckpointSpectrum.defaultJobs(layers, small, 4, large), "skipped tensors do not count");
    }
}
