package io.nnrmtsvd.codec;

import io.nnrmtsvd.experiment.SampleSummary;
import java.util.LinkedHashMap;
import java.util.Map;

/** A summary over seeds as JSON: {@code n, mean, sd, ci95_low, ci95_high}. */
public final class SampleSummaryJson {
    private SampleSummaryJson() {
    }

    public static Map<String, Object> toJson(SampleSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", s.count());
        m.put("mean", s.mean());
        m.put("sd", s.standardDeviation());
        m.put("ci95_low", s.ciLow());
        m.put("ci95_high", s.ciHigh());
        return m;
    }
}
