package io.nnrmtsvd.report;

import io.nnrmtsvd.io.InputFiles;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's report: {@code metrics.json}, and drawn from it alone, for every figure its data
 * ({@code .csv}) and image ({@code .svg}, {@code .png}), and {@code report.html}, which holds
 * the SVG images inline and needs nothing else to be read.
 */
public final class RunReport {
    /** The metrics document's file name. */
    public static final String METRICS_FILE = RunDirectory.METRICS_FILE;
    /** The HTML report's file name. */
    public static final String REPORT_FILE = "report.html";

    private RunReport() {
    }

    /** Told as the figures are drawn, e.g. to show progress. */
    @FunctionalInterface
    public interface Listener {
        /** Hears nothing. */
        Listener NONE = (done, total) -> { };

        /** {@code done} of {@code total} figures are drawn; called with 0 before the first. */
        void drawn(int done, int total);
    }

    /** Writes {@code metrics.json} into the directory and draws the report from it; returns the report. */
    public static Path write(RunDirectory dir, RunMetrics metrics) throws IOException {
        return write(dir, metrics, Listener.NONE);
    }

    /** As {@link #write(RunDirectory, RunMetrics)}, telling {@code listener} of each figure drawn. */
    public static Path write(RunDirectory dir, RunMetrics metrics, Listener listener) throws IOException {
        dir.writeText(METRICS_FILE, Json.toString(metrics.toJson(), true) + "\n");
        return render(dir, listener);
    }

    /** As {@link #render(RunDirectory, Listener)}, telling no one. */
    public static Path render(RunDirectory dir) throws IOException {
        return render(dir, Listener.NONE);
    }

