package io.nnrmtsvd.prune;

import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.RankSelector;

/**
 * How a network is pruned.
 *
 * @param algorithm what to do with each layer
 * @param keep fraction of noise singular values kept, by epoch
 * @param bema BEMA settings; its cutoff is the fit test (a layer with a worse fit is left alone)
 *     and its notebook flag reproduces the original notebook's slips, including the noise count
 * @param selector how many singular values are signal; {@code null} for BEMA's spike count
 * @param minRank a layer keeps at least this many singular values (SPEC §5: the number of
 *     classes; 0 for none)
 * @param factors what to do with factors of earlier splits
 * @param seed seeds random-keep's choice
 */
public record PruneConfig(PruneAlgorithm algorithm, KeepSchedule keep, Bema bema, RankSelector selector,
                          int minRank, FactorPolicy factors, long seed) {
    /** The published keep fraction. */
    public static final double PUBLISHED_KEEP = 0.45;
    /** BEMA's alpha for the signal count of random-keep and for the reported predicted rank. */
    public static final double PREDICTED_RANK_ALPHA = 0.25;

    public PruneConfig {
        if (minRank < 0) {
            throw new IllegalArgumentException("minimum rank must be >= 0, got " + minRank);
        }
    }

    /** The published set-up: split-truncate, keep 0.45, BEMA defaults, at least {@code classes}. */
    public static PruneConfig published(int classes, long seed) {
        return new PruneConfig(PruneAlgorithm.SPLIT_TRUNCATE, KeepSchedule.constant(PUBLISHED_KEEP),
                Bema.create(), null, classes, FactorPolicy.SEPARATE, seed);
    }
}
