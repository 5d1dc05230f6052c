package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.rmt.HeavyTailAnalysis;
import io.nnrmtsvd.rmt.RandomizedSpectrum;
import io.nnrmtsvd.rmt.SpectrumAnalysis;

/**
 * What happened to one tensor of a checkpoint analysis: analysed, with its spectrum analysis, or
 * skipped, with the reason. A convolution's weights [out, in, kh, kw] are analysed as the unfolded
 * matrix [out, in kh kw] (the follow-up paper's view, and what {@code compress} factors), and their
 * kernel positions' pooled spectrum gets the heavy-tailed fit too (WeightWatcher's view).
 *
 * @param tensor the tensor's header entry
 * @param analysis the analysis of the matrix (unfolded for a convolution); {@code null} when skipped
 * @param perKernel a convolution's pooled kernel-position analysis; {@code null} otherwise
 * @param randomized the randomisation test; {@code null} when not asked for or skipped
 * @param reason why it was skipped; empty when analysed
 * @param seconds wall time of reading and analysing it
 */
public record TensorResult(TensorInfo tensor, SpectrumAnalysis analysis, HeavyTailAnalysis perKernel,
                           RandomizedSpectrum randomized, String reason, double seconds) {
    /** Status of an analysed tensor. */
    public static final String ANALYSED = "analysed";
    /** Status of a skipped tensor. */
    public static final String SKIPPED = "skipped";

    /** A skipped tensor. */
    public static TensorResult skipped(TensorInfo tensor, String reason) {
        return new TensorResult(tensor, null, null, null, reason, 0);
    }

    /** {@link #ANALYSED} or {@link #SKIPPED}. */
    public String status() {
        return analysis == null ? SKIPPED : ANALYSED;
    }
}
