package io.nnrmtsvd.spark;

import io.nnrmtsvd.checkpoint.CheckpointSpectrum;
import io.nnrmtsvd.checkpoint.TensorSelection;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.Printable;
import io.nnrmtsvd.io.TensorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The tasks of a checkpoint analysis on a cluster, planned on the driver from the headers alone.
 * A tensor's cost is the flops of its spectrum, n p^2 for the Gram matrix plus 4 p^3 for its
 * eigenvalues (p the smaller dimension, n the larger). Tensors that cost at least a target (a
 * third of an equal share of the slots) are tasks of their own; smaller ones are packed, largest
 * first, into tasks of about the target, so that tasks cost about the same and there are about
 * three per slot to even out the end. Tasks are listed costliest first, the order they are
 * submitted in. A task analyses its tensors one at a time, so its memory is its largest tensor's.
 *
 * @param tasks the tensors of each task, costliest task first
 * @param costs each task's estimated flops
 */
public record TaskPlan(List<List<TensorInfo>> tasks, double[] costs) {
    /** Tasks per slot the plan aims for. */
    static final int WAVES = 3;
    private static final long MIB = 1 << 20;

    public TaskPlan {
        tasks = tasks.stream().map(List::copyOf).toList();
        costs = costs.clone();
    }

    @Override
    public double[] costs() {
        return costs.clone();
    }

    /** Estimated flops of analysing {@code t}. */
    static double cost(TensorInfo t) {
        long[] m = TensorSelection.matrixShape(t);
        double p = Math.min(m[0], m[1]);
        double n = Math.max(m[0], m[1]);
        return n * p * p + 4 * p * p * p;
    }

    /**
     * Plans {@code tensors} (all to be analysed) over {@code slots} task slots.
     *
     * @param taskBudget bytes one task may take
     * @throws InvalidInputException naming the largest tensor when it needs more than one task's budget
     */
    public static TaskPlan of(List<TensorInfo> tensors, boolean randomize, int slots, long taskBudget) {
        TensorInfo largest = null;
        long largestBytes = 0;
        for (TensorInfo t : tensors) {
            long[] m = TensorSelection.matrixShape(t);
            long bytes = CheckpointSpectrum.memoryEstimate(m[0], m[1], randomize);
            if (bytes > largestBytes) {
                largest = t;
                largestBytes = bytes;
            }
        }
        if (largest != null && largestBytes > taskBudget) {
            throw new InvalidInputException(String.format(Locale.ROOT, "tensor '%s' %s needs about %d MiB to analyse, "
                    + "more than a task's budget of %d MiB on this cluster (executor memory over the tasks each "
                    + "executor runs at once, or --max-memory): give executors more memory or leave it out with "
                    + "--exclude", Printable.name(largest.name()), Arrays.toString(largest.shape()),
                    (largestBytes + MIB - 1) / MIB, taskBudget / MIB));
        }
        List<TensorInfo> byCost = new ArrayList<>(tensors);
        byCost.sort(Comparator.comparingDouble(TaskPlan::cost).reversed());
        double total = byCost.stream().mapToDouble(TaskPlan::cost).sum();
        double target = total / ((double) Math.max(1, slots) * WAVES);
        List<List<TensorInfo>> tasks = new ArrayList<>();
        List<Double> costs = new ArrayList<>();
        for (TensorInfo t : byCost) {
            double c = cost(t);
            int fit = -1;
            if (c < target) { // first fit among the open tasks, which are never above the target
                for (int i = 0; i < tasks.size() && fit < 0; i++) {
                    if (costs.get(i) + c <= target) {
                        fit = i;
                    }
                }
            }
            if (fit < 0) {
                tasks.add(new ArrayList<>());
                costs.add(0.0);
                fit = tasks.size() - 1;
            }
            tasks.get(fit).add(t);
            costs.set(fit, costs.get(fit) + c);
        }
        Integer[] order = new Integer[tasks.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> costs.get(i)).reversed());
        List<List<TensorInfo>> sorted = new ArrayList<>();
        double[] sortedCosts = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            sorted.add(tasks.get(order[i]));
            sortedCosts[i] = costs.get(order[i]);
        }
        return new TaskPlan(sorted, sortedCosts);
    }
}
