package io.nnrmtsvd.cli;

import io.nnrmtsvd.prune.LayerReport;
import io.nnrmtsvd.prune.PruneEvent;
import io.nnrmtsvd.report.Json;
import io.nnrmtsvd.report.JsonFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How prune events are printed (log lines and JSON objects) and kept in a training checkpoint. */
final class PruneJson {
    private PruneJson() {
    }

    static Map<String, Object> of(PruneEvent e) {
        return of(e, false);
    }

    /**
     * The events as a JSON array that {@link #parseStored} reads back whole: with each layer's fitted
     * spectrum, which the report of a resumed run draws.
     */
    static String stored(List<PruneEvent> events) {
        return Json.toString(events.stream().map(e -> of(e, true)).toList(), false);
    }

    /**
     * Reads what {@link #stored} wrote.
     *
     * @throws IllegalArgumentException for malformed JSON or a field missing or of the wrong kind
     */
    static List<PruneEvent> parseStored(String json) {
        List<PruneEvent> events = new ArrayList<>();
        for (Object o : JsonFields.array(Json.parse(json), "prune events")) {
            Map<String, Object> m = JsonFields.object(o, "a prune event");
            List<LayerReport> layers = new ArrayList<>();
            for (Object l : JsonFields.array(m.get("layers"), "'layers'")) {
                Map<String, Object> r = JsonFields.object(l, "a layer");
                layers.add(new LayerReport(count(r, "layer"), count(r, "rows"), count(r, "cols"),
                        JsonFields.number(r, "fit_error"), JsonFields.flag(r, "good_fit"),
                        JsonFields.number(r, "sigma2"), JsonFields.number(r, "lambda_plus"), count(r, "spikes"),
                        count(r, "signal"), JsonFields.number(r, "keep"), count(r, "k"), JsonFields.text(r, "action"),
                        JsonFields.text(r, "reason"), JsonFields.integer(r, "parameters_before"),
                        JsonFields.integer(r, "parameters_after"), JsonFields.numbers(r, "eigenvalues")));
            }
            events.add(new PruneEvent(count(m, "epoch"), layers, JsonFields.text(m, "widths_before"),
                    JsonFields.text(m, "widths_after"), JsonFields.integer(m, "parameters_before"),
                    JsonFields.integer(m, "parameters_after")));
        }
        return events;
    }

    private static Map<String, Object> of(PruneEvent e, boolean spectra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", e.epoch());
        m.put("widths_before", e.widthsBefore());
        m.put("widths_after", e.widthsAfter());
        m.put("parameters_before", e.parametersBefore());
        m.put("parameters_after", e.parametersAfter());
        List<Object> layers = new ArrayList<>();
        for (LayerReport r : e.layers()) {
            Map<String, Object> layer = of(r);
            if (spectra) {
                layer.put("eigenvalues", r.eigenvalues());
            }
            layers.add(layer);
        }
        m.put("layers", layers);
        return m;
    }

    static Map<String, Object> of(LayerReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", r.index());
        m.put("rows", r.rows());
        m.put("cols", r.cols());
        m.put("fit_error", r.fitError());
        m.put("good_fit", r.goodFit());
        m.put("sigma2", r.sigma2());
        m.put("lambda_plus", r.lambdaPlus());
        m.put("spikes", r.spikes());
        m.put("signal", r.signal());
        m.put("keep", r.keep());
        m.put("k", r.rank());
        m.put("action", r.action());
        m.put("reason", r.reason());
        m.put("parameters_before", r.parametersBefore());
        m.put("parameters_after", r.parametersAfter());
        return m;
    }

    private static int count(Map<String, Object> m, String key) {
        return Math.toIntExact(JsonFields.integer(m, key));
    }

    /** One line per layer and a summary line. */
    static List<String> lines(PruneEvent e) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "prune before epoch %d: %s -> %s, %d -> %d parameters",
                e.epoch(), e.widthsBefore(), e.widthsAfter(), e.parametersBefore(), e.parametersAfter()));
        for (LayerReport r : e.layers()) {
            lines.add(String.format(Locale.ROOT,
                    "  layer %d (%dx%d): fit error %.4f%s, spikes %d, k %d, %s%s, %d -> %d parameters",
                    r.index(), r.rows(), r.cols(), r.fitError(), r.goodFit() ? " (good)" : " (bad)",
                    r.spikes(), r.rank(), r.action(), r.reason().isEmpty() ? "" : " (" + r.reason() + ")",
                    r.parametersBefore(), r.parametersAfter()));
        }
        return lines;
    }
}
