package io.nnrmtsvd.cli;

import io.nnrmtsvd.prune.LayerReport;
import io.nnrmtsvd.prune.PruneEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How prune events are printed: log lines and JSON objects. */
final class PruneJson {
    private PruneJson() {
    }

    static Map<String, Object> of(PruneEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", e.epoch());
        m.put("widths_before", e.widthsBefore());
        m.put("widths_after", e.widthsAfter());
        m.put("parameters_before", e.parametersBefore());
        m.put("parameters_after", e.parametersAfter());
        List<Object> layers = new ArrayList<>();
        for (LayerReport r : e.layers()) {
            layers.add(of(r));
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
