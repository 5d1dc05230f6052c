package io.nnrmtsvd.cli;

import static io.nnrmtsvd.cli.CliFixtures.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.nn.Evaluation;
import io.nnrmtsvd.nn.ModelFiles;
import io.nnrmtsvd.nn.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressCommandTest {
    @TempDir
    static Path shared;
    private static CliFixtures.TinyMnist tiny;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainTinyModel() throws IOException {
        tiny = CliFixtures.TinyMnist.trainedInto(shared);
    }

    private CliRun compress(Path out, String... options) {
        String[] args = new String[options.length + 4];
        args[0] = "compress";
        args[1] = tiny.model().toString();
        args[2] = "--out";
        args[3] = out.toString();
        System.arraycopy(options, 0, args, 4, options.length);
        return CliRun.of(args);
    }

    @Test
    void writesAModelThatEvaluatesAsReported() {
        Path out = dir.resolve("small.safetensors");
        CliRun run = compress(out, "--selector", "rank:8", "--min-rank", "0", "--cutoff", "1",
                "--dataset", "mnist", "--data-dir", tiny.data().toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Object> doc = JsonTree.object(run.out());
        Network written = ModelFiles.load(out);
        Network original = ModelFiles.load(tiny.model());
        Dataset loaded = Dataset.load("mnist", tiny.data(), line -> { });

        assertEquals("784-32-10", doc.get("widths_before"));
        assertEquals(written.widthsString(), doc.get("widths_after"));
        assertEquals("784-8-32-10", written.widthsString(), "layer 0 split at rank 8; layer 1 truncated in place");
        assertEquals(written.parameterCount(), ((Number) doc.get("parameters_after")).longValue());
        assertEquals(original.parameterCount(), ((Number) doc.get("parameters_before")).longValue());
        assertEquals("mnist", doc.get("dataset"));
        double before = JsonTree.number(doc.get("test_accuracy_before"));
        double after = JsonTree.number(doc.get("test_accuracy_after"));
        assertTrue(before >= 0 && before <= 1, "before " + before);
        assertTrue(after >= 0 && after <= 1, "after " + after);
        assertEquals(Evaluation.of(original, loaded.test()).accuracy(), before);
        assertEquals(Evaluation.of(written, loaded.test()).accuracy(), after);
        List<Object> layers = JsonTree.list(doc.get("layers"));
        assertEquals(2, layers.size());
        assertEquals("split", JsonTree.object(layers.get(0)).get("action"));
        assertEquals(8L, JsonTree.object(layers.get(0)).get("k"));
        assertEquals("truncate", JsonTree.object(layers.get(1)).get("action"));
        assertTrue(written.layer(1).relu() && !written.layer(0).relu() && !written.layer(2).relu());
    }

    @Test
    void withoutDatasetTheJsonHasNoAccuracies() {
        Path out = dir.resolve("small.safetensors");
        CliRun run = compress(out, "--cutoff", "1", "--json");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Object> doc = JsonTree.object(run.out());
        assertFalse(doc.containsKey("test_accuracy_before"));
        assertFalse(doc.containsKey("test_accuracy_after"));
        assertEquals(ModelFiles.load(out).widthsString(), doc.get("widths_after"));
    }

    @Test
    void tableOutputNamesEachLayerAndTheFile() {
        Path out = dir.resolve("small.safetensors");
        CliRun run = compress(out, "--layers", "0", "--selector", "rank:12", "--min-rank", "0", "--cutoff", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("layer 0 (32x784): split, rank 12"), run.out());
        assertTrue(run.out().contains("layer 1 (10x32): unchanged"), run.out());
        assertTrue(run.out().contains("784-32-10 -> 784-12-32-10"), run.out());
        assertTrue(run.out().strip().endsWith("wrote " + out), run.out());
        assertEquals("784-12-32-10", ModelFiles.load(out).widthsString());
    }

    @Test
    void randomBytesAreNotAModel() throws IOException {
        Path junk = CliFixtures.junk(dir.resolve("junk.safetensors"));
        Path out = dir.resolve("out.safetensors");
        assertBadInput(CliRun.of("compress", junk.toString(), "--out", out.toString()));
        assertFalse(Files.exists(out));
    }

    @Test
    void safetensorsWithOtherTensorNamesIsACheckpoint() throws IOException {
        Path foreign = CliFixtures.foreignSafetensors(dir.resolve("foreign.safetensors"));
        Path out = dir.resolve("out.safetensors");
        CliRun run = CliRun.of("compress", foreign.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("encoder.weight [4,6] F32: copied; smaller than --min-dim 10"), run.out());
        assertTrue(run.out().contains("encoder.bias [4] F32: copied; not 2-D or 4-D"), run.out());
        assertTrue(Files.exists(out));
        assertBadInput(CliRun.of("compress", foreign.toString(), "--out", out.toString(), "--dataset", "mnist"));
    }

    @Test
    void missingModelFile() {
        Path out = dir.resolve("out.safetensors");
        assertBadInput(CliRun.of("compress", dir.resolve("nothing.safetensors").toString(), "--out", out.toString()));
        assertFalse(Files.exists(out));
    }

    @Test
    void layerIndexOutOfRange() {
        Path out = dir.resolve("out.safetensors");
        CliRun run = compress(out, "--layers", "5");
        assertBadInput(run);
        assertTrue(run.err().contains("--layers 5"), run.err());
        assertFalse(Files.exists(out));
        assertBadInput(compress(out, "--layers", "-1"));
        assertFalse(Files.exists(out));
    }

    @Test
    void rankLargerThanTheLayerAllows() {
        Path out = dir.resolve("out.safetensors");
        CliRun run = compress(out, "--selector", "rank:33", "--layers", "0");
        assertBadInput(run);
        assertTrue(run.err().contains("at most 32"), run.err());
        assertFalse(Files.exists(out));
        assertBadInput(compress(out, "--selector", "rank:11", "--layers", "1"));
        assertFalse(Files.exists(out));
    }

    @Test
    void datasetWhoseInputSizeDoesNotMatchTheModel() {
        Path tenInputs = CliFixtures.savedModel(dir.resolve("ten.safetensors"), 2, 10, 16, 10);
        Path out = dir.resolve("out.safetensors");
        CliRun run = CliRun.of("compress", tenInputs.toString(), "--out", out.toString(), "--dataset", "mnist",
                "--data-dir", tiny.data().toString());
        assertBadInput(run);
        assertTrue(run.err().contains("10 inputs"), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownAlgorithm() {
        Path out = dir.resolve("out.safetensors");
        assertBadInput(compress(out, "--alg", "magic"));
        assertFalse(Files.exists(out));
    }
}
