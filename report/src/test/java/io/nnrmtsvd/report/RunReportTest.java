package io.nnrmtsvd.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.io.SpecialFiles;
import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {
    private static final List<String> FIGURES = List.of("accuracy-by-epoch", "accuracy-by-rank", "final-accuracies",
            "parameters", "spectrum-g1-1-layer-0", "bulk-g1-1-layer-0", "spectrum-g1-2-layer-1", "bulk-g1-2-layer-1",
            "spectrum-g2-1-layer-0", "bulk-g2-1-layer-0");

    @TempDir
    Path dir;

    @Test
    void writesEveryFigureAsCsvSvgAndPngAndOneSelfContainedPage() throws IOException {
        Path html = RunReport.write(RunDirectory.open(dir.resolve("run"), "train", ReportFixtures.TIME),
                ReportFixtures.fullMetrics());
        Path run = html.getParent();
        assertEquals(RunReport.REPORT_FILE, html.getFileName().toString());
        List<String> expected = new ArrayList<>(List.of(RunReport.METRICS_FILE, RunReport.REPORT_FILE,
                RunDirectory.LOCK_FILE));
        for (String id : FIGURES) {
            expected.addAll(List.of(id + ".csv", id + ".png", id + ".svg"));
            assertTrue(ReportFixtures.inkShare(ReportFixtures.png(Files.readAllBytes(run.resolve(id + ".png")))) > 0.02,
                    id);
            assertTrue(Files.readString(run.resolve(id + ".svg")).contains("<svg"), id);
        }
        assertEquals(expected.stream().sorted().toList(), files(run));

        String page = Files.readString(html);
        assertTrue(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\""
                + HtmlReport.CONTENT_SECURITY_POLICY + "\">"));
        assertFalse(page.contains("<script"), "no script");
        assertFalse(page.contains("<link"), "no external style sheet");
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(page).find(), "nothing from the network");
        assertFalse(page.contains("<img") || page.contains("base64"), "figures are inline markup, not data URIs");
        Matcher figures = Pattern.compile("<figure id=\"fig-([a-z0-9.-]+)\"[^>]*><svg ").matcher(page);
        List<String> inline = new ArrayList<>();
        while (figures.find()) {
            inline.add(figures.group(1));
        }
        assertEquals(FIGURES.stream().sorted().toList(), inline.stream().sorted().toList(), "every figure inline");
        Matcher ids = Pattern.compile(" id=\"([^\"]+)\"").matcher(page);
        List<String> all = new ArrayList<>();
        while (ids.find()) {
            all.add(ids.group(1));
        }
        assertEquals(all.size(), all.stream().distinct().count(), "ids are unique across the page's figures");
        assertTrue(page.contains("<nav class=\"toc\""), "a table of contents");
        assertEquals(List.of(2, 2), layerRows(page), "one table row per layer, fitted or not");
        assertTrue(page.contains("not fitted: too small"));
        assertTrue(page.contains("<td class=\"text wrap\">200-300-10</td>"), "extra tables are shown");
        assertTrue(page.contains("final test accuracy, pruned</dt><dd>97.50%"), page);
    }

    @Test
    void aRunOverSeveralSeedsListsThemOnceNotItsFirstSeedBesideThem() throws IOException {
        Map<String, Object> config = new java.util.LinkedHashMap<>();
        config.put("seeds", List.of(3, 4, 5));
        config.put("epochs", 2);
        RunMetrics several = RunMetrics.start("experiment", List.of("experiment", "overfit"), "test", 3L,
                ReportFixtures.TIME, Map.of("config", config));
        String page = Files.readString(RunReport.write(RunDirectory.open(dir.resolve("a"), "overfit",
                ReportFixtures.TIME), several));
        assertFalse(page.contains("<dt>seed</dt>"), page);
        assertTrue(page.contains("<dt>seeds</dt><dd>3, 4, 5</dd>"), page);

        RunMetrics one = RunMetrics.start("train", List.of("train"), "test", 7L, ReportFixtures.TIME,
                Map.of("config", Map.of("epochs", 2)));
        String single = Files.readString(RunReport.write(RunDirectory.open(dir.resolve("b"), "train",
                ReportFixtures.TIME), one));
        assertTrue(single.contains("<dt>seed</dt><dd>7</dd>"), single);
    }

    @Test
    void metricsHoldTheSpectraExactly() throws IOException {
        RunMetrics metrics = ReportFixtures.fullMetrics();
        RunReport.write(RunDirectory.open(dir, "train", ReportFixtures.TIME), metrics);
        Map<String, Object> back = Json.parseObject(Files.readString(dir.resolve("metrics.json")), "doc");
        assertEquals("train", back.get("command"));
        assertEquals(List.of("train", "--epochs", "3"), back.get("arguments"));
        assertEquals("2026-11-25T10:11:12Z", back.get("utc_time"));
        assertEquals(7L, back.get("seed"));
        assertEquals(List.of("os", "arch", "java", "cores", "blas_core", "blas_threads"),
                List.copyOf(JsonFields.object(back.get("machine"), "machine").keySet()));
        List<LayerSpectrum> groupOne = RunReport.spectrumGroups(back).get(0).layers();
        LayerSpectrum original = ReportFixtures.noisyLayer("layer 0", 3, 1);
        assertEquals(original, groupOne.get(0), "eigenvalues and fit survive JSON exactly");
        assertArrayEquals(original.eigenvalues(), groupOne.get(0).eigenvalues(), 0.0);
    }

    @Test
    void theReportIsRedrawnFromMetricsAlone() throws IOException {
        Path html = RunReport.write(RunDirectory.open(dir, "train", ReportFixtures.TIME), ReportFixtures.fullMetrics());
        String first = Files.readString(html);
        byte[] csv = Files.readAllBytes(dir.resolve("spectrum-g1-1-layer-0.csv"));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals(RunReport.METRICS_FILE)) {
                    Files.delete(f);
                }
            }
        }
        Path again = RunReport.render(RunDirectory.existing(dir));
        assertEquals(first, Files.readString(again));
        assertArrayEquals(csv, Files.readAllBytes(dir.resolve("spectrum-g1-1-layer-0.csv")));
    }

    @Test
    void aDirectoryWithoutGoodMetricsIsRefusedByName() throws IOException {
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> RunReport.render(RunDirectory.existing(dir)));
        assertTrue(missing.getMessage().contains("no metrics.json"), missing.getMessage());
        Files.writeString(dir.resolve("metrics.json"), "{\"command\": \"train\", \"spectra\": [{\"title\": \"x\"}]}");
        InvalidInputException malformed = assertThrows(InvalidInputException.class,
                () -> RunReport.render(RunDirectory.existing(dir)));
        assertTrue(malformed.getMessage().contains("metrics.json") && malformed.getMessage().contains("'layers'"),
                malformed.getMessage());
    }

    @Test
    void metricsThatAreNotUtf8OrAPipeAreRefusedInOneLine() throws Exception {
        Path metrics = dir.resolve(RunReport.METRICS_FILE);
        Files.write(metrics, new byte[] {'{', '"', 'c', (byte) 0xe9, '"', ':', '1', '}'});
        assertEquals(metrics + ": not valid UTF-8 text (bad byte sequence at byte 3)", assertThrows(
                InvalidInputException.class, () -> RunReport.render(RunDirectory.existing(dir))).getMessage());
        Files.delete(metrics);
        SpecialFiles.fifo(metrics);
        SpecialFiles.assertRefusedQuickly(metrics, () -> RunReport.render(RunDirectory.existing(dir)));
    }

    @Test
    void newRunDirectoriesAreNamedByTimeAndCommandAndNeverShared() throws IOException {
        String saved = System.getProperty(RunDirectory.RUNS_PROPERTY);
        System.setProperty(RunDirectory.RUNS_PROPERTY, dir.resolve("runs").toString());
        try {
            RunDirectory first = RunDirectory.open(null, "train", ReportFixtures.TIME);
            RunDirectory second = RunDirectory.open(null, "train", ReportFixtures.TIME);
            assertEquals(dir.resolve("runs/20261125T101112Z-train"), first.path());
            assertEquals(dir.resolve("runs/20261125T101112Z-train-2"), second.path());
            assertTrue(Files.isDirectory(second.path()));
        } finally {
            if (saved == null) {
                System.clearProperty(RunDirectory.RUNS_PROPERTY);
            } else {
                System.setProperty(RunDirectory.RUNS_PROPERTY, saved);
            }
        }
    }

    @Test
    void parametersOfSplitLayersCountTowardsTheirOriginalLayer() {
        SplittableRandom random = new SplittableRandom(5);
        Network before = Network.initialize(new int[] {20, 8, 3}, false, random);
        Network after = new Network(List.of(
                DenseLayer.of(20, 4, false, new float[80], null),
                DenseLayer.of(4, 2, false, new float[8], null),
                DenseLayer.of(2, 8, true, new float[16], new float[8]),
                DenseLayer.of(8, 3, false, new float[24], new float[3])));
        assertEquals(List.of(new LayerParameters("0: 20→8", 168, 80 + 8 + 16 + 8),
                new LayerParameters("1: 8→3", 27, 27)), LayerParameters.of(before, after));
        Network unmatched = new Network(List.of(DenseLayer.of(20, 3, false, new float[60], new float[3])));
        assertEquals(List.of(new LayerParameters("network 20-8-3", 195, 63)), LayerParameters.of(before, unmatched));
    }

    /** Rows in the body of each layer table, in page order. */
    static List<Integer> layerRows(String page) {
        List<Integer> rows = new ArrayList<>();
        Matcher tables = Pattern.compile("<table class=\"layers\">.*?<tbody>(.*?)</tbody>", Pattern.DOTALL)
                .matcher(page);
        while (tables.find()) {
            rows.add((int) Pattern.compile("<tr>").matcher(tables.group(1)).results().count());
        }
        return rows;
    }

    private static List<String> files(Path run) throws IOException {
        try (Stream<Path> files = Files.list(run)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
