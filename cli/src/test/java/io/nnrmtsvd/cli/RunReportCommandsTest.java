package io.nnrmtsvd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.data.IdxFixtures;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.report.HeadlessChromium;
import io.nnrmtsvd.report.LayerSpectrum;
import io.nnrmtsvd.report.Plots;
import io.nnrmtsvd.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run directories of the commands, from one small {@code train --prune split-truncate --compare} run. */
class RunReportCommandsTest {
    @TempDir
    static Path dir;
    private static Path runDir;
    private static String[] argv;
    private static CliRun train;
    private static Map<String, Object> metrics;

    @BeforeAll
    static void trainWithPruningAndBaseline() throws IOException {
        Path data = dir.resolve("data");
        IdxFixtures.writeTinyMnist(data, 512, 128, 3);
        runDir = dir.resolve("train-run");
        argv = new String[] {"train", "--data-dir", data.toString(), "--layers", "784,32,10", "--epochs", "2",
            "--lr", "0.05", "--seed", "4", "--prune", "split-truncate", "--compare", "--threads", "1", "--json",
            "--run-dir", runDir.toString()};
        train = CliRun.of(argv);
        assertEquals(0, train.exitCode(), train.err());
        metrics = object(Json.parse(Files.readString(runDir.resolve("metrics.json")), "test"));
    }

    @Test
    void stdoutStaysOneJsonDocumentAndStderrEndsWithTheReport() {
        Map<String, Object> printed = object(Json.parse(train.out(), "test"));
        assertEquals(printed, metrics.get("result"), "metrics.json holds exactly what was printed");
        assertEquals("report: " + runDir.resolve("report.html"), train.lastErrorLine());
    }

