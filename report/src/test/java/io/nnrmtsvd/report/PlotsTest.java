package io.nnrmtsvd.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.MarchenkoPastur;
import io.nnrmtsvd.rmt.RandomMatrices;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.w3c.dom.Element;

class PlotsTest {
    private static final double EXACT = 1e-12;

    @Test
    void histogramIsADensityOnEvenlySpacedEdges() {
        DensityHistogram h = DensityHistogram.of(new double[] {0.5, 1.5, 1.5, 2.5, 9}, 0, 3, 3, 5);
        assertArrayEquals(new double[] {0, 1, 2, 3}, h.edges());
        assertArrayEquals(new double[] {0.2, 0.4, 0.2}, h.densities(), EXACT);
        DensityHistogram closed = DensityHistogram.of(new double[] {0, 3}, 0, 3, 3, 2);
        assertArrayEquals(new double[] {0.5, 0, 0.5}, closed.densities(), EXACT, "the right edge is in the last bin");
        assertThrows(IllegalArgumentException.class, () -> DensityHistogram.of(new double[] {1}, 1, 1, 3, 1));
    }

    @Test
    void spectrumPlotDrawsTheHistogramTheFittedDensityLambdaPlusAndTheSpikes() throws Exception {
        LayerSpectrum s = ReportFixtures.noisyLayer("layer 0", 3, 1);
        assertEquals(3, s.spikes(), "the fixture plants three spikes");
        assertTrue(Plots.spansDecades(s), "its spikes lie far beyond the bulk: a log axis");
        Figure f = Plots.spectrum("spectrum-layer-0", s);
        assertTrue(((XYChart) f.chart()).getStyler().isXAxisLogarithmic());
        Map<String, List<double[]>> series = series(f.data());
        assertEquals(4, series.size(), series.keySet().toString());

        List<double[]> histogram = series.get("eigenvalues (200)");
        assertEquals(1.0, integralPerDecade(histogram), EXACT,
                "every eigenvalue is binned and the shares per decade add up to 1");

        MarchenkoPastur mp = new MarchenkoPastur(s.gamma(), s.sigma2());
        List<double[]> fit = seriesStartingWith(series, "MP fit");
        assertTrue(fit.size() > 100);
        for (double[] p : fit) {
            assertEquals(p[0] * Math.log(10) * mp.density(p[0]), p[1], EXACT, "the density per decade");
            assertTrue(p[0] >= mp.lowerEdge() * (1 - EXACT) && p[0] <= mp.upperEdge() * (1 + EXACT));
        }
        for (double[] p : seriesStartingWith(series, "lambda_plus")) {
            assertEquals(s.lambdaPlus(), p[0], 0.0);
        }
        List<double[]> spikes = series.get("spikes (3)");
        assertArrayEquals(s.spikeValues(), spikes.stream().mapToDouble(p -> p[0]).toArray(), 0.0);

        BufferedImage image = ReportFixtures.png(ChartImages.png(f.chart()));
        assertEquals(Plots.WIDTH, image.getWidth());
        assertEquals(Plots.HEIGHT, image.getHeight());
        assertTrue(ReportFixtures.inkShare(image) > 0.05, "drawn, not blank: " + ReportFixtures.inkShare(image));
        assertTrue(ReportFixtures.pixelsNear(image, Plots.ORANGE, 30) > 100, "the MP curve is drawn");
        assertTrue(ReportFixtures.pixelsNear(image, Plots.RED, 30) > 50, "lambda_plus and the spikes are drawn");

        String svg = ChartImages.svg(f.chart());
        assertFalse(svg.contains("<!DOCTYPE"), "no external DTD");
        Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        assertEquals("svg", root.getTagName());
        assertEquals("720", root.getAttribute("width"));
        assertEquals("440", root.getAttribute("height"));
        assertTrue(root.getElementsByTagName("path").getLength() > 10);
    }

