package io.nnrmtsvd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.checkpoint.MatrixSpectrum;
import io.nnrmtsvd.checkpoint.SpectrumSettings;
import io.nnrmtsvd.codec.SpectrumRowJson;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.RandomMatrices;
import io.nnrmtsvd.rmt.RawEigenvalues;
import io.nnrmtsvd.run.EigenvalueFiles;
import io.nnrmtsvd.run.RunDirectory;
import io.nnrmtsvd.run.SpectrumSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint run's report drawn from its metrics and eigenvalue files, as spectrum writes them. */
class TensorSectionTest {
    private static final List<String> NAMES = List.of("h.0.attn.c_attn.weight", "h.1.attn.c_attn.weight",
            "h.1.mlp.c_fc.weight");

    @TempDir
    Path dir;
    private RunDirectory run;
    private final Map<String, MatrixSpectrum> analyses = new LinkedHashMap<>();

    /** Three analysed 60 x 90 tensors with planted directions, one skipped norm, and the report. */
    @BeforeEach
    void writeRun() throws IOException {
        run = RunDirectory.open(dir.resolve("run"), "spectrum", ReportFixtures.TIME);
        SplittableRandom random = new SplittableRandom(8);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : NAMES) {
            DMatrix w = RandomMatrices.gaussian(random, 60, 90, 1.0);
            RandomMatrices.plant(random, w, new double[] {60, 40});
            MatrixSpectrum m = MatrixSpectrum.of(w, SpectrumSettings.of(Bema.create()));
            analyses.put(name, m);
            Map<String, Object> row = SpectrumRowJson.row(name, m);
            row.put("dtype", "F32");
            row.put("shape", List.of(60, 90));
            row.put("status", "analysed");
            row.put(EigenvalueFiles.ROW_KEY, EigenvalueFiles.write(run.path(), name,
                    RawEigenvalues.of(m.analysis().spectrum())));
            if (rows.isEmpty()) { // as --randomize and a convolution's pooled kernels add them
                row.put("rand_distance", 0.4217);
                row.put("num_traps", 2);
                row.put("per_kernel", Map.of("alpha", 3.254, "D", 0.0712));
            }
            rows.add(row);
        }
        rows.add(new LinkedHashMap<>(Map.of("name", "h.1.ln_1.weight", "dtype", "F32", "shape", List.of(60),
                "status", "skipped", "reason", "not 2-D or 4-D (shape [60])")));
        RunReport.write(run, RunMetrics.start("spectrum", List.of("spectrum", "ck"), "test", null, ReportFixtures.TIME,
                rows).spectrumSummary(SpectrumSummary.of(rows).toJson()).tensors("Tensors of ck", rows, List.of()));
    }

    @Test
    void everyTensorHasARowAndEachAnalysedOneItsSpectrumAndTail() throws IOException {
        String page = Files.readString(run.path().resolve(RunReport.REPORT_FILE));
        Matcher table = Pattern.compile("<table class=\"layers tensors\">.*?<tbody>(.*?)</tbody>", Pattern.DOTALL)
                .matcher(page);
        assertTrue(table.find());
        assertEquals(4, table.group(1).split("<tr>", -1).length - 1, "one row per tensor");
        assertTrue(table.group(1).contains("skipped: not 2-D or 4-D (shape [60])"));
        assertTrue(table.group(1).contains("per kernel: alpha 3.25, D 0.071; randomised: distance 0.422, 2 traps"),
                "the randomisation test and a convolution's pooled kernels in the note: " + table.group(1));
        assertTrue(page.contains("<section id=\"model-summary\">"));
        assertTrue(page.contains("<section id=\"depth\">"), "h.{i} names give plots against depth");
        for (int i = 0; i < NAMES.size(); i++) {
            String stem = "t" + (i + 1) + "-" + RunReport.slug(NAMES.get(i));
            for (String kind : List.of("-spectrum", "-tail")) {
                assertTrue(page.contains("id=\"fig-" + stem + kind + "\""), stem + kind);
                assertTrue(Files.isRegularFile(run.path().resolve(stem + kind + ".svg")), stem + kind);
            }
        }
    }

    @Test
    void theSpectrumPlotIsTheFitOfTheRunScaledBackFromItsRawEigenvalues() throws IOException {
        TensorSection section = TensorSection.of(metrics(), run.path());
        Figure drawn = section.plotted().get(0).figures().get(0);
        Figure direct = Plots.spectrum(drawn.id(), LayerSpectrum.of(NAMES.get(0), analyses.get(NAMES.get(0)).analysis()));
        List<List<Object>> a = drawn.data().rows();
        List<List<Object>> b = direct.data().rows();
        assertEquals(b.size(), a.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(b.get(i).get(0), a.get(i).get(0));
            for (int c = 1; c <= 2; c++) {
                double expected = (Double) b.get(i).get(c);
                assertEquals(expected, (Double) a.get(i).get(c), 1e-12 * Math.abs(expected), "row " + i);
            }
        }
    }

    @Test
    void aMissingOrForeignEigenvalueFileLeavesThatTensorsPlotsOutWithANote() throws IOException {
        Files.delete(run.path().resolve(EigenvalueFiles.relativePath(NAMES.get(1))));
        Map<String, Object> metrics = metrics();
        Map<String, Object> third = JsonFields.object(JsonFields.array(JsonFields.object(metrics.get("tensors"),
                "tensors").get("rows"), "rows").get(2), "row");
        third.put(EigenvalueFiles.ROW_KEY, "../" + RunReport.METRICS_FILE);
        run.writeText(RunReport.METRICS_FILE, Json.toString(metrics, true));

        String page = Files.readString(RunReport.render(run));
        assertTrue(page.contains("No plots: its eigenvalues cannot be read: "), "a note, not a crash");
        assertTrue(page.contains("no such file"), "says why");
        assertTrue(page.contains("outside " + EigenvalueFiles.DIRECTORY + "/"), "a path out of the directory is refused");
        assertTrue(page.contains("id=\"fig-t1-" + RunReport.slug(NAMES.get(0)) + "-tail\""), "the others still drawn");
        assertFalse(page.contains("id=\"fig-t2-"));
        assertFalse(page.contains("id=\"fig-t3-"));
    }

    private Map<String, Object> metrics() throws IOException {
        return Json.parseObject(Files.readString(run.path().resolve(RunReport.METRICS_FILE)), "metrics");
    }
}
