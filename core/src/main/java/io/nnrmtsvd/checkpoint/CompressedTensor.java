package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.rmt.BemaFit;
import java.util.Locale;

/**
 * What {@link CheckpointCompressor} did to one tensor of a checkpoint.
 *
 * @param tensor the input tensor's header entry
 * @param action what was done
 * @param reason why the tensor was copied or left unchanged; empty otherwise
 * @param fit the BEMA fit; {@code null} when not analysed
 * @param signal signal singular values; 0 when not analysed
 * @param rank singular values kept; p when unchanged, 0 when not analysed
 * @param parametersBefore values of the tensor
 * @param parametersAfter values written for it (both factors when factored)
 * @param bytesBefore bytes of the tensor
 * @param bytesAfter bytes written for it
 * @param energyKept share of the squared singular values kept; NaN when not analysed
 * @param relativeError ||W - stored||_F / ||W||_F of the values written; 0 when the tensor was
 *     copied or left unchanged
 */
public record CompressedTensor(TensorInfo tensor, Action action, String reason, BemaFit fit, int signal, int rank,
                               long parametersBefore, long parametersAfter, long bytesBefore, long bytesAfter,
                               double energyKept, double relativeError) {
    /** What was done to a tensor. */
    public enum Action {
        /** Replaced by two factors. */
        FACTORED,
        /** Replaced in place by a truncation. */
        TRUNCATED,
        /** Analysed and left as it was. */
        UNCHANGED,
        /** Not analysed; copied byte for byte. */
        COPIED;

        /** Lower-case name for reports. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A tensor copied byte for byte, for {@code reason}. */
    static CompressedTensor copied(TensorInfo t, String reason) {
        return new CompressedTensor(t, Action.COPIED, reason, null, 0, 0, t.elementCount(), t.elementCount(),
                t.byteLength(), t.byteLength(), Double.NaN, 0);
    }

    /** The same outcome with the error of the values written. */
    CompressedTensor withRelativeError(double error) {
        return new CompressedTensor(tensor, action, reason, fit, signal, rank, parametersBefore, parametersAfter,
                bytesBefore, bytesAfter, energyKept, error);
    }
}
