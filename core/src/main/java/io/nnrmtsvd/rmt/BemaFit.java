package io.nnrmtsvd.rmt;

import java.util.Arrays;
import java.util.Objects;

/**
 * The result of one {@link Bema} fit, with the settings and sizes it was made from.
 *
 * @param alpha share of the spectrum left out at each end of the fit
 * @param beta Tracy–Widom tail probability of the edge
 * @param cutoff fit-error cutoff for a good fit
 * @param notebookQuirks whether the original notebook's slips were reproduced
 * @param p number of eigenvalues, min(rows, cols)
 * @param n max(rows, cols)
 * @param gamma p / n
 * @param tracyWidomQuantile the (1 - beta)-quantile of TW_1 used in the margin
 * @param sigma2 estimated noise variance
 * @param lambdaPlus bulk edge with the Tracy–Widom margin, on the eigenvalue scale
 * @param sPlus singular-value threshold sqrt(n lambdaPlus)
 * @param spikes number of eigenvalues strictly above lambdaPlus
 * @param fitError largest distance between the fitted MP distribution function and the
 *     empirical one over the fit range
 * @param goodFit sigma2 &gt; 0 and fitError &lt; cutoff
 * @param eigenvalues the fitted spectrum, ascending (stored and returned as copies)
 */
public record BemaFit(double alpha, double beta, double cutoff, boolean notebookQuirks,
                      int p, int n, double gamma, double tracyWidomQuantile,
                      double sigma2, double lambdaPlus, double sPlus, int spikes,
                      double fitError, boolean goodFit, double[] eigenvalues) {

    /** Stores a copy of the eigenvalues. */
    public BemaFit {
        eigenvalues = eigenvalues.clone();
    }

    /** The settings this fit was made with. */
    public Bema settings() {
        return Bema.create().withAlpha(alpha).withBeta(beta).withCutoff(cutoff).withNotebookQuirks(notebookQuirks);
    }

    /** The fitted spectrum, ascending (a copy). */
    @Override
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BemaFit f
                && Double.compare(f.alpha, alpha) == 0 && Double.compare(f.beta, beta) == 0
                && Double.compare(f.cutoff, cutoff) == 0 && f.notebookQuirks == notebookQuirks
                && f.p == p && f.n == n && Double.compare(f.gamma, gamma) == 0
                && Double.compare(f.tracyWidomQuantile, tracyWidomQuantile) == 0
                && Double.compare(f.sigma2, sigma2) == 0 && Double.compare(f.lambdaPlus, lambdaPlus) == 0
                && Double.compare(f.sPlus, sPlus) == 0 && f.spikes == spikes
                && Double.compare(f.fitError, fitError) == 0 && f.goodFit == goodFit
                && Arrays.equals(f.eigenvalues, eigenvalues);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(alpha, beta, cutoff, notebookQuirks, p, n, gamma, tracyWidomQuantile,
                sigma2, lambdaPlus, sPlus, spikes, fitError, goodFit) + Arrays.hashCode(eigenvalues);
    }

    @Override
    public String toString() {
        return "BemaFit[p=" + p + ", n=" + n + ", gamma=" + gamma + ", alpha=" + alpha + ", beta=" + beta
                + ", cutoff=" + cutoff + ", notebookQuirks=" + notebookQuirks + ", sigma2=" + sigma2
                + ", lambdaPlus=" + lambdaPlus + ", sPlus=" + sPlus + ", spikes=" + spikes
                + ", fitError=" + fitError + ", goodFit=" + goodFit + "]";
    }
}
