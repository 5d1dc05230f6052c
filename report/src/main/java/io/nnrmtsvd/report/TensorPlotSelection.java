package io.nnrmtsvd.report;

import io.nnrmtsvd.checkpoint.TensorResult;
import io.nnrmtsvd.checkpoint.TensorSelection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which analysed tensors of a spectrum run get their own spectrum plots. Every one when there are
 * at most {@value #LIMIT}; otherwise those a reader looks at first (the extremes of alpha, fit error,
 * power-law distance, spikes and spectral norm beyond their medians, a tensor of median alpha, then
 * the tensors BEMA could not fit well, worst first), at most {@value #LIMIT} in all, plus the tensors named by {@code --plot}
 * globs, at most {@value #LIMIT} more. Ties go to the tensor whose row comes first. The choice is
 * made once, when the run ends, and recorded in {@code metrics.json}, so a redrawn report shows the
 * same tensors.
 *
 * @param picks the tensors chosen, in the rows' order, each with why
 * @param globMatchesLeftOut tensors that matched a glob but were beyond the limit
 */
public record TensorPlotSelection(List<Pick> picks, int globMatchesLeftOut) {
    /** At most this many tensors chosen by rule, and at most this many more by glob. */
    public static final int LIMIT = 24;

    /**
     * One chosen tensor.
     *
     * @param name the tensor
     * @param why the rules or globs that chose it, e.g. {@code smallest alpha}, {@code --plot h.0.*}
     */
    public record Pick(String name, List<String> why) {
        public Pick {
            why = List.copyOf(why);
        }
    }

    public TensorPlotSelection {
        picks = List.copyOf(picks);
    }

    /**
     * Chooses from rows as {@link io.nnrmtsvd.codec.SpectrumRowJson} writes them.
     *
     * @param globs {@code --plot} globs, matched as {@link TensorSelection#matches} does
     */
    public static TensorPlotSelection of(List<Map<String, Object>> rows, List<String> globs) {
        List<Map<String, Object>> analysed = rows.stream()
                .filter(r -> TensorResult.ANALYSED.equals(r.getOrDefault("status", TensorResult.ANALYSED))).toList();
        Map<String, List<String>> why = new LinkedHashMap<>();
        if (analysed.size() <= LIMIT) {
            analysed.forEach(r -> why.put(name(r), List.of("every analysed tensor is drawn up to " + LIMIT)));
            return new TensorPlotSelection(inRowOrder(analysed, why), 0);
        }
        extremes(analysed, "alpha", 2, "smallest alpha", 2, "largest alpha", why);
        List<Map<String, Object>> byAlpha = sortedBy(analysed, "alpha", false);
        if (!byAlpha.isEmpty()) {
            pick(why, byAlpha.get(byAlpha.size() / 2), "median alpha");
        }
        extremes(analysed, "fit_error", 0, "", 2, "worst BEMA fit error", why);
        extremes(analysed, "D", 0, "", 2, "worst power-law fit (largest D)", why);
        extremes(analysed, "spikes", 0, "", 2, "most spikes", why);
        extremes(analysed, "log_spectral_norm", 0, "", 1, "largest spectral norm", why);
        for (Map<String, Object> r : sortedBy(analysed, "fit_error", true)) {
            if (why.size() >= LIMIT) {
                break;
            }
            if (Boolean.FALSE.equals(r.get("good_fit"))) {
                pick(why, r, "BEMA fit not good");
            }
        }
        int byGlob = 0;
        int leftOut = 0;
        for (Map<String, Object> r : analysed) {
            String glob = globs.stream().filter(g -> TensorSelection.matches(g, name(r))).findFirst().orElse(null);
            if (glob == null) {
                continue;
            }
            if (why.containsKey(name(r)) || byGlob < LIMIT) {
                byGlob += why.containsKey(name(r)) ? 0 : 1;
                pick(why, r, "--plot " + glob);
            } else {
                leftOut++;
            }
        }
        return new TensorPlotSelection(inRowOrder(analysed, why), leftOut);
    }

    /**
     * The {@code low} smallest and {@code high} largest by a key, the second of each said to be so;
     * only values beyond the median count, so that a metric most tensors share picks nothing.
     */
    private static void extremes(List<Map<String, Object>> rows, String key, int low, String lowLabel, int high,
                                 String highLabel, Map<String, List<String>> why) {
        List<Map<String, Object>> ascending = sortedBy(rows, key, false);
        if (ascending.isEmpty()) {
            return;
        }
        double median = value(ascending.get(ascending.size() / 2), key);
        List<Map<String, Object>> descending = sortedBy(rows, key, true);
        for (int i = 0; i < Math.min(low, ascending.size()) && value(ascending.get(i), key) < median; i++) {
            pick(why, ascending.get(i), (i == 0 ? "" : "2nd ") + lowLabel);
        }
        for (int i = 0; i < Math.min(high, descending.size()) && value(descending.get(i), key) > median; i++) {
            pick(why, descending.get(i), (i == 0 ? "" : "2nd ") + highLabel);
        }
    }

    private static double value(Map<String, Object> row, String key) {
        return ((Number) row.get(key)).doubleValue();
    }

    /** The rows with a finite number under {@code key}, sorted by it, ties in row order. */
    private static List<Map<String, Object>> sortedBy(List<Map<String, Object>> rows, String key, boolean descending) {
        Comparator<Map<String, Object>> order = Comparator.comparingDouble(r -> value(r, key));
        return rows.stream().filter(r -> r.get(key) instanceof Number n && Double.isFinite(n.doubleValue()))
                .sorted(descending ? order.reversed() : order).toList();
    }

    private static void pick(Map<String, List<String>> why, Map<String, Object> row, String reason) {
        why.computeIfAbsent(name(row), n -> new ArrayList<>()).add(reason);
    }

    private static List<Pick> inRowOrder(List<Map<String, Object>> rows, Map<String, List<String>> why) {
        return rows.stream().filter(r -> why.containsKey(name(r))).map(r -> new Pick(name(r), why.get(name(r))))
                .toList();
    }

    private static String name(Map<String, Object> row) {
        return String.valueOf(row.get("name"));
    }

    /** As recorded in {@code metrics.json}: {@code tensors} [{name, why}] and {@code glob_matches_left_out}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tensors", picks.stream().map(p -> {
            Map<String, Object> pick = new LinkedHashMap<>();
            pick.put("name", p.name());
            pick.put("why", p.why());
            return pick;
        }).toList());
        m.put("glob_matches_left_out", globMatchesLeftOut);
        return m;
    }
}
