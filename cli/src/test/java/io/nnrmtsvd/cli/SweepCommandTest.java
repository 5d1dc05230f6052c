package io.nnrmtsvd.cli;

import static io.nnrmtsvd.cli.CliFixtures.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.nn.Evaluation;
import io.nnrmtsvd.nn.ModelFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
    @TempDir
    static Path shared;
    private static CliFixtures.TinyMnist tiny;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainTinyModel() throws IOException {
        tiny = CliFixtures.TinyMnist.trainedInto(shared);
    }

    @Test
    void fullRankMatchesTheModelInJson() {
        CliRun run = CliRun.of("sweep", tiny.model().toString(), "--data-dir", tiny.data().toString(),
                "--ranks", "0,8,32", "--json");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Object> doc = JsonTree.object(run.out());
        assertEquals(0L, doc.get("layer"));
        assertEquals(32L, doc.get("rows"));
        assertEquals(784L, doc.get("cols"));
        double full = JsonTree.number(doc.get("full_accuracy"));
        assertEquals(Evaluation.of(ModelFiles.load(tiny.model()), Dataset.load("mnist", tiny.data(), line -> { }).test())
                .accuracy(), full);
        long predicted = (Long) doc.get("predicted_rank");
        assertTrue(predicted >= 0 && predicted <= 32, "predicted rank " + predicted);
        List<Object> points = JsonTree.list(doc.get("points"));
        assertEquals(3, points.size());
        assertEquals(List.of(0L, 8L, 32L), points.stream().map(p -> JsonTree.object(p).get("rank")).toList());
        assertEquals(full, JsonTree.number(JsonTree.object(points.get(2)).get("test_accuracy")));
        for (Object p : points) {
            double a = JsonTree.number(JsonTree.object(p).get("test_accuracy"));
            assertTrue(a >= 0 && a <= 1, "accuracy " + a);
        }
    }

    @Test
    void tableListsEveryRank() {
        CliRun run = CliRun.of("sweep", tiny.model().toString(), "--data-dir", tiny.data().toString(), "--layer", "1",
                "--ranks", "0:10:5");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("layer 1 (10x32): BEMA predicted rank"), run.out());
        assertEquals(2, run.out().lines().filter(l -> l.matches("\\s+\\d+\\s+\\d+\\.\\d\\d%")).count(), run.out());
    }

    @Test
    void ranksBeyondTheLayerAreBadInput() {
        CliRun run = CliRun.of("sweep", tiny.model().toString(), "--data-dir", tiny.data().toString(),
                "--ranks", "0:40:5");
        assertBadInput(run);
        assertTrue(run.err().contains("rank 35"), run.err());
        assertBadInput(CliRun.of("sweep", tiny.model().toString(), "--data-dir", tiny.data().toString(), "--layer", "1",
                "--ranks", "11"));
    }

    @Test
    void malformedRanksAreBadInput() {
        assertBadInput(CliRun.of("sweep", tiny.model().toString(), "--data-dir", tiny.data().toString(),
                "--ranks", "0:10"));
        assertBadInput(CliRun.of("sweep", tiny.model().toString(), "--data-dir", tiny.data().toString(),
                "--ranks", "x"));
    }

    @Test
    void layerOutOfRangeIsBadInput() {
        CliRun run = CliRun.of("sweep", tiny.model().toString(), "--data-dir", tiny.data().toString(), "--layer", "5");
        assertBadInput(run);
        assertTrue(run.err().contains("--layer 5"), run.err());
        assertBadInput(CliRun.of("sweep", tiny.model().toString(), "--data-dir", tiny.data().toString(),
                "--layer", "-1"));
    }

    @Test
    void notAModelIsBadInput() throws IOException {
        assertBadInput(CliRun.of("sweep", CliFixtures.junk(dir.resolve("junk.safetensors")).toString(),
                "--data-dir", tiny.data().toString()));
        assertBadInput(CliRun.of("sweep", CliFixtures.foreignSafetensors(dir.resolve("f.safetensors")).toString(),
                "--data-dir", tiny.data().toString()));
    }

    @Test
    void datasetWhoseInputSizeDoesNotMatchTheModel() {
        Path tenInputs = CliFixtures.savedModel(dir.resolve("ten.safetensors"), 2, 10, 16, 10);
        CliRun run = CliRun.of("sweep", tenInputs.toString(), "--data-dir", tiny.data().toString(), "--ranks", "0,5");
        assertBadInput(run);
        assertTrue(run.err().contains("10 inputs"), run.err());
    }
}
