package io.nnrmtsvd.rmt;

import java.util.Arrays;
import java.util.Objects;

/**
 * The optimal hard threshold for singular values of Gavish and Donoho ("The optimal hard
 * threshold for singular values is 4/sqrt(3)", IEEE Trans. Inf. Theory 60, 2014): keep the
 * singular values above tau, with beta = p / n the aspect ratio (p = min, n = max of the shape):
 * <ul>
 *   <li>known noise level sigma: tau = lambda*(beta) sqrt(n) sigma, where
 *   lambda*(beta) = sqrt(2 (beta + 1) + 8 beta / ((beta + 1) + sqrt(beta^2 + 14 beta + 1)));
 *   <li>unknown noise: tau = omega(beta) median(s), with their cubic approximation
 *   omega(beta) ~ 0.56 beta^3 - 0.95 beta^2 + 1.82 beta + 1.43 of the exact coefficient (which
 *   involves the median of the Marchenko–Pastur law).
 * </ul>
 */
public final class GavishDonohoSelector implements RankSelector {
    private final double sigma;

    private GavishDonohoSelector(double sigma) {
        this.sigma = sigma;
    }

    /** The rule for unknown noise, scaled by the median singular value. */
    public static GavishDonohoSelector unknownNoise() {
        return new GavishDonohoSelector(Double.NaN);
    }

    /**
     * The rule for a known noise standard deviation per matrix entry.
     *
     * @param sigma finite and &gt; 0
     */
    public static GavishDonohoSelector knownNoise(double sigma) {
        if (!(sigma > 0 && sigma < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("noise sigma must be finite and > 0, got " + sigma);
        }
        return new GavishDonohoSelector(sigma);
    }

    /** lambda*(beta), the known-noise coefficient. */
    public static double lambdaStar(double beta) {
        return Math.sqrt(2 * (beta + 1) + 8 * beta / ((beta + 1) + Math.sqrt(beta * beta + 14 * beta + 1)));
    }

    /** omega(beta), the unknown-noise coefficient (cubic approximation). */
    public static double omega(double beta) {
        return ((0.56 * beta - 0.95) * beta + 1.82) * beta + 1.43;
    }

    /** The threshold tau for these singular values of a rows x cols matrix. */
    public double threshold(double[] singularValues, int rows, int cols) {
        GramSpectrum.checkSingularValues(singularValues, rows, cols);
        double beta = (double) Math.min(rows, cols) / Math.max(rows, cols);
        if (Double.isNaN(sigma)) {
            return omega(beta) * median(singularValues);
        }
        return lambdaStar(beta) * Math.sqrt(Math.max(rows, cols)) * sigma;
    }

    @Override
    public int select(double[] singularValues, int rows, int cols) {
        double tau = threshold(singularValues, rows, cols);
        int k = 0;
        while (k < singularValues.length && singularValues[k] > tau) {
            k++;
        }
        return k;
    }

    @Override
    public String toString() {
        return Double.isNaN(sigma) ? "gavish-donoho" : "gavish-donoho:" + sigma;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length;
        return m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GavishDonohoSelector o && Double.compare(o.sigma, sigma) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sigma);
    }
}
