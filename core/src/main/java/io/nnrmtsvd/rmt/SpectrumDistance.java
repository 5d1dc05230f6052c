package io.nnrmtsvd.rmt;

/**
 * How far apart two spectra are: the Jensen–Shannon distance between the histograms of their
 * log10 eigenvalues over {@value #BINS} common bins (SPEC section 9, {@code rand_distance}).
 *
 * <p>Both spectra's positive eigenvalues are binned by log10 over equal-width bins spanning the
 * smallest to the largest logarithm of the two together (numpy's binning, {@link EqualBins});
 * counts divided by each spectrum's number of positive eigenvalues give distributions P and Q,
 * and with M = (P + Q) / 2,
 * JS = (sum P log2(P / M) + sum Q log2(Q / M)) / 2 (0 log 0 = 0), distance = sqrt(JS), in [0, 1]:
 * 0 for spectra that fill the bins alike, 1 for spectra without a common bin. (This is the
 * distance of scipy.spatial.distance.jensenshannon with base 2. WeightWatcher's rand_distance
 * instead treats the two sorted eigenvalue vectors themselves as distributions.) Zero eigenvalues
 * have no logarithm and are left out.
 */
public final class SpectrumDistance {
    /** Number of common bins. */
    public static final int BINS = 100;

    private SpectrumDistance() {
    }

    /**
     * The Jensen–Shannon distance, base 2, between two spectra.
     *
     * @param a Not modified. Finite, non-negative, at least one positive; any order.
     * @param b Not modified. The same.
     * @throws IllegalArgumentException if either has no positive eigenvalue or a value is not
     *     finite or negative
     */
    public static double jensenShannon(double[] a, double[] b) {
        double[] logA = positiveLogs(a, "first");
        double[] logB = positiveLogs(b, "second");
        double first = Math.min(min(logA), min(logB));
        double last = Math.max(max(logA), max(logB));
        long[] countA = EqualBins.over(logA, first, last, BINS).counts();
        long[] countB = EqualBins.over(logB, first, last, BINS).counts();
        double[] terms = new double[2 * countA.length];
        for (int i = 0; i < countA.length; i++) {
            double p = (double) countA[i] / logA.length;
            double q = (double) countB[i] / logB.length;
            double m = (p + q) / 2;
            terms[2 * i] = p > 0 ? p * Math.log(p / m) : 0;
            terms[2 * i + 1] = q > 0 ? q * Math.log(q / m) : 0;
        }
        double divergence = Spectra.sum(terms) / (2 * Math.log(2));
        return Math.min(1, Math.sqrt(Math.max(0, divergence)));
    }

    private static double[] positiveLogs(double[] values, String which) {
        int count = 0;
        for (double value : values) {
            if (!Double.isFinite(value) || value < 0) {
                throw new IllegalArgumentException("the " + which + " spectrum holds " + value
                        + "; eigenvalues must be finite and non-negative");
            }
            if (value > 0) {
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("the " + which + " spectrum has no positive eigenvalue");
        }
        double[] logs = new double[count];
        int k = 0;
        for (double value : values) {
            if (value > 0) {
                logs[k++] = Math.log10(value);
            }
        }
        return logs;
    }

    private static double min(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        for (double value : values) {
            min = Math.min(min, value);
        }
        return min;
    }

    private static double max(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            max = Math.max(max, value);
        }
        return max;
    }
}
