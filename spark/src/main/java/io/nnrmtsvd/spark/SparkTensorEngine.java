package io.nnrmtsvd.spark;

import io.nnrmtsvd.checkpoint.TensorResult;
import io.nnrmtsvd.codec.SpectrumRowJson;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.run.CheckpointSpectrumRun;
import io.nnrmtsvd.run.TensorEngine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.network.util.JavaUtils;

/**
 * Checkpoint analysis on a Spark cluster. The driver has read the headers; it plans the tasks
 * ({@link TaskPlan}: balanced by cost, refused up front when a tensor exceeds a task's memory),
 * writes the rows of skipped tensors itself, and submits each task as a small Spark job from a
 * pool of driver threads, costliest first, at most two per slot in flight. Each job's rows reach
 * the sink as it finishes, so the journal grows as on one machine and a restarted driver resumes
 * from it. A task Spark could not finish after its retries (an executor lost again and again, a
 * crash) leaves rows that say so; a tensor that cannot be analysed is a skipped row, as locally.
 */
public final class SparkTensorEngine implements TensorEngine {
    /** Heap Spark keeps for itself in every executor. */
    private static final long RESERVED = 300L << 20;
    /** Share of the rest our tasks may plan on. */
    private static final double USABLE = 0.9;

    private final JavaSparkContext sc;

    public SparkTensorEngine(JavaSparkContext sc) {
        this.sc = sc;
    }

    /** Task slots of the cluster: cores over the CPUs a task takes. */
    int slots() {
        return Math.max(1, sc.defaultParallelism() / taskCpus());
    }

    private int taskCpus() {
        return sc.getConf().getInt("spark.task.cpus", 1);
    }

    /**
     * Bytes a task may take: an executor's heap (this JVM's in local mode) less Spark's reserve,
     * shared by the tasks it runs at once, and no more than {@code asked}.
     */
    long taskBudget(long asked) {
        SparkConf conf = sc.getConf();
        boolean local = sc.master().startsWith("local");
        long heap = local ? Runtime.getRuntime().maxMemory()
                : JavaUtils.byteStringAsBytes(conf.get("spark.executor.memory", "1g"));
        int concurrent = local ? slots() : Math.max(1, conf.getInt("spark.executor.cores", 1) / taskCpus());
        return Math.min(asked, (long) ((heap - RESERVED) * USABLE / concurrent));
    }

    @Override
    public void analyse(ShardedCheckpoint checkpoint, List<TensorInfo> todo, CheckpointSpectrumRun.Settings settings,
                        int threads, Consumer<Plan> planned, Sink sink) throws InterruptedException {
        List<TensorInfo> selected = new ArrayList<>();
        List<Map<String, Object>> skipped = new ArrayList<>();
        for (TensorInfo t : todo) {
            Optional<String> skip = settings.selection().skipReason(t);
            if (skip.isPresent()) {
                skipped.add(SpectrumRowJson.row(TensorResult.skipped(t, skip.get())));
            } else {
                selected.add(t);
            }
        }
        long budget = taskBudget(settings.memoryBudget());
        TaskPlan plan = TaskPlan.of(selected, settings.spectrum().randomize(), slots(), budget);
        planned.accept(new Plan("Spark " + sc.master(), slots(), taskCpus()));
        skipped.forEach(row -> sink.accept(row, null));
        if (plan.tasks().isEmpty()) {
            return;
        }
        TensorTask template = TensorTask.template(checkpoint.source().toUri().toString(), settings, budget, taskCpus(),
                sc.broadcast(entries(sc.hadoopConfiguration())));
        ExecutorService submitters = Executors.newFixedThreadPool(Math.min(plan.tasks().size(), 2 * slots()));
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (List<TensorInfo> tensors : plan.tasks()) {
                TensorTask task = template.of(tensors);
                jobs.add(submitters.submit(() -> {
                    List<TensorOutcome> outcomes = runOrExplain(task, tensors);
                    synchronized (sink) {
                        for (TensorOutcome o : outcomes) {
                            sink.accept(Json.parseObject(o.rowJson(), "a task's row"), o.eigenvalues());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } catch (ExecutionException e) {
            sc.cancelAllJobs();
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            sc.cancelAllJobs();
            throw e;
        } finally {
            submitters.shutdownNow();
        }
    }

    /** The task's outcomes, or when Spark gave up on it, a skipped row per tensor saying why. */
    private List<TensorOutcome> runOrExplain(TensorTask task, List<TensorInfo> tensors) {
        try {
            return sc.parallelize(List.of(task), 1).flatMap(TensorTask::run).collect();
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            String reason = "failed on the cluster: " + firstLine(e.getMessage());
            return tensors.stream().map(t -> new TensorOutcome(Json.toString(
                    SpectrumRowJson.row(TensorResult.skipped(t, reason)), false), null)).toList();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static Map<String, String> entries(Configuration conf) {
        Map<String, String> m = new HashMap<>();
        conf.forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }
}
