package io.nnrmtsvd.prune;

import io.nnrmtsvd.rmt.BemaFit;
import java.util.Locale;

/**
 * What a prune does with one matrix, decided in one place for network pruning and checkpoint
 * compression (SPEC §5 and §6): a matrix whose BEMA fit fails the test is left alone; otherwise
 * k = signal + floor(keep * noise) singular values are kept (at least the configured minimum);
 * keeping all of them leaves the matrix alone; else it is split into two factors where that
 * saves parameters and splitting is allowed, or truncated in place.
 *
 * @param action what to do
 * @param signal signal singular values by the configured rule (0 when the fit failed)
 * @param rank singular values kept; p when the matrix is left alone
 * @param reason why the matrix is left alone; empty otherwise
 */
public record RankDecision(Action action, int signal, int rank, String reason) {
    /** What happens to the matrix. */
    public enum Action {
        /** Left as it is. */
        UNCHANGED,
        /** Replaced by two factors of rank k. */
        SPLIT,
        /** Replaced in place by its rank-k truncation. */
        TRUNCATE
    }

    /**
     * Decides for a rows x cols matrix.
     *
     * @param singularValues Not modified. Descending.
     * @param keep the keep fraction of this prune
     * @param maySplit whether factors are allowed (false for in-place truncation only)
     */
    public static RankDecision of(PruneConfig config, BemaFit fit, double[] singularValues, int rows, int cols,
                                  double keep, boolean maySplit) {
        int p = Math.min(rows, cols);
        if (!fit.goodFit()) {
            return new RankDecision(Action.UNCHANGED, 0, p, badFitReason(fit));
        }
        int signal = config.signal(fit, singularValues, rows, cols);
        int k = config.rank(p, signal, keep);
        if (k == p) {
            return new RankDecision(Action.UNCHANGED, signal, p, "keeps all " + p + " singular values");
        }
        // rank 0 cannot split (a layer of width 0); its truncation is the zero matrix
        boolean split = maySplit && k > 0 && LayerSurgery.splitSaves(rows, cols, k);
        return new RankDecision(split ? Action.SPLIT : Action.TRUNCATE, signal, k, "");
    }

    /** Why a fit failed its test, in the terms of the test itself. */
    public static String badFitReason(BemaFit fit) {
        if (!(fit.sigma2() > 0)) {
            return "no noise bulk to fit: sigma2 = " + fit.sigma2();
        }
        return String.format(Locale.ROOT, "bad fit: error %.4f >= cutoff %s", fit.fitError(), fit.cutoff());
    }
}
