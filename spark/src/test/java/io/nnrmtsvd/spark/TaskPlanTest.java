package io.nnrmtsvd.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.TensorInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskPlanTest {
    private static TensorInfo tensor(String name, long rows, long cols) {
        return new TensorInfo(name, Dtype.BF16, new long[] {rows, cols}, 0, 2 * rows * cols);
    }

    @Test
    void tasksAreBalancedCostliestFirstAndHoldEveryTensorOnce() {
        List<TensorInfo> tensors = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            tensors.add(tensor("layers." + i + ".mlp.up.weight", 3072, 768));
            tensors.add(tensor("layers." + i + ".attn.q.weight", 768, 768));
            tensors.add(tensor("layers." + i + ".norm", 64, 64));
        }
        TaskPlan plan = TaskPlan.of(tensors, false, 4, Long.MAX_VALUE);
        Set<String> seen = new HashSet<>();
        plan.tasks().forEach(task -> task.forEach(t -> assertTrue(seen.add(t.name()), t.name())));
        assertEquals(tensors.size(), seen.size());
        double[] costs = plan.costs();
        for (int i = 1; i < costs.length; i++) {
            assertTrue(costs[i] <= costs[i - 1], "costliest first");
        }
        assertTrue(costs.length >= 4 * TaskPlan.WAVES && costs.length < tensors.size(),
                "small tensors share tasks; about three tasks per slot: " + costs.length);
        double total = 0;
        for (double c : costs) {
            total += c;
        }
        assertTrue(costs[0] <= 2 * total / costs.length, "no task far above the mean");
    }

    @Test
    void aTensorAboveATasksBudgetIsRefusedByName() {
        List<TensorInfo> tensors = List.of(tensor("small", 64, 64), tensor("big", 4096, 11008));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TaskPlan.of(tensors, false, 2, 64L << 20));
        assertTrue(e.getMessage().startsWith("tensor 'big' [4096, 11008] needs about 373 MiB to analyse, more than "
                + "a task's budget of 64 MiB"), e.getMessage());
        assertTrue(TaskPlan.of(tensors, false, 2, 400L << 20).tasks().size() >= 1);
    }
}
