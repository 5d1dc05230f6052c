package io.nnrmtsvd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TensorPlotSelectionTest {
    /**
     * Row i of n: alpha 2 + i / 10 except where set, fit error, D and spikes small and equal, good
     * fits except {@code bad}; every fifth row skipped.
     */
    private static List<Map<String, Object>> rows(int n, int bad) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", "layers." + i + ".weight");
            if (i % 5 == 4) {
                r.put("status", "skipped");
                r.put("reason", "not 2-D");
            } else {
                r.put("status", "analysed");
                r.put("alpha", 2 + i / 10.0);
                r.put("fit_error", 0.01);
                r.put("D", 0.05);
                r.put("spikes", 3);
                r.put("log_spectral_norm", 1.0);
                r.put("good_fit", i >= bad);
            }
            rows.add(r);
        }
        return rows;
    }

    private static Map<String, List<String>> why(TensorPlotSelection s) {
        return s.picks().stream().collect(Collectors.toMap(TensorPlotSelection.Pick::name,
                TensorPlotSelection.Pick::why, (a, b) -> a, LinkedHashMap::new));
    }

    @Test
    void everyAnalysedTensorWhenThereAreFew() {
        TensorPlotSelection s = TensorPlotSelection.of(rows(30, 0), List.of("layers.1.*"));
        assertEquals(24, s.picks().size(), "30 rows, 24 analysed");
        assertTrue(s.picks().stream().noneMatch(p -> p.name().equals("layers.4.weight")), "skipped rows are not drawn");
        assertEquals(0, s.globMatchesLeftOut());
    }

    @Test
    void manyTensorsGiveTheExtremesThenBadFitsUpToTheLimit() {
        List<Map<String, Object>> rows = rows(200, 0);
        rows.get(10).put("fit_error", 0.5);
        rows.get(11).put("fit_error", 0.4);
        rows.get(12).put("D", 0.3);
        rows.get(13).put("spikes", 40);
        rows.get(15).put("log_spectral_norm", 3.0);
        Map<String, List<String>> why = why(TensorPlotSelection.of(rows, List.of()));
        assertEquals(List.of("smallest alpha"), why.get("layers.0.weight"));
        assertEquals(List.of("2nd smallest alpha"), why.get("layers.1.weight"));
        assertEquals(List.of("largest alpha"), why.get("layers.198.weight"));
        assertEquals(List.of("2nd largest alpha"), why.get("layers.197.weight"));
        assertEquals(List.of("worst BEMA fit error"), why.get("layers.10.weight"));
        assertEquals(List.of("2nd worst BEMA fit error"), why.get("layers.11.weight"));
        assertEquals(List.of("worst power-law fit (largest D)"), why.get("layers.12.weight"));
        assertEquals(List.of("most spikes"), why.get("layers.13.weight"));
        assertEquals(List.of("largest spectral norm"), why.get("layers.15.weight"));
        assertTrue(why.values().stream().anyMatch(w -> w.contains("median alpha")));
        assertEquals(10, why.size(), "no bad fits, so only the extremes, and no ties taken for extremes: " + why);
        List<String> names = new ArrayList<>(why.keySet());
        List<String> inRowOrder = rows.stream().map(r -> (String) r.get("name")).filter(why::containsKey).toList();
        assertEquals(inRowOrder, names, "in the rows' order");
    }

    @Test
    void badFitsFillUpToTheLimitAndGlobsAddAtMostTheLimitMore() {
        List<Map<String, Object>> rows = rows(400, 300);
        TensorPlotSelection s = TensorPlotSelection.of(rows, List.of("layers.3*.weight", "layers.0.weight"));
        Map<String, List<String>> why = why(s);
        long byRule = why.values().stream().filter(w -> w.stream().anyMatch(r -> !r.startsWith("--plot"))).count();
        assertEquals(TensorPlotSelection.LIMIT, byRule, "the bad fits fill the rule picks up to the limit");
        assertTrue(why.values().stream().filter(w -> w.contains("BEMA fit not good")).count() > 5);
        assertEquals(List.of("smallest alpha", "BEMA fit not good", "--plot layers.0.weight"),
                why.get("layers.0.weight"), "a rule's pick named by a glob says so, and does not count against the globs");
        long byGlob = why.values().stream().filter(w -> w.get(0).startsWith("--plot")).count();
        assertEquals(TensorPlotSelection.LIMIT, byGlob);
        long matches = rows.stream().filter(r -> "analysed".equals(r.get("status")))
                .filter(r -> ((String) r.get("name")).startsWith("layers.3")).count();
        long ruleMatches = why.entrySet().stream().filter(e -> e.getKey().startsWith("layers.3")
                && !e.getValue().get(0).startsWith("--plot")).count();
        assertEquals(matches - ruleMatches - TensorPlotSelection.LIMIT, s.globMatchesLeftOut());
        assertEquals(s, TensorPlotSelection.of(rows, List.of("layers.3*.weight", "layers.0.weight")), "reproducible");
    }

    @Test
    void recordedAsNamesWithReasons() {
        Map<String, Object> json = TensorPlotSelection.of(rows(3, 0), List.of()).toJson();
        assertEquals(List.of("tensors", "glob_matches_left_out"), List.copyOf(json.keySet()));
        assertEquals(3, ((List<?>) json.get("tensors")).size());
        assertEquals(Map.of("name", "layers.0.weight", "why", List.of("every analysed tensor is drawn up to 24")),
                ((List<?>) json.get("tensors")).get(0));
    }
}
