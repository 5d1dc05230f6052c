package io.nnrmtsvd.cli;

import static io.nnrmtsvd.cli.CliFixtures.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.NpyFiles;
import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.nn.ModelFiles;
import io.nnrmtsvd.nn.Network;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpectrumCommandTest {
    private static final List<String> KEYS = List.of("name", "rows", "cols", "p", "n", "gamma", "sigma2",
            "lambda_plus", "s_plus", "spikes", "fit_error", "good_fit", "largest_eigenvalue", "alpha", "xmin", "xmax",
            "D", "sigma", "num_pl_spikes", "log_norm", "log_spectral_norm", "stable_rank", "alpha_weighted",
            "log_alpha_norm", "entropy", "mp_softrank", "matrix_rank", "alpha_flag", "power_law", "ranks", "bema");
    private static final List<String> RANK_KEYS = List.of("bema", "gavish_donoho", "mp_edge", "energy_90");
    private static final List<String> BEMA_KEYS = List.of("alpha", "beta", "cutoff", "notebook");

    @TempDir
    Path dir;

    private static DMatrix gaussian(int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] data = new double[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextGaussian();
        }
        return DMatrix.wrap(rows, cols, data);
    }

    private Path npy(String name, DMatrix m) throws IOException {
        Path file = dir.resolve(name);
        NpyFiles.writeFloat64(file, m);
        return file;
    }

    private Path csv(String name, DMatrix m) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                text.append(c == 0 ? "" : ",").append(m.get(r, c));
            }
            text.append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static Map<String, Object> onlyRow(CliRun run) {
        assertEquals(0, run.exitCode(), run.err());
        List<Object> rows = JsonTree.list(JsonTree.parse(run.out()));
        assertEquals(1, rows.size());
        return JsonTree.object(rows.get(0));
    }

    @Test
    void npyAndCsvPrintATable() throws IOException {
        DMatrix m = gaussian(30, 60, 1);
        for (Path file : new Path[] {npy("w.npy", m), csv("w.csv", m)}) {
            CliRun run = CliRun.of("spectrum", file.toString());
            assertEquals(0, run.exitCode(), run.err());
            List<String> lines = run.out().lines().toList();
            assertEquals(2, lines.size(), run.out());
            assertTrue(lines.get(0).startsWith("name"), lines.get(0));
            assertTrue(lines.get(0).contains("lambda+") && lines.get(0).contains("spikes"), lines.get(0));
            assertTrue(lines.get(1).startsWith(file.getFileName().toString()), lines.get(1));
            assertTrue(lines.get(1).contains("30x60"), lines.get(1));
        }
    }

    @Test
    void jsonHasExactlyTheDocumentedKeys() throws IOException {
        Map<String, Object> row = onlyRow(CliRun.of("spectrum", npy("w.npy", gaussian(30, 60, 2)).toString(), "--json"));
        assertEquals(KEYS, new ArrayList<>(row.keySet()));
        assertEquals(RANK_KEYS, new ArrayList<>(JsonTree.object(row.get("ranks")).keySet()));
        assertEquals(BEMA_KEYS, new ArrayList<>(JsonTree.object(row.get("bema")).keySet()));
        assertEquals("w.npy", row.get("name"));
        assertEquals(30L, row.get("rows"));
        assertEquals(60L, row.get("cols"));
        assertEquals(30L, row.get("p"));
        assertEquals(60L, row.get("n"));
        assertEquals(0.5, JsonTree.number(row.get("gamma")), 1e-15);
        // unit-variance noise: sigma2 near 1, a good fit, lambda_plus above the MP edge (1 + sqrt(0.5))^2
        assertEquals(1.0, JsonTree.number(row.get("sigma2")), 0.25);
        assertEquals(true, row.get("good_fit"));
        double lambdaPlus = JsonTree.number(row.get("lambda_plus"));
        assertTrue(lambdaPlus > JsonTree.number(row.get("sigma2")) * Math.pow(1 + Math.sqrt(0.5), 2));
        assertEquals(Math.sqrt(60 * lambdaPlus), JsonTree.number(row.get("s_plus")), 1e-9 * lambdaPlus);
    }

    @Test
    void csvAndNpyOfOneMatrixGiveTheSameResult() throws IOException {
        DMatrix m = gaussian(25, 40, 3);
        Map<String, Object> a = onlyRow(CliRun.of("spectrum", npy("m.npy", m).toString(), "--json"));
        Map<String, Object> b = onlyRow(CliRun.of("spectrum", csv("m.csv", m).toString(), "--json"));
        a.remove("name");
        b.remove("name");
        assertEquals(a, b);
    }

    @Test
    void allZeroMatrixHasADefinedResult() throws IOException {
        for (Path file : new Path[] {npy("zero.npy", DMatrix.zeros(20, 40)), csv("zero.csv", DMatrix.zeros(20, 40))}) {
            Map<String, Object> row = onlyRow(CliRun.of("spectrum", file.toString(), "--json"));
            assertEquals(0.0, JsonTree.number(row.get("sigma2")));
            assertEquals(0L, row.get("spikes"));
            assertEquals(false, row.get("good_fit"));
            assertEquals(0.0, JsonTree.number(row.get("largest_eigenvalue")));
            CliRun table = CliRun.of("spectrum", file.toString());
            assertEquals(0, table.exitCode(), table.err());
        }
    }

    @Test
    void nanEntriesAreBadInput() throws IOException {
        DMatrix m = gaussian(10, 20, 4);
        m.set(3, 7, Double.NaN);
        assertBadInput(CliRun.of("spectrum", npy("nan.npy", m).toString()));
        assertBadInput(CliRun.of("spectrum", csv("nan.csv", m).toString()));
        m.set(3, 7, Double.POSITIVE_INFINITY);
        assertBadInput(CliRun.of("spectrum", npy("inf.npy", m).toString(), "--json"));
    }

    @Test
    void emptyFilesAreBadInput() throws IOException {
        Path emptyNpy = Files.createFile(dir.resolve("empty.npy"));
        Path emptyCsv = Files.createFile(dir.resolve("empty.csv"));
        assertBadInput(CliRun.of("spectrum", emptyNpy.toString()));
        assertBadInput(CliRun.of("spectrum", emptyCsv.toString()));
        Path headerOnly = Files.writeString(dir.resolve("header.csv"), "a,b,c\n");
        assertBadInput(CliRun.of("spectrum", headerOnly.toString()));
        assertBadInput(CliRun.of("spectrum", dir.resolve("missing.npy").toString()));
    }

    @Test
    void aSingleRowIsBadInput() throws IOException {
        CliRun run = CliRun.of("spectrum", npy("row.npy", gaussian(1, 50, 5)).toString());
        assertBadInput(run);
        assertTrue(run.err().contains("row.npy"), run.err());
        assertBadInput(CliRun.of("spectrum", csv("col.csv", gaussian(50, 1, 5)).toString(), "--json"));
    }

    @Test
    void nonTwoDimensionalNpyIsBadInput() throws IOException {
        Path vector = dir.resolve("v.npy");
        NpyFiles.writeFloat64(vector, new double[] {1, 2, 3, 4});
        assertBadInput(CliRun.of("spectrum", vector.toString()));
        assertBadInput(CliRun.of("spectrum", rawNpy("cube.npy", "(2, 3, 4)", 24).toString()));
        assertBadInput(CliRun.of("spectrum", rawNpy("scalar.npy", "()", 1).toString()));
    }

    /** A float64 .npy file with the given shape text and count zero values. */
    private Path rawNpy(String name, String shape, int count) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        byte[] head = header.getBytes(StandardCharsets.ISO_8859_1);
        byte[] bytes = new byte[10 + head.length + 8 * count];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) head.length, (byte) (head.length >>> 8)};
        System.arraycopy(magic, 0, bytes, 0, 10);
        System.arraycopy(head, 0, bytes, 10, head.length);
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void truncatedNpyIsBadInput() throws IOException {
        Path full = npy("full.npy", gaussian(10, 20, 6));
        byte[] bytes = Files.readAllBytes(full);
        for (int keep : new int[] {bytes.length - 8, bytes.length / 2, 40, 9}) {
            Path cut = dir.resolve("cut" + keep + ".npy");
            Files.write(cut, Arrays.copyOf(bytes, keep));
            assertBadInput(CliRun.of("spectrum", cut.toString()));
        }
    }

    @Test
    void notAModelIsBadInput() throws IOException {
        assertBadInput(CliRun.of("spectrum", CliFixtures.junk(dir.resolve("junk.safetensors")).toString()));
        Path model = CliFixtures.savedModel(dir.resolve("m.safetensors"), 1, 8, 6, 4);
        assertBadInput(CliRun.of("spectrum", model.toString(), "--tensor", "layers.7.weight"));
        assertBadInput(CliRun.of("spectrum", model.toString(), "--tensor", "layers.0.bias"));
        assertBadInput(CliRun.of("spectrum", dir.resolve("w.xyz").toString()));
    }

    @Test
    void modelLayersAreListedInNaturalOrder() throws IOException {
        int[] widths = new int[13];
        Arrays.fill(widths, 6);
        Network network = Network.initialize(widths, false, new SplittableRandom(9));
        Path model = dir.resolve("deep.safetensors");
        ModelFiles.save(model, network, Map.of());

        CliRun json = CliRun.of("spectrum", model.toString(), "--json");
        assertEquals(0, json.exitCode(), json.err());
        List<String> names = JsonTree.list(JsonTree.parse(json.out())).stream()
                .map(r -> (String) JsonTree.object(r).get("name")).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            expected.add(String.format(Locale.ROOT, "layers.%d.weight", i));
        }
        assertEquals(expected, names);

        CliRun table = CliRun.of("spectrum", model.toString());
        assertEquals(0, table.exitCode(), table.err());
        List<String> tableNames = table.out().lines().skip(1).takeWhile(l -> !l.startsWith("alpha: mean"))
                .map(l -> l.split("\\s+")[0]).toList();
        assertEquals(expected, tableNames);
        assertFalse(table.out().contains("bias"));

        CliRun one = CliRun.of("spectrum", model.toString(), "--tensor", "layers.10.weight", "--json");
        assertEquals(List.of("layers.10.weight"), JsonTree.list(JsonTree.parse(one.out())).stream()
                .map(r -> JsonTree.object(r).get("name")).toList());
    }

    @Test
    void heavyTailOptionsAddTheirKeysAndBadValuesAreExit2() throws IOException {
        Path w = npy("w.npy", gaussian(40, 80, 5));
        Map<String, Object> plain = onlyRow(CliRun.of("spectrum", w.toString(), "--json", "--no-report"));
        assertFalse(plain.containsKey("tpl_alpha") || plain.containsKey("max_rand_eval"), plain.toString());
        assertTrue(JsonTree.number(plain.get("alpha")) > 1, plain.toString());

        Map<String, Object> more = onlyRow(CliRun.of("spectrum", w.toString(), "--json", "--no-report",
                "--truncated-power-law", "--randomize", "--randomize-seed", "9", "--fingers"));
        for (String key : List.of("tpl_alpha", "tpl_lambda", "tpl_log_likelihood_ratio", "tpl_p_value",
                "max_rand_eval", "ww_softrank", "rand_distance", "num_traps")) {
            assertTrue(more.get(key) instanceof Number, key + " in " + more);
        }
        assertEquals(9L, more.get("rand_seed"));
        assertEquals(Boolean.TRUE, JsonTree.object(more.get("power_law")).get("fingers"));

        CliRun again = CliRun.of("spectrum", w.toString(), "--json", "--no-report", "--randomize", "--randomize-seed",
                "9");
        assertEquals(more.get("rand_distance"), onlyRow(again).get("rand_distance"), "the seed decides the shuffle");

        for (String bad : List.of("-1", "NaN", "Infinity")) {
            assertBadInput(CliRun.of("spectrum", w.toString(), "--no-report", "--power-law-floor", bad));
        }
    }
}
