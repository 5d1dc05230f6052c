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

/**
 * How layers are pruned: shared by {@code train}, {@code compress} and the experiments. Each command
 * gives its default --keep; HelpTexts.properties words --keep, --min-rank for each command.
 */
final class PruneOptions {
    /** The share of noise singular values the paper keeps at each prune. */
    static final String PAPER_KEEP = "0.45";

    @Mixin
    BemaOptions fit;

    @Option(names = "--keep", paramLabel = "SCHEDULE",
            description = "Share of each layer's noise singular values kept beside its signal: a fraction "
                    + "(0 keeps only the signal), or a schedule linear:A:B, falling:H or step:A:EPOCH:B "
                    + "(default: ${DEFAULT-VALUE}).")
    String keep;

    @Option(names = "--selector", paramLabel = "RULE",
            description = "What counts as signal: bema, mp-edge, gavish-donoho (or gavish-donoho:SIGMA with a "
                    + "known noise level), energy:F or rank:K (default: ${DEFAULT-VALUE}).")
    String selector = "bema";

    @Option(names = "--min-rank", paramLabel = "K",
            description = "Never keep fewer singular values than K (default: the number of classes).")
    Integer minRank;

    @Option(names = "--factors", paramLabel = "POLICY",
            description = "Factors of earlier splits: separate (as the notebook), skip, or merge: prune the pair "
                    + "as one matrix (default: separate, or merge when --cutoff >= 1).")
    String factors;

    @Option(names = "--skip-factors", description = "Same as --factors skip.")
    boolean skipFactors;

    /**
     * With a command's own defaults, shown in its help.
     *
     * @param defaults BEMA's settings
     * @param defaultKeep --keep when it is not given; null when it depends on other options (see
     *     {@link #config(PruneAlgorithm, String, int, long)})
     */
    PruneOptions(Bema defaults, String defaultKeep) {
        fit = new BemaOptions(defaults);
        keep = defaultKeep;
    }

    /** The configuration for {@code algorithm}, with --keep or its default. */
    PruneConfig config(PruneAlgorithm algorithm, int classes, long seed) {
        return config(algorithm, null, classes, seed);
    }

    /** The configuration for {@code algorithm}; {@code keepIfAbsent} applies when --keep has no value. */
    PruneConfig config(PruneAlgorithm algorithm, String keepIfAbsent, int classes, long seed) {
        Bema bema = fit.bema();
        RankSelector rule = "bema".equals(selector.strip()) ? null : RankSelectors.parse(selector, bema);
        return new PruneConfig(algorithm, KeepSchedule.parse(keep == null ? keepIfAbsent : keep), bema, rule,
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
