package io.nnrmtsvd.spark;

import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A model of the wall time of {@code spectrum} on a checkpoint on a cluster, for sizes this
 * machine cannot run. The tasks are those {@link TaskPlan} makes; each slot (one core) takes the
 * next task, costliest first, when it is free, as {@link SparkTensorEngine} submits them. A task
 * takes its flops ({@link TaskPlan#cost}) at one core's rate, its bytes at an executor's read
 * bandwidth shared by the executor's slots, and a fixed overhead (scheduling, serialising the
 * rows back, opening the file); the run ends when the last slot does.
 *
 * @param flopsPerSecond one core's rate on the cost measure, measured on this machine
 * @param taskOverheadSeconds each task's fixed cost, measured on a checkpoint of tiny tensors
 * @param bytesPerSecond one executor's read bandwidth from the file system (an assumption, or
 *     measured on the file system in question)
 */
public record WallTimeModel(double flopsPerSecond, double taskOverheadSeconds, double bytesPerSecond) {

    /**
     * Seconds to analyse {@code tensors} on {@code executors} executors of {@code cores} one-core
     * slots each, every task within {@code taskBudget} bytes.
     */
    public double seconds(List<TensorInfo> tensors, int executors, int cores, long taskBudget) {
        int slots = executors * cores;
        TaskPlan plan = TaskPlan.of(tensors, false, slots, taskBudget);
        PriorityQueue<Double> free = new PriorityQueue<>();
        for (int s = 0; s < slots; s++) {
            free.add(0.0);
        }
        double end = 0;
        for (List<TensorInfo> task : plan.tasks()) {
            double start = free.poll();
            double done = start + taskSeconds(task, cores);
            end = Math.max(end, done);
            free.add(done);
        }
        return end;
    }

    /** One task's seconds on a slot of an executor whose {@code cores} slots share its bandwidth. */
    double taskSeconds(List<TensorInfo> task, int cores) {
        double flops = 0;
        double bytes = 0;
        for (TensorInfo t : task) {
            flops += TaskPlan.cost(t);
            bytes += t.byteLength();
        }
        return taskOverheadSeconds + flops / flopsPerSecond + bytes / (bytesPerSecond / cores);
    }

    /** The seven matrices of each of {@code layers} decoder layers of a Llama-style model, in BF16. */
    public static List<TensorInfo> llama(int layers, int hidden, int kvWidth, int ffn) {
        List<TensorInfo> tensors = new ArrayList<>();
        long[][] shapes = {{hidden, hidden}, {kvWidth, hidden}, {kvWidth, hidden}, {hidden, hidden},
                {ffn, hidden}, {ffn, hidden}, {hidden, ffn}};
        String[] names = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
        long offset = 0;
        for (int l = 0; l < layers; l++) {
            for (int m = 0; m < shapes.length; m++) {
                long bytes = 2 * shapes[m][0] * shapes[m][1];
                tensors.add(new TensorInfo("model.layers." + l + "." + names[m] + ".weight", Dtype.BF16,
                        shapes[m].clone(), offset, offset + bytes));
                offset += bytes;
            }
        }
        return tensors;
    }
}
