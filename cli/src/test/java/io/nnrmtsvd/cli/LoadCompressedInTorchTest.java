package io.nnrmtsvd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.checkpoint.CheckpointFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/load_compressed.py, run by Debian's PyTorch (/usr/bin/python3), rebuilds a factored MLP as
 * pairs of nn.Linear and gets the test accuracy rmtsvd reports for the same file, and runs a
 * factored convolution as two convolutions. Skipped only when torch is missing and CI is not set.
 */
class LoadCompressedInTorchTest {
    @TempDir
    Path dir;

    @Test
    void torchGetsTheAccuracyRmtsvdReports() throws Exception {
        CheckpointFixtures.requirePython("/usr/bin/python3", "torch, numpy");
        Path data = dir.resolve("data");
        Path model = CliFixtures.tinyMnistModel(data, dir.resolve("mlp.safetensors"));
        Path out = dir.resolve("factored.safetensors");
        CliRun run = CliRun.of("compress", model.toString(), "--checkpoint", "--dense", "false", "--out",
                out.toString(), "--cutoff", "1", "--keep", "0", "--min-rank", "10", "--min-dim", "2", "--dataset", "mnist",
                "--data-dir", data.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Object> doc = JsonTree.object(run.out());
        Map<String, Object> first = JsonTree.object(JsonTree.list(doc.get("layers")).stream()
                .filter(l -> "layers.0.weight".equals(JsonTree.object(l).get("name"))).findFirst().orElseThrow());
        assertEquals("factored", first.get("action"), "the 32 x 784 layer is split");
        double reported = JsonTree.number(doc.get("test_accuracy_after"));
        assertTrue(reported > 0.5, "the tiny data set is easy: " + run.out());

        String printed = CheckpointFixtures.run(List.of("/usr/bin/python3",
                CheckpointFixtures.resource("eval_compressed_mlp.py").toString(),
                Path.of("docs").toAbsolutePath().toString(), out.toString(), data.resolve("mnist").toString()));
        double torch = Double.parseDouble(printed.strip().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(reported, torch, 1.0 / 128 + 1e-12, "128 test images; float sums may flip one at most");
    }

    @Test
    void torchRunsAFactoredConvolutionAsTwoConvolutions() throws Exception {
        CheckpointFixtures.requirePython("/usr/bin/python3", "torch, numpy");
        Path original = CliFixtures.convolutionCheckpoint(dir.resolve("conv.safetensors"), 4);
        Path out = dir.resolve("factored.safetensors");
        CliRun run = CliRun.of("compress", original.toString(), "--dense", "false", "--out", out.toString(),
                "--json");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Object> conv = JsonTree.object(JsonTree.list(JsonTree.object(run.out()).get("layers")).stream()
                .filter(l -> "conv.weight".equals(JsonTree.object(l).get("name"))).findFirst().orElseThrow());
        assertEquals("factored", conv.get("action"), run.out());
        assertEquals(4.0, JsonTree.number(conv.get("rank")), "the four planted directions");

        String printed = CheckpointFixtures.run(List.of("/usr/bin/python3",
                CheckpointFixtures.resource("check_compressed_conv.py").toString(),
                Path.of("docs").toAbsolutePath().toString(), original.toString(), out.toString(), "conv.weight",
                "2", "1"));
        List<String> lines = printed.strip().lines().toList();
        double pairVersusRebuilt = Double.parseDouble(lines.get(lines.size() - 2));
        double pairVersusOriginal = Double.parseDouble(lines.get(lines.size() - 1));
        assertTrue(pairVersusRebuilt < 1e-4, "the two convolutions compute the rebuilt one: " + printed);
        assertTrue(pairVersusOriginal < 0.1, "only the noise is gone: " + printed);
    }
}
