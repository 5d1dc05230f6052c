package io.nnrmtsvd.experiment;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Mean, sample standard deviation and the two-sided 95% confidence interval of the mean (Student
 * t with n - 1 degrees of freedom) of a sample. With one value the standard deviation and the
 * interval are NaN (undefined), never zero.
 *
 * @param count number of values
 * @param mean arithmetic mean
 * @param standardDeviation sample standard deviation (divisor n - 1)
 * @param ciLow lower end of the 95% confidence interval of the mean
 * @param ciHigh upper end of the 95% confidence interval of the mean
 */
public record SampleSummary(int count, double mean, double standardDeviation, double ciLow, double ciHigh) {
    /** Two-sided confidence level of the interval. */
    public static final double CONFIDENCE = 0.95;

    /** Summarises {@code values}, which must not be empty. */
    public static SampleSummary of(double[] values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        if (n == 1) {
            return new SampleSummary(1, mean, Double.NaN, Double.NaN, Double.NaN);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        double t = TDistribution.of(n - 1).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
        double half = t * sd / Math.sqrt(n);
        return new SampleSummary(n, mean, sd, mean - half, mean + half);
    }

    /** The summary of the differences a[i] - b[i] (a paired comparison). */
    public static SampleSummary ofDifferences(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples differ in size: " + a.length + " vs " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return of(d);
    }
}
