package io.nnrmtsvd.spark;

import io.nnrmtsvd.cli.Main;
import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.io.SafetensorsWriter;
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
 * tensors of 16 x 16). Prints one JSON document.
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
        System.out.println(Json.toString(doc, true));
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

    /** 24 tensors of 16 x 16: a run of them is almost all task and job overhead. */
    private static Path tinyCheckpoint(Path file) throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            float[] values = new float[256];
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) random.nextGaussian();
            }
            tensors.add(SafetensorsWriter.Tensor.ofFloats("layers." + i + ".weight", Dtype.F32, new long[] {16, 16},
                    values));
        }
        SafetensorsWriter.write(file, Map.of(), tensors);
        return file;
    }
}
