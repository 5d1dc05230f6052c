package io.nnrmtsvd.codec;

import io.nnrmtsvd.experiment.PrunedTraining;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.prune.FactorPolicy;
import io.nnrmtsvd.prune.KeepSchedule;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.RankSelectors;
import java.util.Map;

/**
 * A pruning configuration and its schedule as the flat keys that runs store beside their other
 * settings: {@code prune, keep, selector}, the BEMA keys ({@link BemaJson}), {@code prune_from,
 * prune_every, prune_until, min_rank, factors, prune_seed}.
 */
public final class PruneConfigJson {
    private PruneConfigJson() {
    }

    /** Puts the keys into {@code m}, in the order above. */
    public static void put(PruneConfig p, PrunedTraining.Schedule schedule, Map<String, Object> m) {
        m.put("prune", p.algorithm().cliName());
        m.put("keep", p.keep().toString());
        m.put("selector", p.selector() == null ? "bema" : p.selector().toString());
        m.putAll(BemaJson.toJson(p.bema()));
        m.put("prune_from", schedule.from());
        m.put("prune_every", schedule.every());
        m.put("prune_until", schedule.until());
        m.put("min_rank", p.minRank());
        m.put("factors", p.factors().cliName());
        m.put("prune_seed", p.seed());
    }

    /**
     * The configuration {@link #put} wrote.
     *
     * @throws IllegalArgumentException naming a key that is missing, of the wrong kind or out of range
     */
    public static PruneConfig fromJson(Map<String, Object> m) {
        Bema bema = BemaJson.fromJson(m);
        String selector = JsonFields.text(m, "selector");
        return new PruneConfig(PruneAlgorithm.parse(JsonFields.text(m, "prune")),
                KeepSchedule.parse(JsonFields.text(m, "keep")), bema,
                selector.equals("bema") ? null : RankSelectors.parse(selector, bema), JsonFields.count(m, "min_rank"),
                FactorPolicy.parse(JsonFields.text(m, "factors")), JsonFields.integer(m, "prune_seed"));
    }

    /** The schedule {@link #put} wrote. */
    public static PrunedTraining.Schedule scheduleFromJson(Map<String, Object> m) {
        return new PrunedTraining.Schedule(JsonFields.count(m, "prune_from"), JsonFields.count(m, "prune_every"),
                JsonFields.count(m, "prune_until"));
    }
}
