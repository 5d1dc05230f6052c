package io.nnrmtsvd.prune;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one prune did to one layer (or merged factor pair) of the network.
 *
 * @param index position of the layer in the network before the prune
 * @param rows outputs of the pruned matrix
 * @param cols inputs of the pruned matrix
 * @param fitError BEMA's fit error
 * @param goodFit whether the fit passed the test
 * @param sigma2 BEMA's noise variance
 * @param lambdaPlus BEMA's bulk edge
 * @param spikes signal singular values by BEMA
 * @param signal signal singular values by the configured selector (BEMA's spikes by default)
 * @param keep the keep fraction applied
 * @param rank singular values kept, or min(rows, cols) when the layer was left alone
 * @param action what was done: split, truncate, shrink, random-keep, or unchanged
 * @param reason why, when the layer was left unchanged
 * @param parametersBefore weights and biases before
 * @param parametersAfter weights and biases after
 * @param eigenvalues the spectrum BEMA fitted, ascending, on the fit's scale; empty when the layer
 *     was not fitted (stored and returned as copies)
 */
public record LayerReport(int index, int rows, int cols, double fitError, boolean goodFit, double sigma2,
                          double lambdaPlus, int spikes, int signal, double keep, int rank, String action,
                          String reason, long parametersBefore, long parametersAfter, double[] eigenvalues) {
    /** Stores a copy of the eigenvalues. */
    public LayerReport {
        eigenvalues = eigenvalues.clone();
    }

    /** A report without a spectrum. */
    public LayerReport(int index, int rows, int cols, double fitError, boolean goodFit, double sigma2,
                       double lambdaPlus, int spikes, int signal, double keep, int rank, String action,
                       String reason, long parametersBefore, long parametersAfter) {
        this(index, rows, cols, fitError, goodFit, sigma2, lambdaPlus, spikes, signal, keep, rank, action, reason,
                parametersBefore, parametersAfter, new double[0]);
    }

    /** The fitted spectrum, ascending (a copy; empty when the layer was not fitted). */
    @Override
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** The same report with other parameter counts. */
    public LayerReport withParameters(long before, long after) {
        return new LayerReport(index, rows, cols, fitError, goodFit, sigma2, lambdaPlus, spikes, signal, keep, rank,
                action, reason, before, after, eigenvalues);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerReport r
                && r.index == index && r.rows == rows && r.cols == cols
                && Double.compare(r.fitError, fitError) == 0 && r.goodFit == goodFit
                && Double.compare(r.sigma2, sigma2) == 0 && Double.compare(r.lambdaPlus, lambdaPlus) == 0
                && r.spikes == spikes && r.signal == signal && Double.compare(r.keep, keep) == 0
                && r.rank == rank && r.action.equals(action) && r.reason.equals(reason)
                && r.parametersBefore == parametersBefore && r.parametersAfter == parametersAfter
                && Arrays.equals(r.eigenvalues, eigenvalues);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(index, rows, cols, fitError, goodFit, sigma2, lambdaPlus, spikes, signal, keep, rank,
                action, reason, parametersBefore, parametersAfter) + Arrays.hashCode(eigenvalues);
    }

    @Override
    public String toString() {
        return "LayerReport[index=" + index + ", " + rows + "x" + cols + ", fitError=" + fitError + ", goodFit="
                + goodFit + ", sigma2=" + sigma2 + ", lambdaPlus=" + lambdaPlus + ", spikes=" + spikes
                + ", signal=" + signal + ", keep=" + keep + ", rank=" + rank + ", action=" + action + ", reason="
                + reason + ", parameters " + parametersBefore + " -> " + parametersAfter + ", "
                + eigenvalues.length + " eigenvalues]";
    }
}
