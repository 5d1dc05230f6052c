package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.rmt.SpectrumAnalysis;

/**
 * What happened to one tensor of a checkpoint analysis: analysed, with its spectrum analysis, or
 * skipped, with the reason.
 *
 * @param tensor the tensor's header entry
 * @param analysis the analysis; {@code null} when skipped
 * @param reason why it was skipped; empty when analysed
 * @param seconds wall time of reading and analysing it
 */
public record TensorResult(TensorInfo tensor, SpectrumAnalysis analysis, String reason, double seconds) {
    /** Status of an analysed tensor. */
    public static final String ANALYSED = "analysed";
    /** Status of a skipped tensor. */
    public static final String SKIPPED = "skipped";

    /** A skipped tensor. */
    public static TensorResult skipped(TensorInfo tensor, String reason) {
        return new TensorResult(tensor, null, reason, 0);
    }

    /** {@link #ANALYSED} or {@link #SKIPPED}. */
    public String status() {
        return analysis == null ? SKIPPED : ANALYSED;
    }
}