    @Test
    void bulkPlotKeepsTheWholeSpectrumNormalisationAndCoversTheEdge() {
        LayerSpectrum s = ReportFixtures.noisyLayer("layer 0", 3, 1);
        Figure f = Plots.bulk("bulk-layer-0", s);
        Map<String, List<double[]>> series = series(f.data());
        List<double[]> histogram = series.get("eigenvalues (200)");
        double lo = histogram.get(0)[0];
        double hi = histogram.get(histogram.size() - 1)[0];
        assertTrue(lo <= new MarchenkoPastur(s.gamma(), s.sigma2()).lowerEdge() && hi > s.lambdaPlus());
        long inRange = Arrays.stream(s.eigenvalues()).filter(v -> v >= lo && v <= hi).count();
        assertEquals((double) inRange / s.eigenvalues().length, integral(histogram), EXACT);
        assertTrue(inRange < s.eigenvalues().length, "the strong spikes lie beyond the zoom");
    }

    /** Every eigenvalue a spike far beyond the fitted law: nothing in the bulk's range. */
    @Test
    void bulkPlotOfASpectrumWithNothingInTheBulkIsDrawnEmpty() throws Exception {
        double[] e = {40, 41, 42, 43, 44, 45, 46, 47, 48, 49};
        LayerSpectrum s = new LayerSpectrum("all spikes", 10, 30, 0.5, 1.2, 10, 0.1, true, Map.of(), "", e);
        Figure f = Plots.bulk("bulk-split", s);
        List<double[]> histogram = series(f.data()).get("eigenvalues (10)");
        assertTrue(histogram.stream().allMatch(p -> p[1] == 0), "no eigenvalue lies in the bulk's range");
        assertTrue(ChartImages.svg(f.chart()).contains("<svg"), "the empty plot still renders");
    }

    @Test
    void rankPlotMarksThePredictedRankAndTheFullAccuracy() throws Exception {
        Figure f = Plots.accuracyByRank("accuracy-by-rank", "layer 0", new double[] {0, 5, 10, 15},
                new double[] {0.09, 0.55, 0.9, 0.97}, 12, 0.98);
        Map<String, List<double[]>> series = series(f.data());
        assertArrayEquals(new double[] {9, 55, 90, 97},
                series.get("truncated layer 0").stream().mapToDouble(p -> p[1]).toArray(), EXACT);
        for (double[] p : series.get("predicted rank 12")) {
            assertEquals(12, p[0], 0.0);
        }
        List<double[]> full = series.get("full network 98.00%");
        assertEquals(2, full.size());
        full.forEach(p -> assertEquals(98, p[1], EXACT));
        assertTrue(ReportFixtures.inkShare(ReportFixtures.png(ChartImages.png(f.chart()))) > 0.02);
    }

    @Test
    void epochPlotHasOneLinePerVariantInPercent() {
        Figure f = Plots.accuracyByEpoch("accuracy-by-epoch", List.of(
                new Plots.Curve("baseline", new double[] {1, 2}, new double[] {0.8, 0.85}),
                new Plots.Curve("pruned", new double[] {1, 2}, new double[] {0.9, 0.95})));
        Map<String, List<double[]>> series = series(f.data());
        assertEquals(List.of("baseline", "pruned"), new ArrayList<>(series.keySet()));
        assertArrayEquals(new double[] {90, 95}, series.get("pruned").stream().mapToDouble(p -> p[1]).toArray(), EXACT);
        assertTrue(f.data().toCsv().startsWith("series,x,y\nbaseline,1.0,80.0\n"), f.data().toCsv());
    }

    @Test
    void parameterBarsHoldTheCountsBeforeAndAfter() throws Exception {
        Figure f = Plots.parameters("parameters", List.of("0: 784→1000", "1: 1000→10"),
                new long[] {785_000, 10_010}, new long[] {339_000, 10_010});
        assertEquals("layer,before,after\n0: 784→1000,785000,339000\n1: 1000→10,10010,10010\n", f.data().toCsv());
        assertTrue(f.caption().contains("795,010 before, 349,010 after"), f.caption());
        assertTrue(ReportFixtures.inkShare(ReportFixtures.png(ChartImages.png(f.chart()))) > 0.05);
    }

