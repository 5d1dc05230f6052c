package io.nnrmtsvd.cli;

import static io.nnrmtsvd.cli.CliFixtures.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.checkpoint.CheckpointFixtures;
import io.nnrmtsvd.io.NpyFiles;
import io.nnrmtsvd.io.SafetensorsFile;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.DoubleBlas;
import io.nnrmtsvd.rmt.GramSpectrum;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spectrum and compress on GPT-2-like checkpoints written by make_checkpoint.py (numpy, not our
 * writer): two shards with an index, F16, BF16, F32 and I64 tensors, 1-D norms and biases.
 */
class CheckpointCommandTest {
    private static final String SHARD1 = "model-00001-of-00002.safetensors";
    private static final String SHARD2 = "model-00002-of-00002.safetensors";
    private static final List<String> WEIGHTS = List.of("h.0.attn.c_attn.weight", "h.0.attn.c_proj.weight",
            "h.0.mlp.c_fc.weight", "h.0.mlp.c_proj.weight", "h.1.attn.c_attn.weight", "h.1.attn.c_proj.weight",
            "h.1.mlp.c_fc.weight", "h.1.mlp.c_proj.weight", "wpe.weight", "wte.weight");

    @TempDir
    Path dir;

    private static Map<String, Map<String, Object>> rowsByName(CliRun run) {
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Map<String, Object>> rows = new HashMap<>();
        for (Object r : JsonTree.list(JsonTree.parse(run.out()))) {
            Map<String, Object> row = JsonTree.object(r);
            rows.put((String) row.get("name"), row);
        }
        return rows;
    }

    @Test
    void spectrumGivesEveryTensorARow() throws Exception {
        Path ck = CheckpointFixtures.gpt2(dir.resolve("gpt2"));
        Map<String, Map<String, Object>> rows = rowsByName(CliRun.of("spectrum", ck.toString(), "--json"));
        try (ShardedCheckpoint in = ShardedCheckpoint.open(ck)) {
            assertEquals(in.tensors().size(), rows.size());
        }
        for (String w : WEIGHTS) {
            Map<String, Object> row = rows.get(w);
            assertEquals("analysed", row.get("status"), w);
            assertEquals(4.0, JsonTree.number(row.get("spikes")), w + ": the four planted directions");
            assertTrue(row.keySet().containsAll(List.of("name", "rows", "cols", "p", "n", "gamma", "sigma2",
                    "lambda_plus", "s_plus", "fit_error", "good_fit", "largest_eigenvalue", "ranks", "dtype")), w);
        }
        assertEquals("F16", rows.get("h.0.mlp.c_fc.weight").get("dtype"));
        assertEquals("BF16", rows.get("h.1.mlp.c_fc.weight").get("dtype"));
        assertEquals(256.0, JsonTree.number(rows.get("h.0.mlp.c_proj.weight").get("rows")));
        assertEquals("not 2-D or 4-D (shape [64])", rows.get("h.0.ln_1.weight").get("reason"));
        assertEquals("skipped", rows.get("h.0.ln_1.weight").get("status"));
        assertTrue(((String) rows.get("position_ids").get("reason")).startsWith("unsupported dtype I64"));
        assertEquals("smaller than --min-dim 10 (shape [2, 64])", rows.get("wtt.weight").get("reason"));

        Map<String, Map<String, Object>> some = rowsByName(CliRun.of("spectrum", ck.toString(), "--json",
                "--include", "h.1.*", "--exclude", "*.c_attn.*", "--min-dim", "2", "--jobs", "2", "--max-memory", "8m"));
        assertEquals("analysed", some.get("h.1.mlp.c_fc.weight").get("status"));
        assertEquals(rows.get("h.1.mlp.c_fc.weight").get("sigma2"), some.get("h.1.mlp.c_fc.weight").get("sigma2"));
        assertEquals("excluded by --exclude *.c_attn.*", some.get("h.1.attn.c_attn.weight").get("reason"));
        assertEquals("not matched by --include h.1.*", some.get("h.0.mlp.c_fc.weight").get("reason"));

        Path runDir = dir.resolve("run");
        CliRun table = CliRun.of("spectrum", ck.toString(), "--run-dir", runDir.toString());
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("30 tensors: 10 analysed, 20 skipped\nalpha: mean "), table.out());
        for (String w : WEIGHTS) { // each analysed tensor's eigenvalues are kept for the report
            double[] eigenvalues = NpyFiles.readVector(runDir.resolve("eigenvalues").resolve(w + ".npy"));
            assertEquals(Math.min(JsonTree.number(rows.get(w).get("rows")), JsonTree.number(rows.get(w).get("cols"))),
                    eigenvalues.length, w);
            double largest = JsonTree.number(rows.get(w).get("largest_eigenvalue")) * JsonTree.number(rows.get(w).get("n"));
            assertEquals(largest, eigenvalues[eigenvalues.length - 1], 1e-9 * largest, w + ": s_1^2");
        }

