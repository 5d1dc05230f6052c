package io.nnrmtsvd.prune;

import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.BemaFit;
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

    /**
     * The keep fraction of a prune before {@code epoch} of {@code epochs}, clamped to [0, 1]; a
     * one-off compression is epoch 0 of 1.
     */
    public double keepAt(int epoch, int epochs) {
        return Math.min(1, Math.max(0, keep.keep(Math.max(1, epoch), Math.max(1, epochs))));
    }

    /**
     * gt of SPEC §5, how many singular values of a rows x cols layer are signal: for random-keep
     * the BEMA rank with alpha {@value #PREDICTED_RANK_ALPHA} (SPEC §6, alg 3), else the selector's
     * count, or BEMA's spikes when there is no selector.
     *
     * @param fit the BEMA fit of the layer with {@link #bema()}
     * @param singularValues Not modified. Descending.
     */
    public int signal(BemaFit fit, double[] singularValues, int rows, int cols) {
        if (algorithm == PruneAlgorithm.RANDOM_KEEP) {
            return bema.withAlpha(PREDICTED_RANK_ALPHA).fit(fit.eigenvalues(), fit.p(), fit.n()).spikes();
        }
        return selector == null ? fit.spikes() : selector.select(singularValues, rows, cols);
    }

    /**
     * k of SPEC §5: signal + floor(keep * noise) singular values, at least {@link #minRank()} and
     * at most p.
     */
    public int rank(int p, int signal, double keepFraction) {
        int noiseKept = (int) Math.floor(keepFraction * NoiseCount.of(p, signal, bema.notebookQuirks()));
        return Math.min(p, Math.max(minRank, signal + noiseKept));
    }

    /** The published set-up: split-truncate, keep 0.45, BEMA defaults, at least {@code classes}. */
    public static PruneConfig published(int classes, long seed) {
        return new PruneConfig(PruneAlgorithm.SPLIT_TRUNCATE, KeepSchedule.constant(PUBLISHED_KEEP),
                Bema.create(), null, classes, FactorPolicy.SEPARATE, seed);
    }
}