    /**
     * Draws the report from the directory's {@code metrics.json}, replacing earlier files.
     *
     * @return the path of {@code report.html}
     * @throws InvalidInputException if there is no metrics file or it is malformed
     */
    public static Path render(RunDirectory dir, Listener listener) throws IOException {
        Path file = dir.path().resolve(METRICS_FILE);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) { // anything else there is refused by name
            throw new InvalidInputException(dir + ": no " + METRICS_FILE + " here, so not a run directory");
        }
        Map<String, Object> metrics;
        List<Figure> overview;
        List<SpectrumGroup> spectra;
        try {
            metrics = Json.parseObject(InputFiles.readString(file, Json.MAX_DOCUMENT_BYTES), file.toString());
            overview = overviewFigures(metrics);
            spectra = spectrumGroups(metrics);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.inFile(file, e.getMessage());
        }
        List<Figure> all = new ArrayList<>(overview);
        spectra.forEach(g -> all.addAll(g.figures()));
        Map<String, String> svgs = new LinkedHashMap<>();
        listener.drawn(0, all.size());
        for (Figure f : all) {
            String svg = ChartImages.svg(f.chart(), f.id());
            svgs.put(f.id(), svg);
            dir.writeText(f.id() + ".csv", f.data().toCsv());
            dir.writeText(f.id() + ".svg", svg);
            dir.writeBytes(f.id() + ".png", ChartImages.png(f.chart()));
            listener.drawn(svgs.size(), all.size());
        }
        return dir.writeText(REPORT_FILE, HtmlReport.html(metrics, overview, spectra, svgs));
    }

    /** The plots of curves: accuracy per epoch, rank sweep, final accuracies, bands over seeds, parameters. */
    static List<Figure> overviewFigures(Map<String, Object> metrics) {
        List<Figure> figures = new ArrayList<>();
        if (metrics.get("accuracy_by_epoch") != null) {
            List<Plots.Curve> curves = new ArrayList<>();
            for (Object o : JsonFields.array(metrics.get("accuracy_by_epoch"), "'accuracy_by_epoch'")) {
                Map<String, Object> c = JsonFields.object(o, "an accuracy_by_epoch entry");
                curves.add(new Plots.Curve(JsonFields.text(c, "name"), JsonFields.numbers(c, "epochs"),
                        JsonFields.numbers(c, "test_accuracy")));
            }
            figures.add(Plots.accuracyByEpoch("accuracy-by-epoch", curves));
        }
        if (metrics.get("rank_sweep") != null) {
            Map<String, Object> s = JsonFields.object(metrics.get("rank_sweep"), "'rank_sweep'");
            figures.add(Plots.accuracyByRank("accuracy-by-rank", JsonFields.text(s, "layer"),
                    JsonFields.numbers(s, "ranks"), JsonFields.numbers(s, "test_accuracy"),
                    Math.toIntExact(JsonFields.integer(s, "predicted_rank")), JsonFields.number(s, "full_accuracy")));
        }
        if (metrics.get("final_accuracies") != null) {
            Map<String, double[]> byVariant = new LinkedHashMap<>();
            Map<String, Object> f = JsonFields.object(metrics.get("final_accuracies"), "'final_accuracies'");
            for (String variant : f.keySet()) {
                byVariant.put(variant, JsonFields.numbers(f, variant));
            }
            figures.add(Plots.finalAccuracies("final-accuracies", byVariant));
        }
        if (metrics.get("bands") != null) {
            for (Object o : JsonFields.array(metrics.get("bands"), "'bands'")) {
                Map<String, Object> f = JsonFields.object(o, "a bands entry");
                List<Plots.Band> bands = new ArrayList<>();
                for (Object b : JsonFields.array(f.get("series"), "'series'")) {
                    Map<String, Object> m = JsonFields.object(b, "a band");
                    bands.add(new Plots.Band(JsonFields.text(m, "name"), JsonFields.numbers(m, "x"),
                            JsonFields.numbers(m, "mean"), JsonFields.numbers(m, "low"), JsonFields.numbers(m, "high"),
                            Math.toIntExact(JsonFields.integer(m, "colour")), JsonFields.flag(m, "dashed")));
                }
                figures.add(Plots.bands(JsonFields.text(f, "id"), JsonFields.text(f, "title"),
                        JsonFields.text(f, "y_label"), JsonFields.text(f, "caption"), bands));
            }
        }
        if (metrics.get("parameters_per_layer") != null) {
            List<Object> entries = JsonFields.array(metrics.get("parameters_per_layer"), "'parameters_per_layer'");
            List<String> layers = new ArrayList<>();
            long[] before = new long[entries.size()];
            long[] after = new long[entries.size()];
            for (int i = 0; i < entries.size(); i++) {
                Map<String, Object> e = JsonFields.object(entries.get(i), "a parameters_per_layer entry");
                layers.add(JsonFields.text(e, "layer"));
                before[i] = JsonFields.integer(e, "before");
                after[i] = JsonFields.integer(e, "after");
            }
            figures.add(Plots.parameters("parameters", layers, before, after));
        }
        return figures;
    }

    /** Each group of spectra with the whole-spectrum and bulk plots of its fitted layers. */
    static List<SpectrumGroup> spectrumGroups(Map<String, Object> metrics) {
        List<SpectrumGroup> groups = new ArrayList<>();
        if (metrics.get("spectra") == null) {
            return groups;
        }
        List<Object> entries = JsonFields.array(metrics.get("spectra"), "'spectra'");
        for (int g = 0; g < entries.size(); g++) {
            Map<String, Object> group = JsonFields.object(entries.get(g), "a spectra entry");
            String id = "g" + (g + 1);
            List<LayerSpectrum> layers = new ArrayList<>();
            List<Figure> figures = new ArrayList<>();
            List<Object> layerEntries = JsonFields.array(group.get("layers"), "'layers'");
            for (int i = 0; i < layerEntries.size(); i++) {
                LayerSpectrum s = LayerSpectrum.fromJson(JsonFields.object(layerEntries.get(i), "a layer"));
                layers.add(s);
                if (s.fitted()) {
                    String stem = id + "-" + (i + 1) + "-" + slug(s.name());
                    figures.add(Plots.spectrum("spectrum-" + stem, s));
                    if (Plots.spansDecades(s)) {
                        figures.add(Plots.bulk("bulk-" + stem, s));
                    }
                }
            }
            groups.add(new SpectrumGroup(id, JsonFields.text(group, "title"), layers, figures));
        }
        return groups;
    }

    private static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "matrix" : s.substring(0, Math.min(40, s.length()));
    }
}
