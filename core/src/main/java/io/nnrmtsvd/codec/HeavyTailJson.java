package io.nnrmtsvd.codec;

import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.rmt.HeavyTailSettings;
import io.nnrmtsvd.rmt.PowerLawFitter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The heavy-tailed fit's settings as JSON: {@code {"floor", "fingers", "truncated"}}. */
public final class HeavyTailJson {
    private HeavyTailJson() {
    }

    public static Map<String, Object> toJson(HeavyTailSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("floor", s.powerLaw().floor());
        m.put("fingers", s.powerLaw().fingers());
        m.put("truncated", s.truncated());
        return m;
    }

    /** @throws IllegalArgumentException for a missing or out-of-range setting */
    public static HeavyTailSettings fromJson(Map<String, Object> m) {
        return new HeavyTailSettings(PowerLawFitter.create().withFloor(JsonFields.number(m, "floor"))
                .withFingers(JsonFields.flag(m, "fingers")), JsonFields.flag(m, "truncated"));
    }
}
