package io.nnrmtsvd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.checkpoint.MatrixSpectrum;
import io.nnrmtsvd.checkpoint.SpectrumSettings;
import io.nnrmtsvd.codec.SpectrumRowJson;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.RandomMatrices;
import io.nnrmtsvd.rmt.RawEigenvalues;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

class PowerLawPlotTest {
    private static final double EXACT = 1e-12;

    /** Two zeros, then 400 draws of a Pareto law with exponent 3 above 1 (ascending). */
    private static double[] paretoWithZeros() {
        SplittableRandom random = new SplittableRandom(3);
        double[] raw = new double[402];
        for (int i = 2; i < raw.length; i++) {
            raw[i] = Math.pow(1 - random.nextDouble(), -1.0 / (3 - 1));
        }
        Arrays.sort(raw);
        return raw;
    }

    @Test
    void drawsTheShareAtOrAboveEachEigenvalueAndTheFittedLawFromXmin() throws Exception {
        double[] raw = paretoWithZeros();
        int p = raw.length;
        double xmin = raw[102];
        PowerLawPlot.Tail tail = new PowerLawPlot.Tail(3.0, xmin, p - 102, 0.04);
        Figure f = PowerLawPlot.of("tail-w", "w", "402x500", raw, tail);
        XYChart chart = (XYChart) f.chart();
        assertTrue(chart.getStyler().isXAxisLogarithmic() && chart.getStyler().isYAxisLogarithmic());
        Map<String, List<double[]>> series = PlotsTest.series(f.data());
        assertEquals(List.of("eigenvalues (402)", "power law, alpha 3.00", "x_min " + String.format("%.4g", xmin)),
                List.copyOf(series.keySet()));

        List<double[]> points = series.get("eigenvalues (402)");
        assertEquals(raw[2], points.get(0)[0], 0.0, "the zeros are left out");
        assertEquals(400.0 / p, points.get(0)[1], EXACT);
        assertEquals(raw[p - 1], points.get(points.size() - 1)[0], 0.0);
        assertEquals(1.0 / p, points.get(points.size() - 1)[1], EXACT, "the largest: one of p at or above it");
        for (double[] point : points) {
            int at = Arrays.binarySearch(raw, point[0]);
            assertEquals((double) (p - at) / p, point[1], EXACT, "share at or above " + point[0]);
        }

        List<double[]> law = series.get("power law, alpha 3.00");
        assertEquals(xmin, law.get(0)[0], 0.0);
        assertEquals((double) (p - 102) / p, law.get(0)[1], EXACT, "the law starts at the tail's share");
        double slope = Math.log(law.get(1)[1] / law.get(0)[1]) / Math.log(law.get(1)[0] / law.get(0)[0]);
        assertEquals(1 - 3.0, slope, 1e-9, "a straight line of slope 1 - alpha on log-log axes");
        series.get("x_min " + String.format("%.4g", xmin)).forEach(point -> assertEquals(xmin, point[0], 0.0));
        assertTrue(f.caption().contains("alpha 3.00, 300 eigenvalues in the tail, KS distance D 0.04"), f.caption());
        assertTrue(f.caption().contains("2 eigenvalues at zero are not drawn"), f.caption());

        BufferedImage image = ReportFixtures.png(ChartImages.png(f.chart()));
        assertTrue(ReportFixtures.pixelsNear(image, Plots.ORANGE, 30) > 50, "the law is drawn");
        assertTrue(ReportFixtures.pixelsNear(image, Plots.BLUE, 30) > 200, "the eigenvalues are drawn");
    }

    @Test
    void aSpectrumWithoutAFitShowsItsEigenvaluesOnly() {
        Figure f = PowerLawPlot.of("tail-w", "w", "3x3", new double[] {1, 2, 4}, null);
        assertEquals(List.of("eigenvalues (3)"), List.copyOf(PlotsTest.series(f.data()).keySet()));
        assertTrue(f.caption().contains("no power law was fitted"), f.caption());
        assertThrows(IllegalArgumentException.class, () -> PowerLawPlot.of("t", "zero", "2x2", new double[2], null));
    }

    @Test
    void manyEigenvaluesAreThinnedToWhatTheAxesCanShow() {
        double[] raw = new double[20_000];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = 1 + i * 1e-3;
        }
        List<double[]> points = PlotsTest.series(PowerLawPlot.of("t", "dense", "2e4x2e4", raw, null).data())
                .get("eigenvalues (20,000)");
        assertTrue(points.size() < 700, "thinned: " + points.size());
        assertEquals(raw[0], points.get(0)[0], 0.0);
        assertEquals(raw[raw.length - 1], points.get(points.size() - 1)[0], 0.0, "the largest always stays");
    }

    @Test
    void aLayerOfSpectrumIsDrawnInRawEigenvaluesWithItsRowsFit() {
        DMatrix w = RandomMatrices.gaussian(new SplittableRandom(6), 80, 50, 1.0);
        MatrixSpectrum m = MatrixSpectrum.of(w, SpectrumSettings.of(Bema.create()));
        Map<String, Object> row = Json.parseObject(Json.toString(SpectrumRowJson.row("w", m), false), "row");
        Figure f = PowerLawPlot.of("tail-w", LayerSpectrum.of("w", m.analysis()), row);
        double[] raw = RawEigenvalues.of(m.analysis().spectrum());
        List<double[]> points = PlotsTest.series(f.data()).get("eigenvalues (50)");
        assertEquals(raw[raw.length - 1], points.get(points.size() - 1)[0], 1e-12 * raw[raw.length - 1]);
        assertEquals(raw[0], points.get(0)[0], 1e-12 * raw[raw.length - 1]);
        assertTrue(f.caption().contains(String.format("alpha %.2f", (Double) row.get("alpha"))), f.caption());
    }

    @Test
    void aRowsFitIsReadByWeightWatchersKeys() {
        Map<String, Object> row = new HashMap<>(Map.of("alpha", 2.5, "xmin", 0.3, "num_pl_spikes", 12L, "D", 0.07));
        assertEquals(new PowerLawPlot.Tail(2.5, 0.3, 12, 0.07), PowerLawPlot.Tail.of(row));
        row.put("alpha", null);
        assertNull(PowerLawPlot.Tail.of(row), "a null alpha: no fit");
        assertFalse(PowerLawPlot.Tail.of(Map.of("alpha", 2.5, "xmin", 0.3, "num_pl_spikes", 4)) == null);
    }
}
