package io.nnrmtsvd.cli;

import static io.nnrmtsvd.cli.CliFixtures.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.data.IdxFixtures;
import io.nnrmtsvd.nn.ModelFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainPruneCommandTest {
    @TempDir
    static Path shared;
    private static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void tinyMnist() throws IOException {
        data = shared.resolve("data");
        IdxFixtures.writeTinyMnist(data, 384, 128, 7);
    }

    @Test
    void pruneWithCompareReportsPruneEventsAndTheBaseline() {
        Path model = dir.resolve("pruned.safetensors");
        CliRun run = CliRun.of("train", "--data-dir", data.toString(), "--layers", "784,48,10", "--epochs", "2",
                "--lr", "0.05", "--seed", "3", "--prune", "split-truncate", "--compare", "--save", model.toString(),
                "--json");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Object> doc = JsonTree.object(run.out());

        List<Object> events = JsonTree.list(doc.get("prune_events"));
        assertEquals(2, events.size(), "a prune before each of the two epochs");
        Map<String, Object> first = JsonTree.object(events.get(0));
        assertEquals(1L, first.get("epoch"));
        assertEquals("784-48-10", first.get("widths_before"));
        assertEquals("784-21-48-10", first.get("widths_after"), "no spike in the random 48 x 784 layer: k = floor(0.45 * 48)");
        assertEquals(2L, JsonTree.object(events.get(1)).get("epoch"));
        assertEquals(first.get("widths_after"), JsonTree.object(events.get(1)).get("widths_before"));
        Map<String, Object> layer0 = JsonTree.object(JsonTree.list(first.get("layers")).get(0));
        assertEquals(48L, layer0.get("rows"));
        assertEquals(784L, layer0.get("cols"));

        Map<String, Object> baseline = JsonTree.object(doc.get("baseline"));
        List<Object> baselineEpochs = JsonTree.list(baseline.get("epochs"));
        assertEquals(2, baselineEpochs.size());
        assertEquals((long) 784 * 48 + 48 + 48 * 10 + 10, baseline.get("parameters"), "the baseline is not pruned");
        assertEquals(2, JsonTree.list(doc.get("epochs")).size());
        for (Object e : baselineEpochs) {
            double a = JsonTree.number(JsonTree.object(e).get("test_accuracy"));
            assertTrue(a >= 0 && a <= 1, "baseline accuracy " + a);
        }
        Map<String, Object> config = JsonTree.object(doc.get("config"));
        assertEquals("split-truncate", config.get("prune"));
        assertEquals("0.45", config.get("keep"));

        String widths = ModelFiles.load(model).widthsString();
        assertEquals(JsonTree.object(events.get(1)).get("widths_after"), widths);
        assertEquals(ModelFiles.load(model).parameterCount(), ((Number) doc.get("parameters")).longValue());
    }

    @Test
    void compareWithoutPruneIsBadInput() {
        assertBadInput(CliRun.of("train", "--data-dir", data.toString(), "--compare"));
    }

    @Test
    void unknownPruneAlgorithmIsBadInput() {
        assertBadInput(CliRun.of("train", "--data-dir", data.toString(), "--prune", "magic"));
    }

    @Test
    void badKeepScheduleIsBadInput() {
        assertBadInput(CliRun.of("train", "--data-dir", data.toString(), "--layers", "784,8,10", "--epochs", "1",
                "--prune", "truncate", "--keep", "linear:1"));
    }
}
