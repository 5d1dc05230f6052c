package io.nnrmtsvd.codec;

import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.prune.LayerReport;
import io.nnrmtsvd.prune.PruneEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A prune event as JSON: {@code epoch, widths_before, widths_after, parameters_before,
 * parameters_after, bema} (the settings, see {@link BemaJson}) and {@code layers}, one object per
 * layer (see {@link #layer}); with spectra, each layer also holds its {@code eigenvalues}, which a
 * snapshot keeps so that a resumed run's report can draw them.
 */
public final class PruneEventJson {
    private PruneEventJson() {
    }

    /** Without the layers' spectra, as printed. */
    public static Map<String, Object> toJson(PruneEvent e) {
        return toJson(e, false);
    }

    public static Map<String, Object> toJson(PruneEvent e, boolean spectra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", e.epoch());
        m.put("widths_before", e.widthsBefore());
        m.put("widths_after", e.widthsAfter());
        m.put("parameters_before", e.parametersBefore());
        m.put("parameters_after", e.parametersAfter());
        m.put("bema", BemaJson.toJson(e.bema()));
        List<Object> layers = new ArrayList<>();
        for (LayerReport r : e.layers()) {
            Map<String, Object> layer = layer(r);
            if (spectra) {
                layer.put("eigenvalues", r.eigenvalues());
            }
            layers.add(layer);
        }
        m.put("layers", layers);
        return m;
    }

    /**
     * One layer: {@code layer, rows, cols, fit_error, good_fit, sigma2, lambda_plus, spikes, signal,
     * keep, k, action, reason, parameters_before, parameters_after}.
     */
    public static Map<String, Object> layer(LayerReport r) {
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

    /**
     * Reads what {@link #toJson(PruneEvent, boolean)} wrote, with spectra or without (then every
     * layer's spectrum is empty).
     *
     * @throws IllegalArgumentException for a missing field or one of the wrong kind
     */
    public static PruneEvent fromJson(Object json) {
        Map<String, Object> m = JsonFields.object(json, "a prune event");
        List<LayerReport> layers = new ArrayList<>();
        for (Object l : JsonFields.array(m.get("layers"), "'layers'")) {
            Map<String, Object> r = JsonFields.object(l, "a layer");
            layers.add(new LayerReport(JsonFields.count(r, "layer"), JsonFields.count(r, "rows"), JsonFields.count(r, "cols"),
                    JsonFields.number(r, "fit_error"), JsonFields.flag(r, "good_fit"),
                    JsonFields.number(r, "sigma2"), JsonFields.number(r, "lambda_plus"), JsonFields.count(r, "spikes"),
                    JsonFields.count(r, "signal"), JsonFields.number(r, "keep"), JsonFields.count(r, "k"), JsonFields.text(r, "action"),
                    JsonFields.text(r, "reason"), JsonFields.integer(r, "parameters_before"),
                    JsonFields.integer(r, "parameters_after"),
                    r.containsKey("eigenvalues") ? JsonFields.numbers(r, "eigenvalues") : new double[0]));
        }
        return new PruneEvent(JsonFields.count(m, "epoch"), BemaJson.fromJson(JsonFields.object(m.get("bema"), "'bema'")),
                layers, JsonFields.text(m, "widths_before"), JsonFields.text(m, "widths_after"),
                JsonFields.integer(m, "parameters_before"), JsonFields.integer(m, "parameters_after"));
    }


    /** Reads a list of what {@link #toJson} wrote, e.g. a run's {@code prune_events}; {@code what} names it in errors. */
    public static List<PruneEvent> listFromJson(Object json, String what) {
        return JsonFields.array(json, what).stream().map(PruneEventJson::fromJson).toList();
    }
}
