package io.nnrmtsvd.run;

import io.nnrmtsvd.checkpoint.TensorResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model summary of a spectrum run (SPEC section 9), from its rows: how many tensors were
 * analysed and skipped, the mean of each heavy-tailed metric over the analysed tensors that have
 * it, and the tensors the rules of thumb flag (alpha below 2, alpha above 6). The flags are
 * heuristics from WeightWatcher's studies of trained models, not tests: a layer can be fine
 * with either.
 *
 * @param analysed tensors analysed
 * @param skipped tensors skipped
 * @param means the mean of each metric of {@link #METRICS} over the tensors that have it
 * @param counts how many tensors each mean is over
 * @param alphaBelow2 names of the tensors with alpha &lt; 2
 * @param alphaAbove6 names of the tensors with alpha &gt; 6
 */
public record SpectrumSummary(int analysed, int skipped, Map<String, Double> means, Map<String, Integer> counts,
                              List<String> alphaBelow2, List<String> alphaAbove6) {
    public SpectrumSummary {
        means = Collections.unmodifiableMap(new LinkedHashMap<>(means));
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        alphaBelow2 = List.copyOf(alphaBelow2);
        alphaAbove6 = List.copyOf(alphaAbove6);
    }

    /** The metrics averaged, by their row keys. */
    public static final List<String> METRICS = List.of("alpha", "alpha_weighted", "log_alpha_norm", "log_norm",
            "log_spectral_norm", "stable_rank", "entropy", "mp_softrank", "D", "spikes", "fit_error");
    /** What the flags are, for readers. */
    public static final String FLAG_NOTE = "alpha < 2 (possibly over-trained) and alpha > 6 (possibly "
            + "under-trained) are rules of thumb from studies of trained models, not tests";

    /** The summary of rows as {@link io.nnrmtsvd.codec.SpectrumRowJson} writes them. */
    public static SpectrumSummary of(List<Map<String, Object>> rows) {
        int analysed = 0;
        Map<String, Double> sums = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> below = new ArrayList<>();
        List<String> above = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            if (!TensorResult.ANALYSED.equals(row.getOrDefault("status", TensorResult.ANALYSED))) {
                continue;
            }
            analysed++;
            for (String key : METRICS) {
                if (row.get(key) instanceof Number n && Double.isFinite(n.doubleValue())) {
                    sums.merge(key, n.doubleValue(), Double::sum);
                    counts.merge(key, 1, Integer::sum);
                }
            }
            if (row.get("alpha") instanceof Number alpha) {
                String name = String.valueOf(row.get("name"));
                if (alpha.doubleValue() < 2) {
                    below.add(name);
                } else if (alpha.doubleValue() > 6) {
                    above.add(name);
                }
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        for (String key : METRICS) {
            if (counts.containsKey(key)) {
                means.put(key, sums.get(key) / counts.get(key));
            }
        }
        return new SpectrumSummary(analysed, rows.size() - analysed, means, counts, below, above);
    }

    /** As JSON: analysed, skipped, means, alpha_below_2, alpha_above_6 and the note on the flags. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("analysed", analysed);
        m.put("skipped", skipped);
        m.put("means", means);
        m.put("alpha_below_2", alphaBelow2);
        m.put("alpha_above_6", alphaAbove6);
        m.put("flags", FLAG_NOTE);
        return m;
    }
}