        CliRun oneLine = CliRun.of("spectrum", ck.toString(), "--tensor", "h.0.ln_1.weight", "--no-report");
        assertBadInput(oneLine);
        assertTrue(oneLine.err().contains("tensor 'h.0.ln_1.weight' is not analysed: not 2-D or 4-D"), oneLine.err());
    }

    @Test
    void severalCheckpointsGetARunDirectoryEach() throws Exception {
        Path first = CheckpointFixtures.gpt2(dir.resolve("step-100"));
        Path second = CheckpointFixtures.gpt2(dir.resolve("step-200"), "--seed", "2", "--shards", "1");
        Path history = dir.resolve("history");
        CliRun run = CliRun.of("spectrum", first.toString(), second.toString(), "--run-dir", history.toString(),
                "--json", "--include", "h.*");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().strip().endsWith("reports: " + history + " (a run directory for each of the 2 "
                + "checkpoints)"), run.err());
        List<Object> docs = JsonTree.list(JsonTree.parse(run.out()));
        assertEquals(2, docs.size());
        for (int i = 0; i < 2; i++) {
            Map<String, Object> doc = JsonTree.object(docs.get(i));
            Path input = i == 0 ? first : second;
            Path runDir = history.resolve(input.getFileName());
            assertEquals(input.toString(), doc.get("input"));
            assertEquals(runDir.toString(), doc.get("run_dir"));
            assertTrue(Files.isRegularFile(runDir.resolve("report.html")), runDir.toString());
            Map<String, Map<String, Object>> alone = rowsByName(CliRun.of("spectrum", input.toString(), "--json",
                    "--no-report", "--include", "h.*"));
            List<Object> rows = JsonTree.list(doc.get("rows"));
            assertEquals(alone.size(), rows.size());
            for (Object r : rows) {
                Map<String, Object> row = JsonTree.object(r);
                assertEquals(alone.get(row.get("name")).get("sigma2"), row.get("sigma2"), (String) row.get("name"));
            }
        }
        assertBadInput(CliRun.of("spectrum", first.toString(), second.toString(), "--resume", history.toString()));
        Path npy = dir.resolve("w.npy");
        NpyFiles.writeFloat64(npy, DMatrix.wrap(2, 2, new double[] {1, 2, 3, 4}));
        CliRun mixed = CliRun.of("spectrum", first.toString(), npy.toString(), "--no-report");
        assertBadInput(mixed);
        assertTrue(mixed.err().contains("several inputs must all be checkpoints"), mixed.err());
    }

    @Test
    void compressFactorsLayersAndCopiesTheRest() throws Exception {
        Path ck = CheckpointFixtures.gpt2(dir.resolve("gpt2"));
        Path out = dir.resolve("small");
        CliRun run = CliRun.of("compress", ck.toString(), "--out", out.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Object> doc = JsonTree.object(run.out());
        Map<String, Map<String, Object>> layers = new HashMap<>();
        for (Object l : JsonTree.list(doc.get("layers"))) {
            layers.put((String) JsonTree.object(l).get("name"), JsonTree.object(l));
        }
        assertEquals(List.of(SHARD1, SHARD2, ShardedCheckpoint.INDEX_FILE),
                Stream.of(out.toFile().list()).sorted().toList());
        long sizes = 0;
        for (String f : List.of(SHARD1, SHARD2, ShardedCheckpoint.INDEX_FILE)) {
            sizes += Files.size(out.resolve(f));
        }
        assertEquals(sizes, (long) JsonTree.number(doc.get("file_bytes_after")), "reported size is the real size");
        assertTrue(JsonTree.number(doc.get("file_bytes_after")) < JsonTree.number(doc.get("file_bytes_before")) / 4);

        try (ShardedCheckpoint in = ShardedCheckpoint.open(ck); ShardedCheckpoint small = ShardedCheckpoint.open(out)) {
            for (String w : WEIGHTS) {
                Map<String, Object> layer = layers.get(w);
                assertEquals("factored", layer.get("action"), w);
                assertEquals(4.0, JsonTree.number(layer.get("rank")), w);
                String base = w.substring(0, w.length() - ".weight".length());
                TensorInfo original = in.tensor(w);
                TensorInfo down = small.tensor(base + ".down.weight");
                TensorInfo up = small.tensor(base + ".up.weight");
                assertFalse(small.contains(w));
                long rows = original.shape()[0];
                long cols = original.shape()[1];
                assertArrayEquals(new long[] {4, cols}, down.shape());
                assertArrayEquals(new long[] {rows, 4}, up.shape());
                assertEquals(original.dtype(), down.dtype());
                assertEquals(in.shardOf(w).path().getFileName(), small.shardOf(down.name()).path().getFileName());
                assertEquals(JsonTree.number(layer.get("relative_error")),
                        relativeError(in.readFloats(w), small.readFloats(up.name()), small.readFloats(down.name()),
                                (int) rows, (int) cols), 1e-9, w + ": the error of the stored factors");
                assertEquals(4L * (rows + cols), (long) JsonTree.number(layer.get("parameters_after")));
            }
            for (TensorInfo t : in.tensors()) {
                if (!WEIGHTS.contains(t.name())) {
                    assertEquals("copied", layers.get(t.name()).get("action"), t.name());
                    assertArrayEquals(in.shardOf(t.name()).readBytes(t.name()), small.shardOf(t.name()).readBytes(t.name()),
                            t.name() + " byte for byte");
                }
            }
            assertEquals(List.of("model-00001-of-00002.safetensors"), small.shards().stream().limit(1)
                    .map(s -> s.path().getFileName().toString()).toList());
            assertEquals(small.tensors().stream().mapToLong(TensorInfo::byteLength).sum(),
                    ((Number) small.indexMetadata().get("total_size")).longValue());
            for (SafetensorsFile shard : small.safetensorsShards()) {
                String record = shard.metadata().get("rmtsvd_factored");
                assertTrue(record.contains("\"h.0.mlp.c_fc.weight\":{\"rank\":4,\"shape\":[64,256],"
                        + "\"down\":\"h.0.mlp.c_fc.down.weight\",\"up\":\"h.0.mlp.c_fc.up.weight\","
                        + "\"bias\":\"h.0.mlp.c_fc.bias\"}"), record);
                assertEquals("make_checkpoint.py", shard.metadata().get("writer"), "input metadata kept");
            }
        }

        Map<String, Map<String, Object>> spectrum = rowsByName(CliRun.of("spectrum", out.toString(), "--json",
                "--min-dim", "2"));
        for (String factor : List.of("h.0.mlp.c_fc.down.weight", "h.1.attn.c_proj.up.weight", "wte.down.weight")) {
            Map<String, Object> row = spectrum.get(factor);
            assertEquals("analysed", row.get("status"), factor);
            assertEquals(4.0, JsonTree.number(row.get("compressed_rank")), factor);
            assertEquals(4.0, JsonTree.number(row.get("p")), factor + " has rank 4 at most");
        }
    }

    private static double relativeError(float[] w, float[] up, float[] down, int rows, int cols) {
        DMatrix product = DoubleBlas.multiply(DMatrix.copyOf(rows, 4, up), false, DMatrix.copyOf(4, cols, down),
                false, 1.0);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < w.length; i++) {
            diff += (w[i] - product.data()[i]) * (w[i] - product.data()[i]);
            norm += (double) w[i] * w[i];
        }
        return Math.sqrt(diff / norm);
    }

    @Test
    void denseKeepsNamesAndShapes() throws Exception {
        Path ck = CheckpointFixtures.gpt2(dir.resolve("gpt2"), "--shards", "1");
        Path out = dir.resolve("dense");
        CliRun run = CliRun.of("compress", ck.toString(), "--out", out.toString(), "--dense");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("h.0.mlp.c_fc.weight [64,256] F16: truncated, rank 4 of 64"), run.out());
        try (ShardedCheckpoint in = ShardedCheckpoint.open(ck); ShardedCheckpoint dense = ShardedCheckpoint.open(out)) {
            assertFalse(dense.sharded());
            assertEquals(in.tensors().stream().map(t -> t.name() + Arrays.toString(t.shape()) + t.dtype()).toList(),
                    dense.tensors().stream().map(t -> t.name() + Arrays.toString(t.shape()) + t.dtype()).toList());
        }
        Map<String, Map<String, Object>> spectrum = rowsByName(CliRun.of("spectrum", out.toString(), "--json"));
        assertEquals(4.0, JsonTree.number(spectrum.get("h.0.mlp.c_fc.weight").get("compressed_rank")));
        try (ShardedCheckpoint dense = ShardedCheckpoint.open(out)) {
            double[] e = GramSpectrum.ofFloats(dense.readFloats("h.0.mlp.c_fc.weight"), 64, 256,
                    GramSpectrum.Scaling.BY_N).eigenvalues();
            assertTrue(e[60] > 0.1 * e[63], "four directions kept: " + e[60] / e[63]);
            assertTrue(e[59] < 1e-5 * e[63], "nothing else but F16 rounding: " + e[59] / e[63]);
        }
    }

    @Test
    void resumeSkipsTensorsAlreadyInTheRunDirectory() throws Exception {
        Path ck = CheckpointFixtures.gpt2(dir.resolve("gpt2"));
        Path runDir = dir.resolve("run");
        CliRun first = CliRun.of("spectrum", ck.toString(), "--json", "--run-dir", runDir.toString());
        Map<String, Map<String, Object>> full = rowsByName(first);
        Path jsonl = runDir.resolve("tensors.jsonl");
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(full.size(), lines.size());
        assertBadInput(CliRun.of("spectrum", ck.toString(), "--run-dir", runDir.toString()));

        // Interrupted after four tensors, in the middle of writing the fifth; the first row is
        // marked so that we can tell it was reused, not recomputed.
        int marked = lines.get(0).indexOf("\"sigma2\":");
        String firstName = (String) JsonTree.object(lines.get(0)).get("name");
        List<String> kept = new ArrayList<>(lines.subList(0, 4));
        String partial = lines.get(4).substring(0, lines.get(4).length() / 2);
        if (marked >= 0) {
            kept.set(0, lines.get(0).replaceFirst("\"sigma2\":[^,]*", "\"sigma2\":12345.0"));
        } else {
            kept.set(0, lines.get(0).replaceFirst("\"reason\":\"", "\"reason\":\"MARK "));
        }
        Files.writeString(jsonl, String.join("\n", kept) + "\n" + partial, StandardCharsets.UTF_8);

        CliRun resumed = CliRun.of("spectrum", ck.toString(), "--json", "--resume", runDir.toString());
        Map<String, Map<String, Object>> rows = rowsByName(resumed);
        assertEquals(full.keySet(), rows.keySet());
        Map<String, Object> reused = rows.get(firstName);
        assertTrue(Double.valueOf(12345.0).equals(reused.get("sigma2"))
                || String.valueOf(reused.get("reason")).startsWith("MARK "), "row reused from the file: " + reused);
        for (String name : full.keySet()) {
            if (!name.equals(firstName)) {
                full.get(name).remove("seconds");
                rows.get(name).remove("seconds");
                assertEquals(full.get(name), rows.get(name), name);
            }
        }
        List<String> after = Files.readAllLines(jsonl);
        assertEquals(full.size(), after.size(), "each tensor once, the partial line dropped");
        assertEquals(full.size(), after.stream().map(l -> JsonTree.object(l).get("name")).distinct().count());

        CliRun otherSettings = CliRun.of("spectrum", ck.toString(), "--resume", runDir.toString(), "--alpha", "0.25");
        assertBadInput(otherSettings);
        assertTrue(otherSettings.err().contains("alpha"), otherSettings.err());
    }

    @Test
    void badCheckpointsAreOneLineAndLeaveNoOutput() throws Exception {
        Path good = CheckpointFixtures.gpt2(dir.resolve("good"));
        List<Path> bad = new ArrayList<>();

        Path missingShard = copy(good, "missing-shard");
        Files.delete(missingShard.resolve(SHARD2));
        bad.add(missingShard);

        Path ghost = copy(good, "ghost-tensor");
        Path index = ghost.resolve(ShardedCheckpoint.INDEX_FILE);
        Files.writeString(index, Files.readString(index).replace("\"weight_map\": {",
                "\"weight_map\": {\n    \"h.9.mlp.c_fc.weight\": \"" + SHARD1 + "\","));
        bad.add(ghost);

        Path overlap = copy(good, "overlap");
        editHeader(overlap.resolve(SHARD1), h -> h.replace(offsets(h, "h.0.ln_1.bias"), offsets(h, "h.0.ln_1.weight")));
        bad.add(overlap);

        Path outOfRange = copy(good, "out-of-range");
        editHeader(outOfRange.resolve(SHARD2), h -> {
            String last = lastTensorOffsets(h);
            long[] range = Arrays.stream(last.replaceAll("[^0-9,]", "").split(",")).mapToLong(Long::parseLong).toArray();
            return h.replace(last, "[" + (range[0] + 64) + "," + (range[1] + 64) + "]");
        });
        bad.add(outOfRange);

        Path truncated = copy(good, "truncated");
        byte[] bytes = Files.readAllBytes(truncated.resolve(SHARD1));
        Files.write(truncated.resolve(SHARD1), Arrays.copyOf(bytes, bytes.length - 10));
        bad.add(truncated);

        bad.add(Files.createDirectories(dir.resolve("empty")));

        for (Path b : bad) {
            CliRun spectrum = CliRun.of("spectrum", b.toString());
            assertBadInput(spectrum);
            Path out = dir.resolve("out-" + b.getFileName());
            CliRun compress = CliRun.of("compress", b.toString(), "--out", out.toString());
            assertBadInput(compress);
            assertFalse(Files.exists(out), b + ": no partial output");
        }
        assertTrue(CliRun.of("spectrum", missingShard.toString()).err().contains(SHARD2 + " (holding tensor"));
        assertTrue(CliRun.of("spectrum", ghost.toString()).err().contains("\"h.9.mlp.c_fc.weight\" is not in its shard"));
        assertTrue(CliRun.of("spectrum", overlap.toString()).err().contains("overlap"));
        assertTrue(CliRun.of("spectrum", outOfRange.toString()).err().contains("run past the end"));
        assertTrue(CliRun.of("spectrum", truncated.toString()).err().contains("truncated"));
        assertTrue(CliRun.of("spectrum", dir.resolve("empty").toString()).err().contains("no .safetensors, .bin, .pt or .pth file"));
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary output left");
        }
    }

    private Path copy(Path from, String name) throws IOException {
        Path to = Files.createDirectories(dir.resolve(name));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    /** The "[begin,end]" offsets of a tensor in a compact JSON header. */
    private static String offsets(String header, String tensor) {
        int at = header.indexOf("\"" + tensor + "\":");
        int from = header.indexOf("\"data_offsets\":", at) + "\"data_offsets\":".length();
        return header.substring(from, header.indexOf(']', from) + 1);
    }

    private static String lastTensorOffsets(String header) {
        int from = header.lastIndexOf("\"data_offsets\":") + "\"data_offsets\":".length();
        return header.substring(from, header.indexOf(']', from) + 1);
    }

    /** Rewrites the JSON header of a safetensors file, keeping its length (padding with spaces). */
    private static void editHeader(Path file, java.util.function.UnaryOperator<String> edit) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, n, StandardCharsets.UTF_8).stripTrailing();
        byte[] edited = edit.apply(header).getBytes(StandardCharsets.UTF_8);
        assertTrue(edited.length <= n, "edited header fits");
        Arrays.fill(bytes, 8, 8 + n, (byte) ' ');
        System.arraycopy(edited, 0, bytes, 8, edited.length);
        Files.write(file, bytes);
    }
}
