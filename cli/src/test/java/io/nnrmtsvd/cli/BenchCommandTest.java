package io.nnrmtsvd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.checkpoint.CheckpointFixtures;
import io.nnrmtsvd.data.IdxFixtures;
import io.nnrmtsvd.experiment.PeerPrograms;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rmtsvd bench train} on a tiny MNIST: our side, the machine and its bound, and the peers it ships. */
class BenchCommandTest {
    @TempDir
    Path dir;
    private Path data;

    @BeforeEach
    void tinyMnist() throws IOException {
        data = dir.resolve("data");
        IdxFixtures.writeTinyMnist(data, 512, 128, 3);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Map<String, Object> doc) {
        return (List<Map<String, Object>>) doc.get("training");
    }

    @Test
    void ourSideAloneReportsTheMachineTheKernelAndTheBound() {
        CliRun run = CliRun.of("bench", "train", "--data-dir", data.toString(), "--repeats", "1", "--thread-counts",
                "1,2", "--no-peers");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Object> doc = JsonTree.object(run.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = (Map<String, Object>) doc.get("machine");
        assertFalse(((String) machine.get("openblas_core")).isEmpty());
        assertTrue(((Number) machine.get("clock_mhz_measured")).doubleValue() > 300);
        List<Map<String, Object>> rows = rows(doc);
        assertEquals(2, rows.size());
        for (int i = 0; i < 2; i++) {
            Map<String, Object> row = rows.get(i);
            assertEquals((long) i + 1, row.get("threads"));
            double seconds = ((Number) row.get("seconds_per_epoch")).doubleValue();
            double bound = ((Number) row.get("bound_seconds_per_epoch")).doubleValue();
            assertTrue(seconds > 0 && bound > 0, row.toString());
            assertEquals(bound / seconds, ((Number) row.get("fraction_of_peak")).doubleValue(), 1e-9);
            assertFalse(row.containsKey("numpy_seconds_per_epoch"), "no peers asked for");
            assertEquals(784L, row.get("input_features"));
            long span = (Long) row.get("first_layer_input_features_median");
            assertTrue(span >= 1 && span <= 784, row.toString());
        }
        CliRun md = CliRun.of("bench", "train", "--data-dir", data.toString(), "--repeats", "1", "--thread-counts", "1",
                "--no-peers", "--markdown");
        assertEquals(0, md.exitCode(), md.err());
        assertTrue(md.out().startsWith("**Machine**: "), md.out());
        assertTrue(md.out().contains("OpenBLAS kernel **" + machine.get("openblas_core") + "**"), md.out());
        assertTrue(md.out().contains("\n| 1 | "), "one row for one thread: " + md.out());
        assertTrue(md.out().contains("Our first layer multiplied a median " + rows.get(0).get(
                "first_layer_input_features_median") + " of the 784 input features a batch"), md.out());
    }

    @Test
    void thePeersItShipsRunInTheSameRunAndPyTorchIsSkippedWithOneLineWhenMissing() throws IOException {
        CheckpointFixtures.requirePython("python3", "numpy");
        PeerPrograms peers = PeerPrograms.locate(null, "python3");
        CliRun run = CliRun.of("bench", "train", "--data-dir", data.toString(), "--repeats", "1", "--thread-counts",
                "1");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Object> doc = JsonTree.object(run.out());
        Map<String, Object> row = rows(doc).get(0);
        double ours = ((Number) row.get("seconds_per_epoch")).doubleValue();
        double numpy = ((Number) row.get("numpy_seconds_per_epoch")).doubleValue();
        assertEquals(numpy / ours, ((Number) row.get("speedup_vs_numpy")).doubleValue(), 1e-9);
        @SuppressWarnings("unchecked")
        Map<String, Object> numpyAbout = (Map<String, Object>) ((Map<String, Object>) doc.get("machine")).get("numpy");
        assertTrue(numpyAbout.containsKey("numpy"), numpyAbout.toString());
        if (peers.canImport("torch")) {
            assertTrue(row.containsKey("speedup_vs_torch"), row.toString());
            double fastest = Math.min(numpy, ((Number) row.get("torch_seconds_per_epoch")).doubleValue());
            assertEquals(fastest / ours, ((Number) row.get("speedup_vs_faster_peer")).doubleValue(), 1e-9);
        } else {
            assertFalse(row.containsKey("speedup_vs_torch"));
        }
    }

    @Test
    void theHeavyTailCostIsATableOfItsOwn() {
        Map<String, Object> machine = new java.util.LinkedHashMap<>(Map.of("cpu", "test cpu", "cores", 2));
        Map<String, Object> row = Map.of("shape", "768x3072", "seconds", 0.45, "heavy_tail_seconds", 0.0008,
                "bema_only_seconds", 0.4492, "ratio", 0.45 / 0.4492);
        String md = BenchTables.markdown(Map.of("machine", machine, "heavy_tail_cost", List.of(row),
                "process_peak_rss_mb", 100.0));
        assertTrue(md.contains("| 768x3072 | 450.0 ms | 0.8 ms | 449.2 ms | 1.0018 |"), md);
    }
}
