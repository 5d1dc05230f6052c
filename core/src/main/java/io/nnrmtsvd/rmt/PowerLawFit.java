package io.nnrmtsvd.rmt;

import java.util.Arrays;
import java.util.Objects;

/**
 * The result of one {@link PowerLawFitter} fit: the power law
 * p(x) = ((alpha - 1) / x_min) (x / x_min)^(-alpha) for x &gt;= x_min, fitted to the tail of a
 * spectrum, with the settings and data it was made from and every candidate it weighed (for a
 * plot of D against x_min). Field names follow WeightWatcher's columns where it has one.
 *
 * @param alpha the exponent (WeightWatcher's {@code alpha}), &gt; 1
 * @param xmin start of the tail ({@code xmin}), an eigenvalue, in the units of the input
 * @param xmax the largest eigenvalue ({@code xmax})
 * @param distance Kolmogorov–Smirnov distance of the fit ({@code D}), in [0, 1)
 * @param sigma standard error of alpha, (alpha - 1) / sqrt(numPlSpikes) ({@code sigma})
 * @param numPlSpikes size n_t of the tail, m - j for x_min = x_j ({@code num_pl_spikes}).
 *     When x_min is tied with smaller eigenvalues, WeightWatcher counts those too (every
 *     eigenvalue &gt;= x_min); here it is the tail the fit used.
 * @param floor eigenvalues at or below this were left out
 * @param fingers whether x_min was searched only in the fingers window
 * @param xPeak the fingers window's x_peak, NaN when the remedy was off
 * @param eigenvalues the fitted data: the eigenvalues above the floor, ascending (a copy)
 * @param candidateXmins every x_min weighed, ascending (a copy)
 * @param candidateAlphas alpha of each candidate (a copy). (Their distances are not kept: most
 *     candidates are dismissed as soon as they are known to lie farther than the best, which is
 *     what makes the fit fast.)
 */
public record PowerLawFit(double alpha, double xmin, double xmax, double distance, double sigma, int numPlSpikes,
                          double floor, boolean fingers, double xPeak, double[] eigenvalues,
                          double[] candidateXmins, double[] candidateAlphas) {
    /** Below this alpha the authors of WeightWatcher call a layer possibly over-trained (a rule of thumb). */
    public static final double OVER_TRAINED_BELOW = 2;
    /** Above this alpha the authors of WeightWatcher call a layer possibly under-trained (a rule of thumb). */
    public static final double UNDER_TRAINED_ABOVE = 6;

    /** Stores copies of the arrays and checks that the two candidate arrays agree in length. */
    public PowerLawFit {
        eigenvalues = eigenvalues.clone();
        candidateXmins = candidateXmins.clone();
        candidateAlphas = candidateAlphas.clone();
        if (candidateAlphas.length != candidateXmins.length) {
            throw new IllegalArgumentException("candidate arrays differ in length: " + candidateXmins.length + ", "
                    + candidateAlphas.length);
        }
    }

    /** The settings this fit was made with. */
    public PowerLawFitter settings() {
        return PowerLawFitter.create().withFloor(floor).withFingers(fingers);
    }

    /** The n_t eigenvalues of the tail, ascending, from x_min to x_max. */
    public double[] tail() {
        return Arrays.copyOfRange(eigenvalues, eigenvalues.length - numPlSpikes, eigenvalues.length);
    }

    /** The fitted density ((alpha - 1) / x_min) (x / x_min)^(-alpha), 0 below x_min. */
    public double density(double x) {
        return x < xmin ? 0 : (alpha - 1) / xmin * Math.pow(x / xmin, -alpha);
    }

    /** The fitted distribution function 1 - (x / x_min)^(1 - alpha), 0 below x_min. */
    public double cdf(double x) {
        return x <= xmin ? 0 : 1 - Math.pow(x / xmin, 1 - alpha);
    }

    /** alpha &lt; 2: "possibly over-trained", WeightWatcher's rule of thumb, not a test. */
    public boolean possiblyOverTrained() {
        return alpha < OVER_TRAINED_BELOW;
    }

    /** alpha &gt; 6: "possibly under-trained", WeightWatcher's rule of thumb, not a test. */
    public boolean possiblyUnderTrained() {
        return alpha > UNDER_TRAINED_ABOVE;
    }

    @Override
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    @Override
    public double[] candidateXmins() {
        return candidateXmins.clone();
    }

    @Override
    public double[] candidateAlphas() {
        return candidateAlphas.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PowerLawFit f
                && Double.compare(f.alpha, alpha) == 0 && Double.compare(f.xmin, xmin) == 0
                && Double.compare(f.xmax, xmax) == 0 && Double.compare(f.distance, distance) == 0
                && Double.compare(f.sigma, sigma) == 0 && f.numPlSpikes == numPlSpikes
                && Double.compare(f.floor, floor) == 0 && f.fingers == fingers
                && Double.compare(f.xPeak, xPeak) == 0 && Arrays.equals(f.eigenvalues, eigenvalues)
                && Arrays.equals(f.candidateXmins, candidateXmins) && Arrays.equals(f.candidateAlphas, candidateAlphas);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(alpha, xmin, xmax, distance, sigma, numPlSpikes, floor, fingers, xPeak);
        h = 31 * h + Arrays.hashCode(eigenvalues);
        h = 31 * h + Arrays.hashCode(candidateXmins);
        return 31 * h + Arrays.hashCode(candidateAlphas);
    }

    @Override
    public String toString() {
        return "PowerLawFit[alpha=" + alpha + ", xmin=" + xmin + ", xmax=" + xmax + ", D=" + distance
                + ", sigma=" + sigma + ", numPlSpikes=" + numPlSpikes + ", floor=" + floor + ", fingers=" + fingers
                + (fingers ? ", xPeak=" + xPeak : "") + ", candidates=" + candidateXmins.length + "]";
    }
}
