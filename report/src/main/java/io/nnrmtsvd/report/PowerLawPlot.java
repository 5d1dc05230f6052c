package io.nnrmtsvd.report;

import io.nnrmtsvd.codec.BemaJson;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.rmt.GramSpectrum;
import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The heavy tail of one matrix's spectrum on log-log axes (SPEC section 9): the empirical
 * complementary CDF of its raw eigenvalues s_i^2, the share of eigenvalues at or above each, with
 * the power law fitted from x_min drawn over the tail and x_min marked. A power-law tail is a
 * straight line of slope 1 - alpha here; the complementary CDF needs no bins, so small tails read
 * as well as large ones.
 */
final class PowerLawPlot {
    /** Most points drawn: neighbours closer than this share of either axis's decades are thinned out. */
    private static final int RESOLUTION = 300;

    private PowerLawPlot() {
    }

    /**
     * A power-law fit as a row states it (WeightWatcher's keys).
     *
     * @param alpha the exponent
     * @param xmin where the tail starts
     * @param count eigenvalues in the tail ({@code num_pl_spikes})
     * @param distance the Kolmogorov–Smirnov distance {@code D} of the fit
     */
    record Tail(double alpha, double xmin, int count, double distance) {
        /** The fit a row holds, or null when it has none (alpha missing or null). */
        static Tail of(Map<String, Object> row) {
            if (!(row.get("alpha") instanceof Number alpha) || !(row.get("xmin") instanceof Number xmin)
                    || !(row.get("num_pl_spikes") instanceof Number count)) {
                return null;
            }
            double d = row.get("D") instanceof Number n ? n.doubleValue() : Double.NaN;
            return new Tail(alpha.doubleValue(), xmin.doubleValue(), count.intValue(), d);
        }
    }

    /**
     * What a row's BEMA eigenvalues are multiplied by to give its raw eigenvalues s^2: the Gram
     * matrix's divisor for the row's shape and BEMA scaling.
     *
     * @throws IllegalArgumentException if the row lacks its shape or BEMA settings
     */
    static double divisor(Map<String, Object> row) {
        return GramSpectrum.divisor(Math.toIntExact(JsonFields.integer(row, "rows")),
                Math.toIntExact(JsonFields.integer(row, "cols")),
                BemaJson.fromJson(JsonFields.object(row.get("bema"), "'bema'")).scaling());
    }

    /** The tail plot of a layer whose row, as {@code spectrum} prints it, holds its power-law fit. */
    static Figure of(String id, LayerSpectrum layer, Map<String, Object> row) {
        double[] raw = layer.eigenvalues();
        double divisor = divisor(row);
        for (int i = 0; i < raw.length; i++) {
            raw[i] *= divisor;
        }
        return of(id, layer.name(), layer.rows() + "x" + layer.cols(), raw, Tail.of(row));
    }

    /**
     * The plot.
     *
     * @param name the matrix's name
     * @param shape its shape as the caption says it, e.g. {@code 64x128}
     * @param raw its raw eigenvalues, ascending (not modified)
     * @param tail the fit; null when there is none, then only the eigenvalues are drawn
     * @throws IllegalArgumentException if no eigenvalue is positive
     */
    static Figure of(String id, String name, String shape, double[] raw, Tail tail) {
        double largest = raw.length == 0 ? 0 : raw[raw.length - 1];
        if (!(largest > 0)) {
            throw new IllegalArgumentException(name + ": no positive eigenvalue to draw on a log axis");
        }
        double floor = largest * Plots.LOG_FLOOR;
        int p = raw.length;
        int first = 0;
        while (raw[first] <= floor) {
            first++;
        }
        double[] x = new double[p - first];
        double[] share = new double[p - first];
        for (int i = first; i < p; i++) { // share of all p eigenvalues at or above raw[i]
            x[i - first] = raw[i];
            share[i - first] = (double) (p - i) / p;
        }
        double[][] points = thinned(x, share);
        double xLo = x[0] / 1.3;
        double xHi = largest * 1.3;
        if (Math.log10(xHi / xLo) < 1.5) { // a log axis labels only powers of ten: show at least two
            xLo = Math.pow(10, Math.floor(Math.log10(xLo)));
            xHi = Math.pow(10, Math.ceil(Math.log10(xHi)));
        }
        double yLo = 1.0 / p / 1.5;

        Plots.XyPlot plot = new Plots.XyPlot("Tail of " + name + " (log-log)", "eigenvalue s² (log scale)",
                "share of eigenvalues ≥ x (log scale)");
        plot.chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setXAxisMin(xLo).setXAxisMax(xHi)
                .setYAxisMin(yLo).setYAxisMax(1.5).setXAxisTickLabelsFormattingFunction(Plots::powerOfTen)
                .setYAxisTickLabelsFormattingFunction(Plots::powerOfTen).setMarkerSize(5);
        XYSeries eigenvalues = plot.add("eigenvalues (" + String.format(Locale.ROOT, "%,d", p) + ")", points[0],
                points[1]);
        eigenvalues.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        eigenvalues.setMarker(SeriesMarkers.CIRCLE);
        eigenvalues.setMarkerColor(Plots.BLUE);
        String fit;
        if (tail != null && tail.xmin() > 0 && tail.alpha() > 1) {
            double scale = (double) tail.count() / p;
            double[] lineX = {tail.xmin(), largest};
            double[] lineY = {scale, scale * Math.pow(largest / tail.xmin(), 1 - tail.alpha())};
            plot.line(String.format(Locale.ROOT, "power law, alpha %.2f", tail.alpha()), lineX, lineY, Plots.ORANGE,
                    new BasicStroke(2.2f));
            plot.line(String.format(Locale.ROOT, "x_min %.4g", tail.xmin()), new double[] {tail.xmin(), tail.xmin()},
                    new double[] {yLo, 1.5}, Plots.RED, Plots.DASHED);
            fit = String.format(Locale.ROOT, ", with the power law fitted from x_min (alpha %.2f, %,d eigenvalues in "
                    + "the tail, KS distance D %s); a power-law tail is a straight line of slope 1 - alpha",
                    tail.alpha(), tail.count(), HtmlReport.number(tail.distance()));
        } else {
            fit = "; no power law was fitted";
        }
        return plot.figure(id, "Share of the eigenvalues s² of " + name + " (" + shape + ") at or above each, on "
                + "log-log axes" + fit + (first > 0 ? String.format(Locale.ROOT, "; %,d eigenvalues at zero are not "
                + "drawn", first) : "") + ".");
    }

    /**
     * The points kept when neighbours closer than 1/{@value #RESOLUTION} of both axes' log ranges
     * are dropped; the first and last always stay.
     */
    private static double[][] thinned(double[] x, double[] y) {
        double dx = Math.max(Math.log10(x[x.length - 1] / x[0]), 1e-12) / RESOLUTION;
        double dy = Math.max(Math.log10(y[0] / y[y.length - 1]), 1e-12) / RESOLUTION;
        List<double[]> kept = new ArrayList<>();
        kept.add(new double[] {x[0], y[0]});
        for (int i = 1; i < x.length; i++) {
            double[] last = kept.get(kept.size() - 1);
            boolean far = Math.abs(Math.log10(x[i] / last[0])) >= dx || Math.abs(Math.log10(y[i] / last[1])) >= dy;
            if (far || i == x.length - 1) {
                kept.add(new double[] {x[i], y[i]});
            }
        }
        double[][] xy = new double[2][kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            xy[0][i] = kept.get(i)[0];
            xy[1][i] = kept.get(i)[1];
        }
        return xy;
    }
}
