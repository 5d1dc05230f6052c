package io.nnrmtsvd.report;

import io.nnrmtsvd.linalg.OpenBlas;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of a run's {@code metrics.json}: what the command was, where and when it ran, the
 * document it prints with {@code --json} (under {@code result}), and the data of its plots. A
 * report is drawn from this document alone, so it holds everything the plots need.
 *
 * <p>Keys: {@code command}, {@code arguments} (the exact command line after the program name),
 * {@code version}, {@code utc_time}, {@code seed} (null when the command has none),
 * {@code machine} (os, arch, java, cores, blas_core, blas_threads), {@code result}, and when
 * present {@code accuracy_by_epoch}, {@code rank_sweep}, {@code parameters_per_layer},
 * {@code final_accuracies}, {@code bands}, {@code spectrum_summary}, {@code tables} and
 * {@code spectra}.
 */
public final class RunMetrics {
    private final Map<String, Object> doc = new LinkedHashMap<>();

    private RunMetrics() {
    }

    /**
     * Starts the document of one run.
     *
     * @param arguments the command line after the program name, exactly as given
     * @param seed the run's seed, or null
     * @param result what the command prints with {@code --json}
     */
    public static RunMetrics start(String command, List<String> arguments, String version, Long seed,
                                   Instant time, Object result) {
        RunMetrics m = new RunMetrics();
        m.doc.put("command", command);
        m.doc.put("arguments", List.copyOf(arguments));
        m.doc.put("version", version);
        m.doc.put("utc_time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        m.doc.put("seed", seed);
        m.doc.put("machine", machine());
        m.doc.put("result", result);
        return m;
    }

    /** Adds one line of test accuracy per epoch (accuracies as fractions). */
    public RunMetrics accuracyByEpoch(String name, int[] epochs, double[] accuracy) {
        if (epochs.length != accuracy.length) {
            throw new IllegalArgumentException("one accuracy per epoch needed");
        }
        Map<String, Object> curve = new LinkedHashMap<>();
        curve.put("name", name);
        curve.put("epochs", epochs.clone());
        curve.put("test_accuracy", accuracy.clone());
        list("accuracy_by_epoch").add(curve);
        return this;
    }

    /** Sets the rank sweep of one layer (accuracies as fractions). */
    public RunMetrics rankSweep(String layer, int[] ranks, double[] accuracy, int predictedRank, double fullAccuracy) {
        if (ranks.length != accuracy.length) {
            throw new IllegalArgumentException("one accuracy per rank needed");
        }
        Map<String, Object> sweep = new LinkedHashMap<>();
        sweep.put("layer", layer);
        sweep.put("ranks", ranks.clone());
        sweep.put("test_accuracy", accuracy.clone());
        sweep.put("predicted_rank", predictedRank);
        sweep.put("full_accuracy", fullAccuracy);
        doc.put("rank_sweep", sweep);
        return this;
    }

    /** Adds parameter counts per layer before and after. */
    public RunMetrics parameters(List<LayerParameters> layers) {
        for (LayerParameters p : layers) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("layer", p.layer());
            entry.put("before", p.before());
            entry.put("after", p.after());
            list("parameters_per_layer").add(entry);
        }
        return this;
    }

    /** Adds the final test accuracies of one variant over seeds (as fractions). */
    public RunMetrics finalAccuracies(String variant, double[] accuracies) {
        @SuppressWarnings("unchecked")
        Map<String, Object> byVariant = (Map<String, Object>) doc.computeIfAbsent("final_accuracies",
                k -> new LinkedHashMap<String, Object>());
        byVariant.put(variant, accuracies.clone());
        return this;
    }

    /**
     * Adds a plot of per-epoch quantities over seeds (see {@link Plots#bands}); values are
     * fractions. Plots are drawn in the order they are added.
     *
     * @param id the figure's file name stem
     */
    public RunMetrics bands(String id, String title, String yLabel, String caption, List<Plots.Band> bands) {
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("id", id);
        figure.put("title", title);
        figure.put("y_label", yLabel);
        figure.put("caption", caption);
        List<Object> series = new ArrayList<>();
        for (Plots.Band b : bands) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", b.name());
            m.put("x", b.x());
            m.put("mean", b.mean());
            m.put("low", b.low());
            m.put("high", b.high());
            m.put("colour", b.colour());
            m.put("dashed", b.dashed());
            series.add(m);
        }
        figure.put("series", series);
        list("bands").add(figure);
        return this;
    }

    /**
     * Sets the model summary of a spectrum run ({@code io.nnrmtsvd.run.SpectrumSummary#toJson}):
     * the means of the heavy-tailed metrics and the tensors the rules of thumb flag.
     */
    public RunMetrics spectrumSummary(Map<String, Object> summary) {
        doc.put("spectrum_summary", summary);
        return this;
    }

    /** Adds a table shown as it is. */
    public RunMetrics table(String title, Table table) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("title", title);
        entry.put("header", table.header());
        entry.put("rows", table.rows());
        list("tables").add(entry);
        return this;
    }

    /** Adds a group of layer spectra, e.g. the network at one prune. */
    public RunMetrics spectra(String title, List<LayerSpectrum> layers) {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("title", title);
        group.put("layers", layers.stream().map(LayerSpectrum::toJson).toList());
        list("spectra").add(group);
        return this;
    }

    /** The document, for {@link io.nnrmtsvd.io.Json}. */
    public Map<String, Object> toJson() {
        return doc;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(String key) {
        return (List<Object>) doc.computeIfAbsent(key, k -> new ArrayList<>());
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("arch", System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("blas_core", OpenBlas.coreName());
        m.put("blas_threads", OpenBlas.threads());
        return m;
    }
}
