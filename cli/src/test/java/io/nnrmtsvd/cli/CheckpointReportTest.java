package io.nnrmtsvd.cli;

import static io.nnrmtsvd.cli.CliFixtures.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.SafetensorsWriter;
import io.nnrmtsvd.report.HeadlessChromium;
import io.nnrmtsvd.report.TensorPlotSelection;
import io.nnrmtsvd.run.EigenvalueFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of {@code spectrum} on a synthetic 200-tensor Llama-like checkpoint: 22 layers of
 * seven projections and two norms, embeddings and a head, heavy-tailed weights whose tails thin
 * with depth, a few planted directions each.
 */
class CheckpointReportTest {
    private static final int LAYERS = 22;
    private static final String GLOB = "model.layers.5.*";
    private static final long FIVE_MB = 5L << 20;

    @TempDir
    static Path dir;
    private static Path checkpoint;
    private static Path runDir;
    private static Map<String, Object> metrics;
    private static String page;

    @BeforeAll
    static void analyse() throws IOException {
        checkpoint = llamaLike(dir.resolve("llama.safetensors"));
        runDir = dir.resolve("run");
        CliRun run = CliRun.of("spectrum", checkpoint.toString(), "--run-dir", runDir.toString(), "--plot", GLOB,
                "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        metrics = JsonTree.object(JsonTree.parse(Files.readString(runDir.resolve("metrics.json"))));
        page = Files.readString(runDir.resolve("report.html"));
    }

    @Test
    void theReportStaysUnderFiveMegabytesWithEveryTensorInTheTable() throws IOException {
        long size = Files.size(runDir.resolve("report.html"));
        assertTrue(size < FIVE_MB, "report.html is " + size + " bytes");
        Matcher table = Pattern.compile("<table class=\"layers tensors\">.*?<tbody>(.*?)</tbody>", Pattern.DOTALL)
                .matcher(page);
        assertTrue(table.find());
        assertEquals(200, table.group(1).split("<tr>", -1).length - 1, "one row per tensor");
        assertEquals(2 * LAYERS, Pattern.compile("skipped: not 2-D or 4-D").matcher(table.group(1)).results().count());
        for (String metric : List.of("alpha", "log-spectral-norm", "spikes", "fit-error")) {
            assertTrue(page.contains("id=\"fig-tensors-depth-" + metric + "\""), metric);
        }
        assertTrue(page.contains("<section id=\"model-summary\">"));
    }

    @Test
    void theChosenTensorsAreCappedRecordedAndReproducible() {
        Map<String, Object> tensors = JsonTree.object(metrics.get("tensors"));
        assertEquals(List.of(GLOB), tensors.get("plot_globs"));
        List<Map<String, Object>> rows = JsonTree.list(tensors.get("rows")).stream().map(JsonTree::object).toList();
        assertEquals(200, rows.size());
        assertEquals(metrics.get("result"), tensors.get("rows"), "the rows spectrum printed");
        Map<String, Object> plots = JsonTree.object(tensors.get("plots"));
        List<Map<String, Object>> picks = JsonTree.list(plots.get("tensors")).stream().map(JsonTree::object).toList();
        long byGlob = picks.stream().filter(p -> ((String) JsonTree.list(p.get("why")).get(0)).startsWith("--plot"))
                .count();
        assertTrue(picks.size() - byGlob <= TensorPlotSelection.LIMIT, picks.size() + " picks, " + byGlob + " by glob");
        assertTrue(picks.size() - byGlob >= 8, "the extremes at least");
        for (String role : List.of("self_attn.q_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.down_proj")) {
            String name = "model.layers.5." + role + ".weight";
            assertTrue(picks.stream().anyMatch(p -> p.get("name").equals(name)), "--plot " + GLOB + " takes " + name);
        }
        assertEquals(JsonTree.parse(Json.toString(TensorPlotSelection.of(rows, List.of(GLOB)).toJson(), false)), plots,
                "the same choice again from the recorded rows");
        for (Map<String, Object> p : picks) {
            int i = picks.indexOf(p) + 1;
            assertTrue(page.contains("id=\"fig-t" + i + "-"), "plots of pick " + i + ", " + p.get("name"));
        }
    }

    @Test
    void theBrowserRendersItWithoutErrorsAndTheTableFitsAt1280Pixels() throws Exception {
        HeadlessChromium.assumeInstalled();
        HeadlessChromium.Page shown = HeadlessChromium.open(runDir.resolve("report.html"), dir);
        assertEquals(List.of(), shown.errors());
        assertEquals(List.of(), shown.console());
        assertEquals(List.of(200), shown.layerRows());
        assertEquals(0, shown.overflowingTables(), "the tensor table needs no sideways scrolling at 1280 px");
        assertTrue(shown.imageWidths().size() > 4 + 8, shown.imageWidths().toString());
        shown.renderedWidths().forEach(w -> assertTrue(w >= 400, "figure drawn " + w + " px wide"));
    }

    @Test
    void reportRedrawsTheSamePageAndLeavesOutATensorWhoseEigenvaluesAreGone() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("copy"));
        Files.copy(runDir.resolve("metrics.json"), copy.resolve("metrics.json"));
        Files.createDirectories(copy.resolve(EigenvalueFiles.DIRECTORY));
        try (Stream<Path> files = Files.list(runDir.resolve(EigenvalueFiles.DIRECTORY))) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(EigenvalueFiles.DIRECTORY).resolve(f.getFileName()));
            }
        }
        CliRun redraw = CliRun.of("report", copy.toString());
        assertEquals(0, redraw.exitCode(), redraw.err());
        assertEquals(page, Files.readString(copy.resolve("report.html")));

        String gone = "model.layers.5.mlp.up_proj.weight";
        Files.delete(copy.resolve(EigenvalueFiles.relativePath(gone)));
        CliRun again = CliRun.of("report", copy.toString());
        assertEquals(0, again.exitCode(), again.err());
        String redrawn = Files.readString(copy.resolve("report.html"));
        assertTrue(redrawn.contains("<h3><code>" + gone + "</code></h3>"));
        assertTrue(redrawn.contains("No plots: its eigenvalues cannot be read"), "a note instead of the plots");
        assertTrue(redrawn.split("<figure ", -1).length < page.split("<figure ", -1).length);
    }

    @Test
    void compressReportsTheSameTensorsWithWhatItDidToEach() throws IOException {
        Path compressRun = dir.resolve("compress-run");
        CliRun run = CliRun.of("compress", checkpoint.toString(), "--out", dir.resolve("small.safetensors").toString(),
                "--run-dir", compressRun.toString(), "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Object> compressed = JsonTree.object(JsonTree.parse(Files.readString(compressRun.resolve(
                "metrics.json"))));
        List<Map<String, Object>> rows = JsonTree.list(JsonTree.object(compressed.get("tensors")).get("rows")).stream()
                .map(JsonTree::object).toList();
        assertEquals(200, rows.size());
        Map<String, Object> up = rows.stream().filter(r -> r.get("name").equals("model.layers.3.mlp.up_proj.weight"))
                .findFirst().orElseThrow();
        assertEquals("factored", up.get("action"));
        assertTrue(up.containsKey("alpha") && up.containsKey("rank"), up.toString());
        long analysed = rows.stream().filter(r -> "analysed".equals(r.get("status"))).count();
        try (Stream<Path> files = Files.list(compressRun.resolve(EigenvalueFiles.DIRECTORY))) {
            assertEquals(analysed, files.count(), "each analysed tensor's eigenvalues are kept");
        }
        String report = Files.readString(compressRun.resolve("report.html"));
        assertTrue(Files.size(compressRun.resolve("report.html")) < FIVE_MB);
        assertTrue(report.contains("<th class=\"text\" title=\"action, rank\">compressed</th>"));
        assertTrue(report.contains("factored, rank "));
        assertTrue(report.contains("id=\"fig-tensors-depth-alpha\""));
        assertTrue(report.contains("id=\"fig-t1-"), "the chosen tensors' spectra");
        assertTrue(report.contains("parameters before"), "the summary of the compression");
    }

    @Test
    void plotIsForCheckpointsWithAReport() throws IOException {
        Path matrix = dir.resolve("w.csv");
        Files.writeString(matrix, "1,2,3\n4,5,6\n7,8,10\n");
        assertBadInput(CliRun.of("spectrum", matrix.toString(), "--plot", "*", "--no-report"));
        CliRun noReport = CliRun.of("spectrum", checkpoint.toString(), "--plot", "*", "--no-report", "--tensor",
                "lm_head.weight");
        assertBadInput(noReport);
        assertEquals("rmtsvd: --plot draws into the report; drop --no-report", noReport.lastErrorLine());
    }

    /** The checkpoint: 22 x (q, k, v, o 64x64; gate, up 128x64; down 64x128; two norms), embeddings, head. */
    private static Path llamaLike(Path file) throws IOException {
        SplittableRandom random = new SplittableRandom(17);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        tensors.add(weight("model.embed_tokens.weight", 256, 64, 3, 2, random));
        for (int layer = 0; layer < LAYERS; layer++) {
            int nu = 2 + 8 * layer / LAYERS; // tails thin with depth: alpha grows
            String p = "model.layers." + layer + ".";
            for (String proj : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
                tensors.add(weight(p + "self_attn." + proj + ".weight", 64, 64, nu, 2, random));
            }
            tensors.add(weight(p + "mlp.gate_proj.weight", 128, 64, nu, 3, random));
            tensors.add(weight(p + "mlp.up_proj.weight", 128, 64, nu, 3, random));
            tensors.add(weight(p + "mlp.down_proj.weight", 64, 128, nu, 3, random));
            for (String norm : List.of("input_layernorm", "post_attention_layernorm")) {
                float[] ones = new float[64];
                Arrays.fill(ones, 1f);
                tensors.add(SafetensorsWriter.Tensor.ofFloats(p + norm + ".weight", Dtype.F32, new long[] {64}, ones));
            }
        }
        tensors.add(weight("lm_head.weight", 256, 64, 4, 1, random));
        assertEquals(200, tensors.size());
        SafetensorsWriter.write(file, Map.of(), tensors);
        return file;
    }

    /** Student-t entries with {@code nu} degrees of freedom (heavy-tailed), plus {@code spikes} planted directions. */
    private static SafetensorsWriter.Tensor weight(String name, int rows, int cols, int nu, int spikes,
                                                   SplittableRandom random) {
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            double chi2 = 0;
            for (int k = 0; k < nu; k++) {
                double g = random.nextGaussian();
                chi2 += g * g;
            }
            w[i] = (float) (0.02 * random.nextGaussian() / Math.sqrt(chi2 / nu));
        }
        for (int s = 0; s < spikes; s++) {
            double[] u = CliFixtures.unitGaussian(rows, random);
            double[] v = CliFixtures.unitGaussian(cols, random);
            double strength = 0.02 * (3 + 2 * s) * Math.sqrt(cols);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    w[i * cols + j] += (float) (strength * u[i] * v[j]);
                }
            }
        }
        return SafetensorsWriter.Tensor.ofFloats(name, Dtype.F32, new long[] {rows, cols}, w);
    }
}
