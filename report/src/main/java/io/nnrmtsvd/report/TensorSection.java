package io.nnrmtsvd.report;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.run.EigenvalueFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tensors of a checkpoint run as its report shows them, drawn from the {@code tensors} entry of
 * {@code metrics.json} ({@link RunMetrics#tensors}) and the eigenvalue files of the run directory
 * ({@link EigenvalueFiles}): every row, the depth plots, and for each tensor the run chose to plot
 * ({@link TensorPlotSelection}) its spectrum with the Marchenko–Pastur fit and its tail on log-log
 * axes. A tensor whose eigenvalues cannot be read has a note instead of plots.
 *
 * @param title the section's heading
 * @param rows every tensor's row, as {@link io.nnrmtsvd.codec.SpectrumRowJson} writes them
 * @param depth the plots against depth ({@link DepthPlots}); empty when no name has a layer number
 * @param plotted the chosen tensors, in row order
 * @param globs the {@code --plot} globs of the run
 * @param globMatchesLeftOut tensors the globs matched beyond the limit
 */
record TensorSection(String title, List<Map<String, Object>> rows, List<Figure> depth, List<Plotted> plotted,
                     List<String> globs, int globMatchesLeftOut) {
    /** The metrics key. */
    static final String KEY = "tensors";

    TensorSection {
        rows = List.copyOf(rows);
        depth = List.copyOf(depth);
        plotted = List.copyOf(plotted);
        globs = List.copyOf(globs);
    }

    /**
     * One chosen tensor.
     *
     * @param name the tensor
     * @param why why it was chosen
     * @param figures its plots; empty when its eigenvalues could not be read
     * @param note why there are no plots; empty when there are
     */
    record Plotted(String name, List<String> why, List<Figure> figures, String note) {
        Plotted {
            why = List.copyOf(why);
            figures = List.copyOf(figures);
        }
    }

    /**
     * The section of a metrics document, or null when it has none.
     *
     * @param runDir where the eigenvalue files are
     * @throws IllegalArgumentException if the entry or a chosen tensor's row is malformed
     */
    static TensorSection of(Map<String, Object> metrics, Path runDir) {
        if (metrics.get(KEY) == null) {
            return null;
        }
        Map<String, Object> entry = JsonFields.object(metrics.get(KEY), "'" + KEY + "'");
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (Object o : JsonFields.array(entry.get("rows"), "'rows'")) {
            Map<String, Object> row = JsonFields.object(o, "a row");
            rows.add(row);
            byName.put(JsonFields.text(row, "name"), row);
        }
        Map<String, Object> plots = JsonFields.object(entry.get("plots"), "'plots'");
        List<Plotted> plotted = new ArrayList<>();
        List<Object> picks = JsonFields.array(plots.get("tensors"), "'tensors'");
        for (int i = 0; i < picks.size(); i++) {
            Map<String, Object> pick = JsonFields.object(picks.get(i), "a plotted tensor");
            String name = JsonFields.text(pick, "name");
            List<String> why = JsonFields.array(pick.get("why"), "'why'").stream().map(String::valueOf).toList();
            plotted.add(plotted("t" + (i + 1) + "-" + RunReport.slug(name), name, why, byName.get(name), runDir));
        }
        List<String> globs = JsonFields.array(entry.get("plot_globs"), "'plot_globs'").stream()
                .map(String::valueOf).toList();
        return new TensorSection(JsonFields.text(entry, "title"), rows, DepthPlots.of("tensors-", rows), plotted,
                globs, Math.toIntExact(JsonFields.integer(plots, "glob_matches_left_out")));
    }

    /** Every figure of the section, in page order. */
    List<Figure> figures() {
        List<Figure> all = new ArrayList<>(depth);
        plotted.forEach(p -> all.addAll(p.figures()));
        return all;
    }

    private static Plotted plotted(String stem, String name, List<String> why, Map<String, Object> row, Path runDir) {
        if (row == null) {
            return new Plotted(name, why, List.of(), "no row of this name in the run");
        }
        if (!(row.get(EigenvalueFiles.ROW_KEY) instanceof String file)) {
            return new Plotted(name, why, List.of(), "the run kept no eigenvalues of this tensor");
        }
        double[] raw;
        try {
            raw = EigenvalueFiles.read(runDir, file);
        } catch (InvalidInputException e) { // the tensor's plots are left out; the rest of the report stands
            return new Plotted(name, why, List.of(), "its eigenvalues cannot be read: " + e.getMessage());
        }
        int rows = Math.toIntExact(JsonFields.integer(row, "rows"));
        int cols = Math.toIntExact(JsonFields.integer(row, "cols"));
        if (raw.length != Math.min(rows, cols)) {
            return new Plotted(name, why, List.of(), String.format(Locale.ROOT, "%s holds %,d eigenvalues, but a "
                    + "%dx%d matrix has %,d", file, raw.length, rows, cols, Math.min(rows, cols)));
        }
        LayerSpectrum spectrum = spectrum(name, row, raw);
        List<Figure> figures = new ArrayList<>();
        if (spectrum.fitted()) {
            figures.add(Plots.spectrum(stem + "-spectrum", spectrum));
        }
        if (raw[raw.length - 1] > 0) { // beside the spectrum: the two views of one tensor side by side
            figures.add(PowerLawPlot.of(stem + "-tail", name, rows + "x" + cols, raw, PowerLawPlot.Tail.of(row)));
        }
        if (Plots.spansDecades(spectrum)) {
            figures.add(Plots.bulk(stem + "-bulk", spectrum));
        }
        return new Plotted(name, why, figures, figures.isEmpty() ? "an all-zero matrix: nothing to draw" : "");
    }

    /** The BEMA view of a row: its fit, with the raw eigenvalues scaled as the fit saw them. */
    private static LayerSpectrum spectrum(String name, Map<String, Object> row, double[] raw) {
        int rows = Math.toIntExact(JsonFields.integer(row, "rows"));
        int cols = Math.toIntExact(JsonFields.integer(row, "cols"));
        double divisor = PowerLawPlot.divisor(row);
        double[] scaled = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            scaled[i] = raw[i] / divisor;
        }
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Map<String, Object> rankObject = JsonFields.object(row.get("ranks"), "'ranks'");
        for (String rule : rankObject.keySet()) {
            ranks.put(rule, Math.toIntExact(JsonFields.integer(rankObject, rule)));
        }
        return new LayerSpectrum(name, rows, cols, JsonFields.number(row, "sigma2"),
                JsonFields.number(row, "lambda_plus"), Math.toIntExact(JsonFields.integer(row, "spikes")),
                JsonFields.number(row, "fit_error"), JsonFields.flag(row, "good_fit"), ranks, "", scaled);
    }
}
