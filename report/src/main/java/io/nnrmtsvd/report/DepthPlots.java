package io.nnrmtsvd.report;

import io.nnrmtsvd.checkpoint.TensorResult;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Metrics of a model's tensors against depth: alpha, log10 of the spectral norm, BEMA's spikes and
 * fit error, each against the layer index read from the tensor names ({@link TensorRole}), one line
 * per role (q, k, v, o, up, down, ...), so that a layer or a role that stands out is seen at once.
 */
final class DepthPlots {
    /** Colours of the roles present, in {@link TensorRole#ROLES} order; then they repeat with other markers. */
    private static final Color[] COLOURS = {Plots.BLUE, Plots.ORANGE, Plots.GREEN, Plots.RED, new Color(0x7B4FB0),
        new Color(0x8C5A3C), new Color(0xD4559B), new Color(0x2BA3A8), new Color(0xB5A01F), Plots.GREY};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};

    /** One plotted metric: the row key, the plot's title and axis label, and a word on reading it. */
    private record Metric(String key, String slug, String title, String axis, String reading) {
    }

    private static final List<Metric> METRICS = List.of(
            new Metric("alpha", "alpha", "alpha by layer", "alpha",
                    "Dashed lines at 2 and 6, where near the alphas, mark rules of thumb (below 2 possibly "
                            + "over-trained, above 6 possibly under-trained), not tests."),
            new Metric("log_spectral_norm", "log-spectral-norm", "log10 spectral norm by layer",
                    "log10 of the largest eigenvalue s²", ""),
            new Metric("spikes", "spikes", "Spikes by layer", "eigenvalues above BEMA's lambda_plus", ""),
            new Metric("fit_error", "fit-error", "BEMA fit error by layer", "fit error", ""));

    private DepthPlots() {
    }

    /**
     * The plots of the analysed rows whose names place them in a numbered layer; none when no name does.
     *
     * @param idPrefix start of each figure's id
     */
    static List<Figure> of(String idPrefix, List<Map<String, Object>> rows) {
        List<Map<String, Object>> analysed = rows.stream()
                .filter(r -> TensorResult.ANALYSED.equals(r.getOrDefault("status", TensorResult.ANALYSED))).toList();
        Map<String, Integer> layers = TensorRole.layerIndices(analysed.stream().map(DepthPlots::name).toList());
        List<Figure> figures = new ArrayList<>();
        if (layers.isEmpty()) {
            return figures;
        }
        int outside = analysed.size() - layers.size();
        for (Metric m : METRICS) {
            Map<String, List<double[]>> byRole = new LinkedHashMap<>();
            TensorRole.ROLES.forEach(role -> byRole.put(role, new ArrayList<>()));
            for (Map<String, Object> r : analysed) {
                Integer layer = layers.get(name(r));
                if (layer != null && r.get(m.key()) instanceof Number v && Double.isFinite(v.doubleValue())) {
                    byRole.get(TensorRole.of(name(r)).role()).add(new double[] {layer, v.doubleValue()});
                }
            }
            byRole.values().removeIf(List::isEmpty);
            if (!byRole.isEmpty()) {
                figures.add(figure(idPrefix + "depth-" + m.slug(), m, byRole, outside));
            }
        }
        return figures;
    }

    private static Figure figure(String id, Metric m, Map<String, List<double[]>> byRole, int outside) {
        Plots.XyPlot plot = new Plots.XyPlot(m.title(), "layer index", m.axis());
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double yLo = Double.POSITIVE_INFINITY;
        double yHi = Double.NEGATIVE_INFINITY;
        int points = 0;
        int i = 0;
        for (Map.Entry<String, List<double[]>> e : byRole.entrySet()) {
            List<double[]> xy = new ArrayList<>(e.getValue());
            xy.sort(Comparator.comparingDouble(p -> p[0])); // stable: ties keep the rows' order
            double[] x = xy.stream().mapToDouble(p -> p[0]).toArray();
            double[] y = xy.stream().mapToDouble(p -> p[1]).toArray();
            XYSeries s = plot.add(e.getKey(), x, y);
            Set<Double> layers = new HashSet<>();
            for (double v : x) {
                layers.add(v);
            }
            // A line only where it reads as one: with several tensors of a role per layer it would zigzag.
            s.setXYSeriesRenderStyle(layers.size() == x.length ? XYSeriesRenderStyle.Line : XYSeriesRenderStyle.Scatter);
            Color colour = COLOURS[i % COLOURS.length];
            s.setLineColor(colour);
            s.setMarkerColor(colour);
            s.setMarker(MARKERS[(i / COLOURS.length + i) % MARKERS.length]);
            s.setLineWidth(1.4f);
            for (double v : x) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            for (double v : y) {
                yLo = Math.min(yLo, v);
                yHi = Math.max(yHi, v);
            }
            points += x.length;
            i++;
        }
        // Roles may be many and long (c_proj (attn)): listed down the right, they never run off the plot.
        plot.chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE)
                .setLegendLayout(Styler.LegendLayout.Vertical);
        plot.chart.getStyler().setXAxisMin(lo - 0.5).setXAxisMax(hi + 0.5).setXAxisDecimalPattern("#0")
                .setMarkerSize(6);
        if (m.key().equals("spikes")) {
            plot.chart.getStyler().setYAxisDecimalPattern("#,##0");
        }
        if (m.key().equals("alpha")) {
            for (double rule : new double[] {2, 6}) {
                if (rule < yLo - 1 || rule > yHi + 1) {
                    continue; // far from every alpha it would only squeeze them
                }
                plot.line(String.format(Locale.ROOT, "alpha = %.0f", rule), new double[] {lo - 0.5, hi + 0.5},
                        new double[] {rule, rule}, Plots.GREY, Plots.DASHED);
            }
        }
        String left = outside == 0 ? "" : String.format(Locale.ROOT, " %,d analysed %s outside numbered layers "
                + "(embeddings, the head) %s not drawn.", outside, outside == 1 ? "tensor" : "tensors",
                outside == 1 ? "is" : "are");
        return plot.figure(id, String.format(Locale.ROOT, "%s of %,d tensors against their layer index, one line per "
                + "role read from the names (a role with several tensors in a layer as dots).%s%s", m.title()
                .replace(" by layer", ""), points, left, m.reading().isEmpty() ? "" : " " + m.reading()));
    }

    private static String name(Map<String, Object> row) {
        return String.valueOf(row.get("name"));
    }
}
