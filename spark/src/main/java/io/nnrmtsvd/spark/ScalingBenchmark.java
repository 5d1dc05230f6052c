package io.nnrmtsvd.spark;

import io.nnrmtsvd.cli.Main;
import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.io.SafetensorsWriter;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.run.ExperimentEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * How checkpoint analysis scales on a standalone cluster on this machine (docs/SCALE.md): the same
 * checkpoint analysed by one worker of one core, then by two workers of one core each, after a
 * warm-up run each (executors started, code compiled); the median wall time of the measured runs,
 * the throughput ratio, each layer's own seconds, and the cost of a task that does nothing (24
 * tensors of 16 x 16). From the one-worker runs it fits a {@link WallTimeModel} (a core's rate and a
 * task's overhead), checks it against the two-worker runs, and gives its wall times for Llama-style
 * 7B, 70B and 405B models on 1, 8 and 64 executors. Prints one JSON document.
 *
 * <p>Usage: {@code ScalingBenchmark CHECKPOINT WORK_DIR [REPEATS]}; scripts/bench_spark.sh runs it.
 */
public final class ScalingBenchmark {
    private ScalingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ScalingBenchmark CHECKPOINT WORK_DIR [REPEATS]");
            System.exit(2);
        }
        Path checkpoint = Path.of(args[0]);
        Path work = Files.createDirectories(Path.of(args[1]));
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path tiny = tinyCheckpoint(work.resolve("tiny.safetensors"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("checkpoint", checkpoint.toString());
        doc.put("blas_core", OpenBlas.coreName());
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        for (int workers : new int[] {1, 2}) {
            try (LocalCluster cluster = LocalCluster.start(workers, 1, "2g", work.resolve("cluster-" + workers));
                 JavaSparkContext sc = new JavaSparkContext(cluster.conf("rmtsvd scaling", "1536m"))) {
                SparkTensorEngine engine = new SparkTensorEngine(sc);
                spectrum(engine, checkpoint); // warm-up
                double[] walls = new double[repeats];
                List<Object> layerSeconds = new ArrayList<>();
                for (int r = 0; r < repeats; r++) {
                    long start = System.nanoTime();
                    List<Object> rows = spectrum(engine, checkpoint);
                    walls[r] = (System.nanoTime() - start) / 1e9;
                    if (r == 0) {
                        for (Object row : rows) {
                            Object seconds = ((Map<?, ?>) row).get("seconds");
                            if (seconds != null) {
                                layerSeconds.add(seconds);
                            }
                        }
                    }
                }
                spectrum(engine, tiny); // warm-up of the empty tasks
                long start = System.nanoTime();
                int tinyTensors = spectrum(engine, tiny).size();
                double overhead = (System.nanoTime() - start) / 1e9;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("walls_seconds", walls.clone());
                Arrays.sort(walls);
                m.put("median_wall_seconds", walls[walls.length / 2]);
                m.put("layer_seconds", layerSeconds);
                m.put("tiny_tensors", tinyTensors);
                m.put("tiny_wall_seconds", overhead);
                doc.put(workers + "_workers", m);
                System.err.println("scaling: " + workers + " worker(s): " + Json.toString(m, false));
            }
        }
        double one = (double) ((Map<?, ?>) doc.get("1_workers")).get("median_wall_seconds");
        double two = (double) ((Map<?, ?>) doc.get("2_workers")).get("median_wall_seconds");
        doc.put("throughput_ratio_2_over_1", one / two);
        doc.put("model", model(checkpoint, tiny, one, two,
                (double) ((Map<?, ?>) doc.get("1_workers")).get("tiny_wall_seconds")));
        System.out.println(Json.toString(doc, true));
    }

    /** Bytes a task may take on the modelled executors: 64 GiB of heap over 8 one-core slots, 90% of it. */
    private static final long MODEL_TASK_BUDGET = (long) (0.9 * (64L << 30) / 8);
    /** The modelled executors' read bandwidth from the file system: an assumption (1 GB/s). */
    private static final double MODEL_BYTES_PER_SECOND = 1e9;

    /**
     * The wall-time model fitted on the one-worker runs (all the overhead of the tiny run counted
     * to its tasks; reading from the page cache counted in the rate), its prediction for two
     * workers beside the measurement, and its figures for large models.
     */
    private static Map<String, Object> model(Path checkpoint, Path tiny, double oneWorker, double twoWorkers,
                                             double tinyOneWorker) throws IOException {
        List<TensorInfo> tensors = matrices(checkpoint);
        List<TensorInfo> tinyTensors = matrices(tiny);
        long budget = Long.MAX_VALUE;
        int tinyTasks = TaskPlan.of(tinyTensors, false, 1, budget).tasks().size();
        double overhead = tinyOneWorker / tinyTasks;
        TaskPlan onePlan = TaskPlan.of(tensors, false, 1, budget);
        double flops = Arrays.stream(onePlan.costs()).sum();
        double rate = flops / (oneWorker - onePlan.tasks().size() * overhead);
        WallTimeModel fitted = new WallTimeModel(rate, overhead, Double.POSITIVE_INFINITY);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("core_gflops_on_cost_measure", rate / 1e9);
        m.put("task_overhead_seconds", overhead);
        double predicted = fitted.seconds(tensors, 2, 1, budget);
        m.put("two_workers_predicted_seconds", predicted);
        m.put("two_workers_measured_seconds", twoWorkers);
        m.put("executor_cores", 8);
        m.put("task_budget_gib", MODEL_TASK_BUDGET / (double) (1L << 30));
        m.put("read_bytes_per_second_per_executor", MODEL_BYTES_PER_SECOND);
        WallTimeModel large = new WallTimeModel(rate, overhead, MODEL_BYTES_PER_SECOND);
        WallTimeModel computeOnly = new WallTimeModel(rate, overhead, Double.POSITIVE_INFINITY);
        Map<String, List<TensorInfo>> models = new LinkedHashMap<>();
        models.put("llama-7b (32 layers, 4096, ffn 11008)", WallTimeModel.llama(32, 4096, 4096, 11008));
        models.put("llama-70b (80 layers, 8192, kv 1024, ffn 28672)", WallTimeModel.llama(80, 8192, 1024, 28672));
        models.put("llama-405b (126 layers, 16384, kv 1024, ffn 53248)",
                WallTimeModel.llama(126, 16384, 1024, 53248));
        List<Object> rows = new ArrayList<>();
        for (Map.Entry<String, List<TensorInfo>> e : models.entrySet()) {
            for (int executors : new int[] {1, 8, 64}) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("model", e.getKey());
                row.put("matrices", e.getValue().size());
                row.put("executors", executors);
                row.put("seconds", large.seconds(e.getValue(), executors, 8, MODEL_TASK_BUDGET));
                row.put("seconds_without_reading", computeOnly.seconds(e.getValue(), executors, 8, MODEL_TASK_BUDGET));
                rows.add(row);
            }
        }
        m.put("large_models", rows);
        return m;
    }

    /** The tensors of a checkpoint that spectrum analyses here (every one of at least 2 rows and columns). */
    private static List<TensorInfo> matrices(Path checkpoint) throws IOException {
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(checkpoint)) {
            return ck.tensors().stream().filter(t -> t.rank() == 2).toList();
        }
    }

    /** The rows of {@code spectrum --json --no-report} on the engine. */
    private static List<Object> spectrum(SparkTensorEngine engine, Path checkpoint) {
        StringWriter out = new StringWriter();
        var cli = Main.commandLine(engine, ExperimentEngine.LOCAL);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        int code = cli.execute("spectrum", checkpoint.toString(), "--json", "--no-report", "--min-dim", "2");
        if (code != 0) {
            throw new IllegalStateException("spectrum exited with " + code);
        }
        return JsonFields.array(Json.parse(out.toString(), "rows"), "rows");
    }

    /** 24 tensors of 16 x 16 (not named as an rmtsvd model's): a run of them is almost all task and job overhead. */
    private static Path tinyCheckpoint(Path file) throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            float[] values = new float[256];
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) random.nextGaussian();
            }
            tensors.add(SafetensorsWriter.Tensor.ofFloats("blocks." + i + ".weight", Dtype.F32, new long[] {16, 16},
                    values));
        }
        SafetensorsWriter.write(file, Map.of(), tensors);
        return file;
    }
}