    @Test
    void metricsHoldTheExactArgumentsVersionSeedAndMachine() {
        assertEquals("train", metrics.get("command"));
        assertEquals(List.of(argv), metrics.get("arguments"));
        assertEquals(Version.current(), metrics.get("version"));
        assertEquals(4L, metrics.get("seed"));
        Map<String, Object> machine = object(metrics.get("machine"));
        assertEquals(1L, machine.get("blas_threads"));
        assertEquals((long) Runtime.getRuntime().availableProcessors(), machine.get("cores"));
        assertTrue(((String) metrics.get("utc_time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
    }

    @Test
    void bothCurvesAndEachPrunedLayersSpectrumWithItsFitAreThere() throws IOException {
        List<Object> curves = list(metrics.get("accuracy_by_epoch"));
        assertEquals(List.of("pruned", "baseline"), curves.stream().map(c -> object(c).get("name")).toList());
        String csv = Files.readString(runDir.resolve("accuracy-by-epoch.csv"));
        for (Object c : curves) {
            List<Object> accuracy = list(object(c).get("test_accuracy"));
            assertEquals(2, accuracy.size());
            for (int e = 0; e < 2; e++) {
                assertTrue(csv.contains(object(c).get("name") + "," + (e + 1.0) + "," + 100 * (Double) accuracy.get(e)),
                        csv);
            }
        }

        List<Object> groups = list(metrics.get("spectra"));
        List<String> titles = groups.stream().map(g -> (String) object(g).get("title")).toList();
        assertTrue(titles.get(0).startsWith("Spectra at the first prune, before epoch 1 (784-32-10)"),
                titles.toString());
        assertTrue(titles.stream().anyMatch(t -> t.startsWith("Spectra of the final pruned network")),
                titles.toString());
        assertTrue(titles.get(titles.size() - 1).startsWith("Spectra of the final baseline network (784-32-10)"));

        String page = Files.readString(runDir.resolve("report.html"));
        assertTrue(page.contains("id=\"fig-accuracy-by-epoch\""));
        assertTrue(page.contains("id=\"fig-parameters\""));
        int drawn = 0;
        for (int g = 0; g < groups.size(); g++) {
            List<Object> layers = list(object(groups.get(g)).get("layers"));
            for (int i = 0; i < layers.size(); i++) {
                Map<String, Object> layer = object(layers.get(i));
                if (layer.get("sigma2") == null) {
                    continue; // a factor left alone without a fit
                }
                long p = Math.min((Long) layer.get("rows"), (Long) layer.get("cols"));
                assertEquals(p, list(layer.get("eigenvalues")).size(), "the whole spectrum is kept");
                drawn++;
                String stem = "g" + (g + 1) + "-" + (i + 1) + "-layer-" + ((String) layer.get("name")).substring(6);
                assertTrue(page.contains("id=\"fig-spectrum-" + stem + "\""), stem);
                assertEquals(Plots.spansDecades(LayerSpectrum.fromJson(layer)),
                        page.contains("id=\"fig-bulk-" + stem + "\""), stem + ": a bulk zoom only beside a log axis");
                assertTrue(Files.readString(runDir.resolve("spectrum-" + stem + ".csv")).contains("\nMP fit"), stem);
            }
        }
        assertTrue(drawn >= 2 + 2 + 2, "at least the first prune's and both final networks' layers: " + drawn);
        List<Object> first = list(object(groups.get(0)).get("layers"));
        assertEquals("split", object(first.get(0)).get("action"), "the first prune splits layer 0 of the random net");
    }

    @Test
    void theReportOpensInABrowserWithEveryImageAndOneRowPerLayer() throws Exception {
        HeadlessChromium.assumeInstalled();
        HeadlessChromium.Page page = HeadlessChromium.open(runDir.resolve("report.html"), dir);
        assertEquals(List.of(), page.errors());
        assertEquals(List.of(), page.console());
        assertFalse(page.imageWidths().isEmpty());
        page.imageWidths().forEach(w -> assertTrue(w > 0, "image width " + w));
        List<Integer> layers = list(metrics.get("spectra")).stream()
                .map(g -> list(object(g).get("layers")).size()).toList();
        assertEquals(layers, page.layerRows());
    }

    @Test
    void theReportCommandRedrawsARunFromItsMetrics() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("copy"));
        Files.copy(runDir.resolve("metrics.json"), copy.resolve("metrics.json"));
        CliRun redraw = CliRun.of("report", copy.toString());
        assertEquals(0, redraw.exitCode(), redraw.err());
        assertEquals("report: " + copy.resolve("report.html"), redraw.lastErrorLine());
        assertEquals(names(runDir), names(copy));
        assertEquals(Files.readString(runDir.resolve("report.html")), Files.readString(copy.resolve("report.html")));
        assertArrayEquals(Files.readAllBytes(runDir.resolve("accuracy-by-epoch.csv")),
                Files.readAllBytes(copy.resolve("accuracy-by-epoch.csv")));
    }

    @Test
    void theReportCommandRefusesADirectoryThatIsNoRun() {
        CliRun run = CliRun.of("report", dir.resolve("data").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.lastErrorLine().contains("no metrics.json"), run.err());
    }

    @Test
    void runsGoUnderTheRunsDirectoryUnlessToldOtherwise() throws IOException {
        Path matrix = dir.resolve("w.csv");
        SplittableRandom random = new SplittableRandom(9);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            List<String> row = new ArrayList<>();
            for (int j = 0; j < 30; j++) {
                row.add(Double.toString(random.nextGaussian()));
            }
            csv.append(String.join(",", row)).append('\n');
        }
        Files.writeString(matrix, csv);
        Path runs = Path.of(System.getProperty(RunDirectory.RUNS_PROPERTY));
        Set<String> before = Files.isDirectory(runs) ? names(runs) : Set.of();

        assertEquals(0, CliRun.of("spectrum", matrix.toString(), "--no-report").exitCode());
        assertEquals(before, Files.isDirectory(runs) ? names(runs) : Set.of(), "--no-report writes nothing");

        CliRun run = CliRun.of("spectrum", matrix.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        Set<String> added = names(runs);
        added.removeAll(before);
        assertEquals(1, added.size(), added.toString());
        String name = added.iterator().next();
        assertTrue(name.matches("\\d{8}T\\d{6}Z-spectrum(-\\d+)?"), name);
        assertEquals("report: " + runs.resolve(name).resolve("report.html"), run.lastErrorLine());
        assertTrue(Files.isRegularFile(runs.resolve(name).resolve("spectrum-g1-1-w.csv.png")));
        assertTrue(Files.isRegularFile(runs.resolve(name).resolve("tail-g1-1-w.csv.png")), "and its tail, log-log");
    }

    @Test
    void runDirAndNoReportContradict() {
        CliRun run = CliRun.of("spectrum", dir.resolve("w.csv").toString(), "--no-report", "--run-dir", "x");
        assertEquals(2, run.exitCode());
        assertEquals("rmtsvd: --run-dir and --no-report contradict each other", run.lastErrorLine());
    }

    private static Set<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
