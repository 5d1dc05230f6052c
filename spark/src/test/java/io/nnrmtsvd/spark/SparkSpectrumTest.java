package io.nnrmtsvd.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.checkpoint.CheckpointFixtures;
import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.SafetensorsWriter;
import io.nnrmtsvd.run.TensorEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spectrum} on Spark ({@code local[2]}) gives the single-machine run's rows and eigenvalues
 * on a sharded checkpoint, resumes a journal, refuses up front a tensor larger than a task's budget,
 * and is what {@code rmtsvd spectrum --spark} submits.
 */
class SparkSpectrumTest {
    private static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("SparkSpectrumTest")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stopSpark() {
        sc.close();
    }

    @Test
    void sparkRowsAreTheSingleMachineRows() throws Exception {
        Path ck = CheckpointFixtures.gpt2(dir.resolve("gpt2"));
        Path local = dir.resolve("local");
        Path spark = dir.resolve("spark");
        Runs.ok(TensorEngine.LOCAL, "spectrum", ck.toString(), "--run-dir", local.toString(), "--randomize");
        int jobsBefore = sc.statusTracker().getJobIdsForGroup(null).length;
        Runs.ok(new SparkTensorEngine(sc), "spectrum", ck.toString(), "--run-dir", spark.toString(), "--randomize");
        assertTrue(sc.statusTracker().getJobIdsForGroup(null).length > jobsBefore, "Spark ran the tasks");
        Map<String, String> expected = Runs.rows(local);
        assertEquals(30, expected.size());
        assertEquals(expected, Runs.rows(spark));
        try (Stream<Path> files = Files.list(local.resolve("eigenvalues"))) {
            List<Path> list = files.toList();
            assertEquals(10, list.size(), "one file per analysed tensor");
            for (Path f : list) {
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(spark.resolve("eigenvalues")
                        .resolve(f.getFileName().toString())), f.getFileName().toString());
            }
        }
        assertTrue(Files.isRegularFile(spark.resolve("report.html")));
    }

    @Test
    void aRestartedDriverResumesFromTheJournal() throws Exception {
        Path ck = CheckpointFixtures.gpt2(dir.resolve("gpt2"));
        Path runDir = dir.resolve("run");
        SparkTensorEngine engine = new SparkTensorEngine(sc);
        Runs.ok(engine, "spectrum", ck.toString(), "--run-dir", runDir.toString());
        Map<String, String> whole = Runs.rows(runDir);
        Path journal = runDir.resolve("tensors.jsonl");
        List<String> lines = Files.readAllLines(journal);
        Files.write(journal, lines.subList(0, 12)); // the driver stopped after twelve rows
        Runs.ok(engine, "spectrum", ck.toString(), "--resume", runDir.toString());
        assertEquals(whole, Runs.rows(runDir));
    }

    @Test
    void aTensorLargerThanATaskIsRefusedBeforeAnythingRuns() throws IOException {
        Path file = dir.resolve("big.safetensors");
        SafetensorsWriter.write(file, Map.of(), List.of(
                SafetensorsWriter.Tensor.ofFloats("small.weight", Dtype.F32, new long[] {32, 64}, new float[32 * 64]),
                SafetensorsWriter.Tensor.ofFloats("big.weight", Dtype.F32, new long[] {1024, 1024},
                        new float[1024 * 1024])));
        Path runDir = dir.resolve("refused");
        Runs.Run run = Runs.of(new SparkTensorEngine(sc), "spectrum", file.toString(), "--max-memory", "8m",
                "--run-dir", runDir.toString());
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().strip().startsWith("rmtsvd: tensor 'big.weight' [1024, 1024] needs about 19 MiB to "
                + "analyse, more than a task's budget of 8 MiB"), run.err());
        assertFalse(run.err().strip().contains("\n"), "one line: " + run.err());
        assertEquals(List.of(), Files.readAllLines(runDir.resolve("tensors.jsonl")), "nothing ran");
    }

    @Test
    void theCommandLineSubmitsTheSameJobWithSpark() throws Exception {
        Path ck = CheckpointFixtures.gpt2(dir.resolve("gpt2"));
        Path local = dir.resolve("local");
        Path submitted = dir.resolve("submitted");
        Runs.ok(TensorEngine.LOCAL, "spectrum", ck.toString(), "--run-dir", local.toString(), "--include", "h.0.*");
        String before = System.getProperty("rmtsvd.spark.launch");
        System.setProperty("rmtsvd.spark.launch", Path.of("spark", "target", "launch").toAbsolutePath().toString());
        try {
            Runs.ok(TensorEngine.LOCAL, "spectrum", ck.toString(), "--spark", "local[2]", "--run-dir",
                    submitted.toString(), "--include", "h.0.*");
        } finally {
            if (before == null) {
                System.clearProperty("rmtsvd.spark.launch");
            } else {
                System.setProperty("rmtsvd.spark.launch", before);
            }
        }
        assertEquals(Runs.rows(local), Runs.rows(submitted));
    }
}
