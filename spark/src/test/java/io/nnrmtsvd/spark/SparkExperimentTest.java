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
 * holds the single-machine run's results to the bit, and a restarted driver resumes it.
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
        }
    }
}
