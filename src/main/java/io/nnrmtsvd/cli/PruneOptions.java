package io.nnrmtsvd.cli;

import io.nnrmtsvd.prune.FactorPolicy;
import io.nnrmtsvd.prune.KeepSchedule;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.RankSelector;
import io.nnrmtsvd.rmt.RankSelectors;
import picocli.CommandLine.Option;

/** How layers are pruned: shared by {@code train} and {@code compress}. */
final class PruneOptions {
    @Option(names = "--keep", paramLabel = "SCHEDULE",
            description = "Share of noise singular values kept: a fraction (0 = only the signal), "
                    + "linear:A:B, falling:H or step:A:EPOCH:B.")
    String keep;

    @Option(names = "--selector", paramLabel = "RULE",
            description = "Signal count: bema (default), mp-edge, gavish-donoho[:SIGMA], energy:F, rank:K.")
    String selector = "bema";

    @Option(names = "--alpha", description = "BEMA share ignored at each end of the fit (default: ${DEFAULT-VALUE}).")
    double alpha = Bema.DEFAULT_ALPHA;

    @Option(names = "--beta", description = "BEMA Tracy-Widom tail probability (default: ${DEFAULT-VALUE}).")
    double beta = Bema.DEFAULT_BETA;

    @Option(names = "--cutoff", description = "Fit-error cutoff: layers fitting worse are left alone; "
            + "1 switches the test off (default: ${DEFAULT-VALUE}).")
    double cutoff = Bema.DEFAULT_CUTOFF;

    @Option(names = "--min-rank", paramLabel = "K",
            description = "Never keep fewer singular values than this (default: the number of classes; 1 for checkpoints).")
    Integer minRank;

    @Option(names = "--factors", paramLabel = "POLICY",
            description = "Factors of earlier splits: separate (as the notebook), skip, or merge "
                    + "(prune the pair as one matrix). Default: separate, or merge when --cutoff >= 1.")
    String factors;

    @Option(names = "--skip-factors", description = "Same as --factors skip.")
    boolean skipFactors;

    @Option(names = "--notebook", description = "Reproduce the original notebook's slips "
            + "(1/in scaling, the /3 margin, the noise-count off-by-one; ReLU on the output in train).")
    boolean notebook;

    /** BEMA with these options' alpha, beta, cutoff and notebook slips. */
    Bema bema() {
        return Bema.create().withAlpha(alpha).withBeta(beta).withCutoff(cutoff).withNotebookQuirks(notebook);
    }

    /** The configuration for {@code algorithm}; {@code defaultKeep} applies when --keep is absent. */
    PruneConfig config(PruneAlgorithm algorithm, String defaultKeep, int classes, long seed) {
        Bema bema = bema();
        RankSelector rule = "bema".equals(selector.strip()) ? null : RankSelectors.parse(selector);
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
            return cutoff >= 1 ? FactorPolicy.MERGE : FactorPolicy.SEPARATE;
        }
        return switch (factors) {
            case "separate" -> FactorPolicy.SEPARATE;
            case "skip" -> FactorPolicy.SKIP;
            case "merge" -> FactorPolicy.MERGE;
            default -> throw new IllegalArgumentException("--factors must be separate, skip or merge, got " + factors);
        };
    }
}
