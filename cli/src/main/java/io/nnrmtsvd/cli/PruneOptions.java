package io.nnrmtsvd.cli;

import io.nnrmtsvd.prune.FactorPolicy;
import io.nnrmtsvd.prune.KeepSchedule;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.RankSelector;
import io.nnrmtsvd.rmt.RankSelectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How layers are pruned: shared by {@code train} and {@code compress}. */
final class PruneOptions {
    @Mixin
    BemaOptions fit;

    @Option(names = "--keep", paramLabel = "SCHEDULE",
            description = "Share of noise singular values kept: a fraction (0 = only the signal), "
                    + "linear:A:B, falling:H or step:A:EPOCH:B.")
    String keep;

    @Option(names = "--selector", paramLabel = "RULE",
            description = "Signal count: bema (default), mp-edge, gavish-donoho[:SIGMA], energy:F, rank:K.")
    String selector = "bema";

    @Option(names = "--min-rank", paramLabel = "K",
            description = "Never keep fewer singular values than this (default: the number of classes; 1 for checkpoints).")
    Integer minRank;

    @Option(names = "--factors", paramLabel = "POLICY",
            description = "Factors of earlier splits: separate (as the notebook), skip, or merge "
                    + "(prune the pair as one matrix). Default: separate, or merge when --cutoff >= 1.")
    String factors;

    @Option(names = "--skip-factors", description = "Same as --factors skip.")
    boolean skipFactors;

    /** With {@link Bema#create()}'s defaults. */
    PruneOptions() {
        this(Bema.create());
    }

    /** With the BEMA defaults of {@code defaults} (a command's own defaults, shown in its help). */
    PruneOptions(Bema defaults) {
        fit = new BemaOptions(defaults);
    }

    /** The configuration for {@code algorithm}; {@code defaultKeep} applies when --keep is absent. */
    PruneConfig config(PruneAlgorithm algorithm, String defaultKeep, int classes, long seed) {
        Bema bema = fit.bema();
        RankSelector rule = "bema".equals(selector.strip()) ? null : RankSelectors.parse(selector, bema);
        return new PruneConfig(algorithm, KeepSchedule.parse(keep == null ? defaultKeep : keep), bema, rule,
                minRank == null ? classes : minRank, factorPolicy(), seed);
    }

    private FactorPolicy factorPolicy() {
        if (skipFactors) {
            if (factors != null && !factors.equals("skip")) {
                throw new IllegalArgumentException("--skip-factors contradicts --factors " + factors);
            }
            return FactorPolicy.SKIP;
        }
        if (factors == null) {
            return fit.cutoff >= 1 ? FactorPolicy.MERGE : FactorPolicy.SEPARATE;
        }
        return FactorPolicy.parse(factors);
    }
}
