package io.nnrmtsvd.rmt;

/**
 * The peak of a spectrum on a log scale, x_peak, which centres the "fingers" window of
 * {@link PowerLawFitter#withFingers} (SPEC section 9): the eigenvalues above
 * {@value #THRESHOLD} are binned by log10 into {@value #BINS} equal bins between their smallest
 * and largest logarithm (numpy's binning, {@link EqualBins}), and x_peak = 10^e, e the left
 * edge of the fullest bin (the first of several equally full ones).
 */
public final class SpectrumPeak {
    /** Only eigenvalues above this enter the histogram (WeightWatcher's threshold, raw units). */
    public static final double THRESHOLD = 1e-5;
    /** Number of bins. */
    public static final int BINS = 100;

    private SpectrumPeak() {
    }

    /**
     * x_peak of a spectrum.
     *
     * @param eigenvalues Not modified. Finite, in any order.
     * @throws IllegalArgumentException if no eigenvalue exceeds {@value #THRESHOLD}
     */
    public static double of(double[] eigenvalues) {
        int count = 0;
        for (double value : eigenvalues) {
            if (value > THRESHOLD) {
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("no eigenvalue above " + THRESHOLD + " to place the spectrum's peak");
        }
        double[] logs = new double[count];
        int k = 0;
        for (double value : eigenvalues) {
            if (value > THRESHOLD) {
                logs[k++] = Math.log10(value);
            }
        }
        EqualBins histogram = EqualBins.of(logs, BINS);
        return Math.pow(10, histogram.edges()[histogram.fullest()]);
    }
}
