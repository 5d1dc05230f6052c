package io.nnrmtsvd.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nnrmtsvd.data.IdxFixtures;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.run.ExperimentEngine;
import io.nnrmtsvd.run.OverfitRun;
import io.nnrmtsvd.run.TensorEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiment overfit}'s grid of seeds and variants on Spark ({@code local[2]}): the journal
 * holds the single-machine run's results to the bit, and a restarted driver resumes it; and
 * {@code experiment paper}'s seeds as Spark jobs give the single-machine runs to the bit.
 */
class SparkExperimentTest {
    @TempDir
    Path dir;

    static List<String> args(Path data, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("experiment", "overfit", "--data-dir", data.toString(),
                "--dataset", "mnist", "--train-size", "200", "--layers", "784,24,10", "--epochs", "2", "--seeds", "2",
                "--json"));
        args.addAll(List.of(more));
        return args;
    }

    /** The journal's rows by job, without their timings. */
    static Map<String, String> runs(Path runDir) throws IOException {
        Map<String, String> rows = new TreeMap<>();
        for (String line : Files.readAllLines(runDir.resolve(OverfitRun.RESULTS_FILE))) {
            Map<String, Object> row = Json.parseObject(line, "row");
            row.remove("seconds");
            List<Object> epochs = JsonFields.array(row.get("epochs"), "epochs");
            epochs.forEach(e -> ((Map<?, ?>) e).remove("seconds"));
            rows.put(row.get("seed") + " " + row.get("variant"), Json.toString(row, false));
        }
        return rows;
    }

    @Test
    void theGridOnSparkIsTheLocalGrid() throws Exception {
        Path data = dir.resolve("data");
        IdxFixtures.writeTinyMnist(data, 256, 64, 4);
        Path local = dir.resolve("local");
        Runs.ok(TensorEngine.LOCAL, args(data, "--run-dir", local.toString()).toArray(String[]::new));
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]")
                .setAppName("SparkExperimentTest").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1").set("spark.ui.enabled", "false"))) {
            ExperimentEngine engine = new SparkExperimentEngine(sc);
            Path spark = dir.resolve("spark");
            Runs.Run run = Runs.of(TensorEngine.LOCAL, engine, args(data, "--run-dir", spark.toString())
                    .toArray(String[]::new));
            assertEquals(0, run.code(), run.err());
            Map<String, String> expected = runs(local);
            assertEquals(8, expected.size(), "2 seeds x 4 variants");
            assertEquals(expected, runs(spark));

            Path journal = spark.resolve(OverfitRun.RESULTS_FILE);
            List<String> lines = Files.readAllLines(journal);
            Files.write(journal, lines.subList(0, 3)); // the driver stopped after three jobs
            Runs.Run resumed = Runs.of(TensorEngine.LOCAL, engine, "experiment", "overfit", "--resume",
                    spark.toString(), "--data-dir", data.toString(), "--json");
            assertEquals(0, resumed.code(), resumed.err());
            assertEquals(expected, runs(spark));

            String[] paper = {"experiment", "paper", "--data-dir", data.toString(), "--layers", "784,24,10",
                "--epochs", "2", "--epochs-b", "0", "--seeds", "2", "--variants", "baseline,prune,magnitude,random-rank",
                "--no-report", "--json"};
            Runs.Run here = Runs.of(TensorEngine.LOCAL, ExperimentEngine.LOCAL, paper);
            assertEquals(0, here.code(), here.err());
            int jobsBefore = sc.statusTracker().getJobIdsForGroup(null).length;
            Runs.Run there = Runs.of(TensorEngine.LOCAL, engine, paper);
            assertEquals(0, there.code(), there.err());
            assertEquals(jobsBefore + 2, sc.statusTracker().getJobIdsForGroup(null).length, "a Spark job a seed");
            Map<String, String> paperRuns = paperRuns(here.out());
            assertEquals(8, paperRuns.size(), "2 seeds x 4 variants");
            assertEquals(paperRuns, paperRuns(there.out()), "experiment paper's seeds on Spark");
        }
    }

    /** experiment paper's runs of Experiment A by job, without their timings. */
    static Map<String, String> paperRuns(String json) {
        Map<String, Object> a = JsonFields.object(Json.parseObject(json, "out").get("experiment_a"), "experiment_a");
        Map<String, String> rows = new TreeMap<>();
        for (Object o : JsonFields.array(a.get("runs"), "runs")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> row = (Map<String, Object>) o;
            row.remove("seconds");
            JsonFields.array(row.get("epochs"), "epochs").forEach(e -> ((Map<?, ?>) e).remove("seconds"));
            rows.put(row.get("seed") + " " + row.get("variant"), Json.toString(row, false));
        }
        return rows;
    }
}