    @Test
    void finalAccuraciesOverSeedsAreABoxPerVariant() throws Exception {
        Map<String, double[]> byVariant = new LinkedHashMap<>();
        byVariant.put("baseline", new double[] {0.86, 0.87, 0.865, 0.88, 0.872});
        byVariant.put("pruned", new double[] {0.97, 0.975, 0.972, 0.96, 0.968});
        Figure f = Plots.finalAccuracies("final-accuracies", byVariant);
        assertTrue(f.chart() instanceof BoxChart);
        assertEquals(10, f.data().rows().size());
        assertEquals(List.of("pruned", 97.5), f.data().rows().get(6));
        BufferedImage image = ReportFixtures.png(ChartImages.png(f.chart()));
        assertTrue(ReportFixtures.inkShare(image) > 0.02, "boxes drawn: " + ReportFixtures.inkShare(image));
        assertThrows(IllegalArgumentException.class,
                () -> Plots.finalAccuracies("final-accuracies", Map.of("none", new double[0])));
    }

    @Test
    void aLayerWithoutFitIsNotDrawn() {
        LayerSpectrum unfitted = new LayerSpectrum("layer 1", 10, 300, Double.NaN, Double.NaN, 0, Double.NaN, false,
                Map.of(), "not fitted", new double[0]);
        assertFalse(unfitted.fitted());
        assertThrows(IllegalArgumentException.class, () -> Plots.spectrum("spectrum-1", unfitted));
    }

    @Test
    void csvQuotesTextAndLeavesNonFiniteNumbersEmpty() {
        Table t = new Table(List.of("name", "value"), List.of(List.of("a, \"b\"", Double.NaN), List.of("c", 1.5)));
        assertEquals("name,value\n\"a, \"\"b\"\"\",\nc,1.5\n", t.toCsv());
        assertThrows(IllegalArgumentException.class, () -> new Table(List.of("one"), List.of(List.of(1, 2))));
    }

    /** Rows of a series,x,y table by series, in order. */
    static Map<String, List<double[]>> series(Table table) {
        assertEquals(List.of("series", "x", "y"), table.header());
        Map<String, List<double[]>> bySeries = new LinkedHashMap<>();
        for (List<Object> row : table.rows()) {
            bySeries.computeIfAbsent((String) row.get(0), k -> new ArrayList<>())
                    .add(new double[] {(Double) row.get(1), (Double) row.get(2)});
        }
        return bySeries;
    }

    private static List<double[]> seriesStartingWith(Map<String, List<double[]>> series, String prefix) {
        return series.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).findFirst().orElseThrow()
                .getValue();
    }

    /** Sum of width * height over a histogram drawn as left edges plus a closing right edge. */
    @Test
    void aSpectrumWithoutFarSpikesIsOneLinearPlotWithoutZoom() {
        LayerSpectrum s = LayerSpectrum.of("noise", SpectrumAnalysis.of(
                RandomMatrices.gaussian(new SplittableRandom(4), 300, 200, 1.0), Bema.create()));
        assertFalse(Plots.spansDecades(s), "the bulk fills a linear axis");
        Figure f = Plots.spectrum("spectrum-noise", s);
        assertFalse(((XYChart) f.chart()).getStyler().isXAxisLogarithmic());
        assertEquals(1.0, integral(series(f.data()).get("eigenvalues (200)")), EXACT);
        assertEquals(Styler.LegendPosition.OutsideS, ((XYChart) f.chart()).getStyler().getLegendPosition(),
                "the legend is kept clear of the data");
    }

    @Test
    void oneSeedIsADotNotAnEmptyBox() {
        Figure f = Plots.finalAccuracies("final-accuracies", Map.of("baseline", new double[] {0.9}));
        assertTrue(f.chart() instanceof CategoryChart, f.chart().getClass().toString());
        assertEquals(List.of(List.of("baseline", 90.0)), f.data().rows());
    }

    /** The area under a histogram drawn on a log axis, in decades. */
    private static double integralPerDecade(List<double[]> steps) {
        double sum = 0;
        for (int i = 0; i + 1 < steps.size(); i++) {
            sum += Math.log10(steps.get(i + 1)[0] / steps.get(i)[0]) * steps.get(i)[1];
        }
        return sum;
    }

    private static double integral(List<double[]> steps) {
        double sum = 0;
        for (int i = 0; i + 1 < steps.size(); i++) {
            sum += (steps.get(i + 1)[0] - steps.get(i)[0]) * steps.get(i)[1];
        }
        return sum;
    }
}
