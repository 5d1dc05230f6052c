package io.nnrmtsvd.report;

import io.nnrmtsvd.rmt.MarchenkoPastur;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's plots, drawn with XChart. Each returns a {@link Figure} whose table holds every
 * point drawn: for XY plots one row per point, as {@code series,x,y}; a histogram's rows are its
 * left bin edges with their densities, closed by a row at the last right edge.
 */
public final class Plots {
    /** Width of every plot, in pixels. */
    public static final int WIDTH = 720;
    /** Height of every plot, in pixels. */
    public static final int HEIGHT = 440;

    static final Color BLUE = new Color(0x2F6DB5);
    static final Color ORANGE = new Color(0xE07B28);
    static final Color GREEN = new Color(0x3A9A5B);
    static final Color RED = new Color(0xC62F2F);
    static final Color GREY = new Color(0x6B7785);
    private static final Color HISTOGRAM_FILL = new Color(0x2F, 0x6D, 0xB5, 0x66);
    private static final Color[] SERIES_COLORS = {BLUE, ORANGE, GREEN, RED, GREY};
    static final BasicStroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10f, new float[] {6f, 4f}, 0f);
    private static final int MP_POINTS = 160;
    /** Seeds needed for a box plot; fewer are drawn as dots. */
    private static final int BOX_SEEDS = 5;
    /** How far beyond the bulk's edge the largest eigenvalue must lie for a log axis. */
    private static final double DECADES_FACTOR = 4;
    /** The smallest eigenvalue a log axis shows, relative to the largest: below it they count as zero. */
    static final double LOG_FLOOR = 1e-9;
    private static final String FONT = Font.SANS_SERIF;

    private Plots() {
    }

    /**
     * A line of an XY plot.
     *
     * @param name legend entry
     * @param x abscissae (copied)
     * @param y ordinates, as long as x (copied)
     */
    public record Curve(String name, double[] x, double[] y) {
        public Curve {
            if (x.length != y.length) {
                throw new IllegalArgumentException(name + ": " + x.length + " x values but " + y.length + " y values");
            }
            x = x.clone();
            y = y.clone();
        }

        @Override
        public double[] x() {
            return x.clone();
        }

        @Override
        public double[] y() {
            return y.clone();
        }
    }

    /**
     * The whole spectrum of one layer: density histogram of the eigenvalues, the fitted
     * Marchenko–Pastur density, lambda_plus as a vertical line and the spikes marked. When the
     * spectrum reaches far beyond its bulk ({@link #spansDecades}) the eigenvalue axis is
     * logarithmic, so spikes do not squeeze the bulk into a sliver; the bulk then has its own plot
     * ({@link #bulk}).
     *
     * @throws IllegalArgumentException if the layer has no fit ({@link LayerSpectrum#fitted()})
     */
    public static Figure spectrum(String id, LayerSpectrum s) {
        double[] e = fittedEigenvalues(s);
        if (spansDecades(s)) {
            return logSpectrum(id, s, e);
        }
        double hi = Math.max(e[e.length - 1], s.lambdaPlus()) * 1.02;
        return spectrumFigure(id, s, 0, hi, e.length, "Spectrum of " + s.name(),
                "Eigenvalue density of " + s.name() + " (" + shape(s) + ") with its Marchenko–Pastur fit; "
                        + "spikes lie right of lambda_plus.");
    }

    /**
     * Whether the largest eigenvalue lies so far beyond the bulk (more than {@value #DECADES_FACTOR}
     * times its upper edge) that a linear axis would squeeze the bulk into a corner: then
     * {@link #spectrum} draws on a log axis and {@link #bulk} is worth drawing. Otherwise the whole
     * spectrum shows the bulk well, and a zoom on it would show nothing more.
     */
    public static boolean spansDecades(LayerSpectrum s) {
        if (!s.fitted()) {
            return false;
        }
        double[] e = s.eigenvalues();
        return e[e.length - 1] > DECADES_FACTOR * bulkEdge(s);
    }

    private static double bulkEdge(LayerSpectrum s) {
        return Math.max(new MarchenkoPastur(s.gamma(), s.sigma2()).upperEdge(), s.lambdaPlus());
    }

    /**
     * The bulk of one layer's spectrum: as {@link #spectrum} on the range of the fitted
     * Marchenko–Pastur law and lambda_plus, with a little margin. The histogram keeps the
     * normalisation of the whole spectrum, so it can be compared with the density directly.
     */
    public static Figure bulk(String id, LayerSpectrum s) {
        double[] e = fittedEigenvalues(s);
        MarchenkoPastur mp = new MarchenkoPastur(s.gamma(), s.sigma2());
        double a = mp.lowerEdge();
        double b = Math.max(mp.upperEdge(), s.lambdaPlus());
        double margin = 0.2 * (b - a);
        double lo = Math.max(0, a - margin);
        double hi = b + margin;
        int inRange = 0;
        for (double v : e) {
            if (v >= lo && v <= hi) {
                inRange++;
            }
        }
        return spectrumFigure(id, s, lo, hi, Math.max(1, inRange), "Bulk of " + s.name(),
                "The bulk of " + s.name() + " up close: " + inRange + " of " + e.length
                        + " eigenvalues lie in this range.");
    }

    /** Test accuracy (in %) after each epoch, one line per variant (e.g. baseline and pruned). */
    public static Figure accuracyByEpoch(String id, List<Curve> curves) {
        XyPlot plot = new XyPlot("Test accuracy per epoch", "epoch", "test accuracy (%)");
        int i = 0;
        for (Curve c : curves) {
            XYSeries series = plot.add(c.name(), c.x(), percent(c.y()));
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(SERIES_COLORS[i % SERIES_COLORS.length]);
            series.setLineColor(SERIES_COLORS[i % SERIES_COLORS.length]);
            series.setLineWidth(2f);
            i++;
        }
        plot.chart.getStyler().setXAxisDecimalPattern("#0");
        return plot.figure(id, "Test accuracy after each epoch.");
    }

    /**
     * A per-epoch quantity over seeds: its mean as a line, and as a band the lowest to the highest
     * seed at every epoch.
     *
     * @param name legend entry
     * @param x epochs (copied)
     * @param mean mean over seeds, as long as x (copied)
     * @param low lowest seed (copied)
     * @param high highest seed (copied)
     * @param colour index into the report's palette (variants keep their colour across plots)
     * @param dashed draw the mean dashed (e.g. training accuracy beside test accuracy)
     */
    public record Band(String name, double[] x, double[] mean, double[] low, double[] high, int colour,
                       boolean dashed) {
        public Band {
            if (mean.length != x.length || low.length != x.length || high.length != x.length) {
                throw new IllegalArgumentException(name + ": mean, low and high need one value per x");
            }
            x = x.clone();
            mean = mean.clone();
            low = low.clone();
            high = high.clone();
        }

        @Override
        public double[] x() {
            return x.clone();
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        @Override
        public double[] low() {
            return low.clone();
        }

        @Override
        public double[] high() {
            return high.clone();
        }
    }

    /**
     * Per-epoch quantities over seeds (fractions, drawn in percent or percentage points): each
     * band's mean as a line, its seeds' range as a translucent area of the same colour.
     */
    public static Figure bands(String id, String title, String yLabel, String caption, List<Band> bands) {
        XyPlot plot = new XyPlot(title, "epoch", yLabel);
        for (Band b : bands) {
            Color colour = SERIES_COLORS[b.colour() % SERIES_COLORS.length];
            double[] x = b.x();
            double[] low = percent(b.low());
            double[] high = percent(b.high());
            double[] polygonX = new double[2 * x.length];
            double[] polygonY = new double[2 * x.length];
            for (int i = 0; i < x.length; i++) {
                polygonX[i] = x[i];
                polygonY[i] = high[i];
                polygonX[2 * x.length - 1 - i] = x[i];
                polygonY[2 * x.length - 1 - i] = low[i];
            }
            XYSeries band = plot.add(b.name() + " (seed range)", polygonX, polygonY);
            band.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
            band.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), b.dashed() ? 0x22 : 0x40));
            band.setLineColor(new Color(0, 0, 0, 0));
            band.setShowInLegend(false);
            XYSeries mean = plot.add(b.name(), x, percent(b.mean()));
            mean.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            mean.setLineColor(colour);
            mean.setLineWidth(2f);
            if (b.dashed()) {
                mean.setLineStyle(DASHED);
            }
        }
        plot.chart.getStyler().setXAxisDecimalPattern("#0");
        return plot.figure(id, caption);
    }

    /**
     * Test accuracy (in %) with one layer truncated to each rank, with the predicted rank as a
     * vertical line and the full network's accuracy as a horizontal one.
     */
    public static Figure accuracyByRank(String id, String layer, double[] ranks, double[] accuracy,
                                        int predictedRank, double fullAccuracy) {
        XyPlot plot = new XyPlot("Test accuracy vs singular values kept (" + layer + ")", "singular values kept",
                "test accuracy (%)");
        double[] pct = percent(accuracy);
        double lo = Math.min(0, min(pct));
        double hi = Math.max(100 * fullAccuracy, max(pct));
        XYSeries sweep = plot.add("truncated " + layer, ranks, pct);
        sweep.setMarker(SeriesMarkers.CIRCLE);
        sweep.setMarkerColor(BLUE);
        sweep.setLineColor(BLUE);
        sweep.setLineWidth(2f);
        double left = Math.min(min(ranks), predictedRank);
        double right = Math.max(max(ranks), predictedRank);
        plot.line("full network " + String.format(Locale.ROOT, "%.2f%%", 100 * fullAccuracy),
                new double[] {left, right}, new double[] {100 * fullAccuracy, 100 * fullAccuracy}, GREY, DASHED);
        plot.line("predicted rank " + predictedRank, new double[] {predictedRank, predictedRank},
                new double[] {lo, hi}, RED, DASHED);
        plot.chart.getStyler().setXAxisDecimalPattern("#0");
        return plot.figure(id, "Test accuracy with " + layer + " truncated to each rank; the red line is the "
                + "rank BEMA predicts.");
    }

    /** Parameters (weights and biases) of each layer before and after, as grouped bars. */
    public static Figure parameters(String id, List<String> layers, long[] before, long[] after) {
        if (layers.size() != before.length || layers.size() != after.length) {
            throw new IllegalArgumentException("need one count before and after per layer");
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Parameters per layer").xAxisTitle("layer").yAxisTitle("parameters").build();
        style(chart.getStyler());
        chart.getStyler().setAvailableSpaceFill(0.7).setOverlapped(false).setLabelsVisible(false)
                .setYAxisMin(0.0).setPlotGridVerticalLinesVisible(false)
                .setYAxisDecimalPattern("#,##0");
        chart.getStyler().setSeriesColors(new Color[] {GREY, BLUE});
        List<Long> b = new ArrayList<>();
        List<Long> a = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            b.add(before[i]);
            a.add(after[i]);
            rows.add(List.of(layers.get(i), before[i], after[i]));
        }
        chart.addSeries("before", layers, b);
        chart.addSeries("after", layers, a);
        long totalBefore = b.stream().mapToLong(Long::longValue).sum();
        long totalAfter = a.stream().mapToLong(Long::longValue).sum();
        StringBuilder each = new StringBuilder();
        if (layers.size() <= 6) {
            for (int i = 0; i < layers.size(); i++) {
                each.append(String.format(Locale.ROOT, "%s %,d → %,d (%s)", i == 0 ? "" : ";", before[i], after[i],
                        layers.get(i)));
            }
            each.append('.');
        }
        return new Figure(id, String.format(Locale.ROOT, "Parameters per layer: %,d before, %,d after (%.1f%%).%s",
                totalBefore, totalAfter, 100.0 * totalAfter / totalBefore, each), chart,
                new Table(List.of("layer", "before", "after"), rows));
    }

    /**
     * Final test accuracies (in %) over seeds, one box per variant (median, quartiles, whiskers to
     * the extremes within 1.5 interquartile ranges); with fewer than {@value #BOX_SEEDS} seeds, which
     * make no box, one dot per seed.
     */
    public static Figure finalAccuracies(String id, Map<String, double[]> byVariant) {
        if (byVariant.values().stream().allMatch(a -> a.length < BOX_SEEDS)) {
            return accuracyDots(id, byVariant);
        }
        BoxChart chart = new BoxChartBuilder().width(WIDTH).height(HEIGHT).title("Final test accuracy over seeds")
                .xAxisTitle("variant").yAxisTitle("test accuracy (%)").build();
        style(chart.getStyler());
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setSeriesColors(SERIES_COLORS).setLegendVisible(false);
        List<List<Object>> rows = new ArrayList<>();
        int seeds = 0;
        for (Map.Entry<String, double[]> v : byVariant.entrySet()) {
            double[] pct = percent(v.getValue());
            if (pct.length == 0) {
                throw new IllegalArgumentException("variant " + v.getKey() + " has no accuracies");
            }
            chart.addSeries(v.getKey(), pct);
            for (double x : pct) {
                rows.add(List.of(v.getKey(), x));
            }
            seeds = Math.max(seeds, pct.length);
        }
        return new Figure(id, "Final test accuracy of each variant over up to " + seeds + " seeds.", chart,
                new Table(List.of("variant", "test_accuracy_percent"), rows));
    }

    private static Figure accuracyDots(String id, Map<String, double[]> byVariant) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Final test accuracy per seed").xAxisTitle("variant").yAxisTitle("test accuracy (%)").build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        chart.getStyler().setPlotGridVerticalLinesVisible(false).setYAxisDecimalPattern("#0.##");
        chart.getStyler().setSeriesColors(SERIES_COLORS).setLegendVisible(true);
        List<String> variants = new ArrayList<>(byVariant.keySet());
        int seeds = byVariant.values().stream().mapToInt(a -> a.length).max().orElse(0);
        if (seeds == 0) {
            throw new IllegalArgumentException("no accuracies to draw");
        }
        List<List<Object>> rows = new ArrayList<>();
        for (int k = 0; k < seeds; k++) {
            List<Double> y = new ArrayList<>();
            for (String v : variants) {
                double[] pct = percent(byVariant.get(v));
                y.add(k < pct.length ? pct[k] : null);
                if (k < pct.length) {
                    rows.add(List.of(v, pct[k]));
                }
            }
            chart.addSeries(seeds == 1 ? "final test accuracy" : "seed " + (k + 1), variants, y);
        }
        return new Figure(id, "Final test accuracy of each variant, " + (seeds == 1 ? "one seed"
                : "one dot per seed (" + seeds + " seeds)") + ".", chart,
                new Table(List.of("variant", "test_accuracy_percent"), rows));
    }

    private static Figure spectrumFigure(String id, LayerSpectrum s, double lo, double hi, int binnedCount,
                                         String title, String caption) {
        double[] e = s.eigenvalues();
        int bins = Math.max(10, Math.min(60, (int) Math.ceil(2 * Math.sqrt(binnedCount))));
        DensityHistogram h = DensityHistogram.of(e, lo, hi, bins, e.length);
        MarchenkoPastur mp = new MarchenkoPastur(s.gamma(), s.sigma2());
        double[][] curve = densityCurve(mp);
        double density = h.maxDensity();
        // With no eigenvalue in range (every one a spike beyond it) the fitted law alone sets the height.
        double top = 1.12 * (density > 0 ? Math.max(density, Math.min(max(curve[1]), 3 * density)) : max(curve[1]));

        XyPlot plot = new XyPlot(title, "eigenvalue", "density");
        plot.chart.getStyler().setXAxisMin(lo).setXAxisMax(hi).setYAxisMin(0.0).setYAxisMax(top)
                .setXAxisDecimalPattern(decimalPattern(hi - lo)).setYAxisDecimalPattern(decimalPattern(top));
        histogramAndFit(plot, h, e.length, s, curve, top,
                Arrays.stream(s.spikeValues()).filter(v -> v >= lo && v <= hi).toArray());
        return plot.figure(id, caption);
    }

    /** {@link #spectrum} on a log eigenvalue axis, heights as shares per decade. */
    private static Figure logSpectrum(String id, LayerSpectrum s, double[] e) {
        double top = e[e.length - 1];
        double floor = top * LOG_FLOOR;
        double[] shown = Arrays.stream(e).filter(v -> v > floor).toArray();
        int zeros = e.length - shown.length;
        MarchenkoPastur mp = new MarchenkoPastur(s.gamma(), s.sigma2());
        double lo = Math.min(shown[0], mp.lowerEdge() > 0 ? mp.lowerEdge() : shown[0]) / 1.2;
        double hi = top * 1.2;
        int bins = Math.max(10, Math.min(60, (int) Math.ceil(2 * Math.sqrt(shown.length))));
        DensityHistogram h = DensityHistogram.perDecade(shown, lo, hi, bins, e.length);
        double[][] curve = perDecadeCurve(mp, lo);
        double density = h.maxDensity();
        double top2 = 1.12 * (density > 0 ? Math.max(density, Math.min(max(curve[1]), 3 * density)) : max(curve[1]));

        XyPlot plot = new XyPlot("Spectrum of " + s.name() + " (log scale)", "eigenvalue (log scale)",
                "share per decade");
        plot.chart.getStyler().setXAxisLogarithmic(true).setXAxisMin(lo).setXAxisMax(hi).setYAxisMin(0.0)
                .setYAxisMax(top2).setYAxisDecimalPattern(decimalPattern(top2))
                .setXAxisTickLabelsFormattingFunction(Plots::powerOfTen);
        histogramAndFit(plot, h, e.length, s, curve, top2, s.spikeValues());
        return plot.figure(id, "Eigenvalues of " + s.name() + " (" + shape(s) + ") on a log axis, as shares per "
                + "decade, with the Marchenko–Pastur fit; spikes lie right of lambda_plus"
                + (zeros > 0 ? String.format(Locale.ROOT, "; %,d eigenvalues at zero are not drawn", zeros) : "")
                + ".");
    }

    /**
     * The histogram as a step area, the fitted density, lambda_plus up to {@code top} and a mark
     * near the axis for each of {@code spikes} (the legend counts all of the layer's spikes).
     */
    private static void histogramAndFit(XyPlot plot, DensityHistogram h, int count, LayerSpectrum s,
                                        double[][] curve, double top, double[] spikes) {
        int bins = h.densities().length;
        double[] histY = new double[bins + 1];
        System.arraycopy(h.densities(), 0, histY, 0, bins);
        histY[bins] = h.densities()[bins - 1];
        XYSeries hist = plot.add("eigenvalues (" + count + ")", h.edges(), histY);
        hist.setXYSeriesRenderStyle(XYSeriesRenderStyle.StepArea);
        hist.setFillColor(HISTOGRAM_FILL);
        hist.setLineColor(BLUE);
        hist.setLineWidth(1f);
        plot.line(String.format(Locale.ROOT, "MP fit (σ² %.4g)", s.sigma2()),
                curve[0], curve[1], ORANGE, new BasicStroke(2.2f));
        plot.line(String.format(Locale.ROOT, "lambda_plus %.4g", s.lambdaPlus()),
                new double[] {s.lambdaPlus(), s.lambdaPlus()}, new double[] {0, top}, RED, DASHED);
        if (spikes.length > 0) {
            double[] y = new double[spikes.length];
            Arrays.fill(y, 0.03 * top);
            XYSeries marks = plot.add("spikes (" + s.spikeValues().length + ")", spikes, y);
            marks.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            marks.setMarker(SeriesMarkers.DIAMOND);
            marks.setMarkerColor(RED);
        }
    }

    /** The fitted density as a share per decade, x ln(10) f(x), at points spaced evenly on a log axis. */
    private static double[][] perDecadeCurve(MarchenkoPastur mp, double lo) {
        double a = Math.max(mp.lowerEdge(), lo);
        double b = mp.upperEdge();
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < MP_POINTS; i++) {
            double x = a * Math.pow(b / a, (double) i / (MP_POINTS - 1));
            double y = x * Math.log(10) * mp.density(x);
            if (Double.isFinite(y)) {
                points.add(new double[] {x, y});
            }
        }
        return columns(points);
    }

    /** A log axis's tick label: 1e-4, 0.001, 0.01, 0.1, 1, 10, 100, 1e+04. */
    static String powerOfTen(Double x) {
        double v = x;
        if (v >= 1e-3 && v < 1e4) {
            return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros()
                    .toPlainString();
        }
        return String.format(Locale.ROOT, "%.0e", v);
    }

    private static double[] fittedEigenvalues(LayerSpectrum s) {
        if (!s.fitted()) {
            throw new IllegalArgumentException(s.name() + " has no Marchenko-Pastur fit to draw");
        }
        return s.eigenvalues();
    }

    /** Points {x, y} as the two columns x[] and y[]. */
    private static double[][] columns(List<double[]> points) {
        double[][] xy = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            xy[0][i] = points.get(i)[0];
            xy[1][i] = points.get(i)[1];
        }
        return xy;
    }

    /** The density on its support, skipping the points where it is infinite (x = 0 when gamma = 1). */
    private static double[][] densityCurve(MarchenkoPastur mp) {
        double a = mp.lowerEdge();
        double b = mp.upperEdge();
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < MP_POINTS; i++) {
            double x = a + (b - a) * i / (MP_POINTS - 1);
            double y = mp.density(x);
            if (Double.isFinite(y)) {
                points.add(new double[] {x, y});
            }
        }
        return columns(points);
    }

    /** An XY chart and the table of its points, filled together. */
    static final class XyPlot {
        final XYChart chart;
        final List<List<Object>> rows = new ArrayList<>();

        XyPlot(String title, String xLabel, String yLabel) {
            chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                    .yAxisTitle(yLabel).build();
            style(chart.getStyler());
        }

        XYSeries add(String name, double[] x, double[] y) {
            for (int i = 0; i < x.length; i++) {
                rows.add(List.of(name, x[i], y[i]));
            }
            XYSeries series = chart.addSeries(name, x, y);
            series.setMarker(SeriesMarkers.NONE);
            return series;
        }

        XYSeries line(String name, double[] x, double[] y, Color color, BasicStroke stroke) {
            XYSeries series = add(name, x, y);
            series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            series.setLineColor(color);
            series.setLineStyle(stroke);
            return series;
        }

        Figure figure(String id, String caption) {
            return new Figure(id, caption, chart, new Table(List.of("series", "x", "y"), rows));
        }
    }

    private static void style(AxesChartStyler s) {
        Color ink = new Color(0x27313B);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setPlotGridLinesColor(new Color(0xE4E8ED));
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(FONT, Font.BOLD, 15));
        s.setChartFontColor(ink);
        s.setAxisTitleFont(new Font(FONT, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 11));
        s.setAxisTickLabelsColor(ink);
        s.setAxisTickMarksColor(GREY);
        s.setLegendFont(new Font(FONT, Font.PLAIN, 12));
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(new Color(0xD5DAE0));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 235));
        s.setChartPadding(12);
        s.setLocale(Locale.ROOT);
        s.setAntiAlias(true);
    }

    private static String decimalPattern(double range) {
        if (range >= 100) {
            return "#,##0";
        }
        if (range >= 1) {
            return "#0.##";
        }
        int decimals = (int) Math.min(8, 2 + Math.ceil(-Math.log10(range))); // capped in double: log10(0) = -inf
        return "#0." + "#".repeat(decimals);
    }

    private static String shape(LayerSpectrum s) {
        return s.rows() + "x" + s.cols();
    }

    private static double[] percent(double[] fractions) {
        double[] p = new double[fractions.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = 100 * fractions[i];
        }
        return p;
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
