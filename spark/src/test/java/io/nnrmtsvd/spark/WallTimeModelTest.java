package io.nnrmtsvd.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.TensorInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class WallTimeModelTest {
    @Test
    void llamaSeventyBHasFiveHundredSixtyMatricesOfItsParameters() {
        List<TensorInfo> tensors = WallTimeModel.llama(80, 8192, 1024, 28672);
        assertEquals(560, tensors.size());
        long parameters = tensors.stream().mapToLong(TensorInfo::elementCount).sum();
        // Per layer: q and o 8192^2 each, k and v 1024 x 8192 each, three 8192 x 28672.
        assertEquals(80L * (2L * 8192 * 8192 + 2L * 1024 * 8192 + 3L * 8192 * 28672), parameters);
        assertEquals(2 * parameters, tensors.stream().mapToLong(TensorInfo::byteLength).sum(), "BF16");
    }

    @Test
    void equalTasksOnTwiceTheSlotsTakeHalfTheTimeAndReadingIsShared() {
        List<TensorInfo> tensors = WallTimeModel.llama(4, 64, 64, 128); // 28 matrices
        double flops = tensors.stream().mapToDouble(TaskPlan::cost).sum();
        WallTimeModel computeOnly = new WallTimeModel(flops, 0, Double.POSITIVE_INFINITY);
        assertEquals(1.0, computeOnly.seconds(tensors, 1, 1, Long.MAX_VALUE), 1e-12, "one slot: the sum");
        double two = computeOnly.seconds(tensors, 2, 1, Long.MAX_VALUE);
        assertTrue(two >= 0.5 && two < 0.6, "two slots: about half, never less: " + two);

        long bytes = tensors.stream().mapToLong(TensorInfo::byteLength).sum();
        WallTimeModel readOnly = new WallTimeModel(Double.POSITIVE_INFINITY, 0, bytes);
        double oneExecutorTwoCores = readOnly.seconds(tensors, 1, 2, Long.MAX_VALUE);
        assertTrue(oneExecutorTwoCores >= 1.0 - 1e-12, "an executor's cores share its bandwidth: " + oneExecutorTwoCores);

        WallTimeModel overheadOnly = new WallTimeModel(Double.POSITIVE_INFINITY, 2, Double.POSITIVE_INFINITY);
        int tasks = TaskPlan.of(tensors, false, 1, Long.MAX_VALUE).tasks().size();
        assertEquals(2.0 * tasks, overheadOnly.seconds(tensors, 1, 1, Long.MAX_VALUE), 1e-12);
    }
}
