package io.nnrmtsvd.codec;

import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.rmt.Bema;
import java.util.LinkedHashMap;
import java.util.Map;

/** BEMA settings as JSON: {@code {"alpha", "beta", "cutoff", "notebook"}}. */
public final class BemaJson {
    private BemaJson() {
    }

    public static Map<String, Object> toJson(Bema bema) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alpha", bema.alpha());
        m.put("beta", bema.beta());
        m.put("cutoff", bema.cutoff());
        m.put("notebook", bema.notebookQuirks());
        return m;
    }

    /** @throws IllegalArgumentException for a missing or out-of-range setting */
    public static Bema fromJson(Map<String, Object> m) {
        return Bema.create().withAlpha(JsonFields.number(m, "alpha")).withBeta(JsonFields.number(m, "beta"))
                .withCutoff(JsonFields.number(m, "cutoff")).withNotebookQuirks(JsonFields.flag(m, "notebook"));
    }
}
