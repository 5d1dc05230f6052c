package io.nnrmtsvd.rmt;

import java.util.Objects;
/**
 * Keeps the BEMA spikes: the singular values whose eigenvalue s^2 / n lies above lambda_plus.
 * The count is returned whether or not the fit is good; deciding to leave a badly fitting layer
 * alone is the caller's (see {@link BemaFit#goodFit()}).
 */
public final class BemaSelector implements RankSelector {
    private final Bema bema;

    /** With the given fitter (its scaling, alpha, beta and quirks apply). */
    public BemaSelector(Bema bema) {
        this.bema = bema;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also when the matrix is too small for BEMA (see {@link Bema})
     */
    @Override
    public int select(double[] singularValues, int rows, int cols) {
        return fit(singularValues, rows, cols).spikes();
    }

    /** The full BEMA fit behind {@link #select}. */
    public BemaFit fit(double[] singularValues, int rows, int cols) {
        return bema.fit(GramSpectrum.fromSingularValues(singularValues, rows, cols, bema.scaling()));
    }

    @Override
    public String toString() {
        return "bema";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BemaSelector o && o.bema.equals(bema);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bema);
    }
}
