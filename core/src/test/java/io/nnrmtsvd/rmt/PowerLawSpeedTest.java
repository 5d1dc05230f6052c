package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The power-law fit of 16,384 eigenvalues, every candidate x_min searched, well within the
 * brief's 0.5 s. The bound asserted is generous (the machine is shared); the figures measured on
 * an idle machine are in the branch's report.
 */
class PowerLawSpeedTest {
    static final int P = 16_384;
    /** Median of the timed runs may not exceed this (the target is 0.5 s). */
    static final double BOUND_SECONDS = 0.5;

    /** Median wall time of {@code runs} fits after two warm-up fits. */
    static double medianSeconds(double[] x, int runs) {
        PowerLawFitter fitter = PowerLawFitter.create();
        fitter.fit(x);
        fitter.fit(x);
        double[] seconds = new double[runs];
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            fitter.fit(x);
            seconds[r] = (System.nanoTime() - start) * 1e-9;
        }
        Arrays.sort(seconds);
        return seconds[runs / 2];
    }

    @Test
    void fitsSixteenThousandEigenvaluesInUnderHalfASecond() {
        SplittableRandom rng = new SplittableRandom(16384);
        double[] quantiles = new double[P];
        for (int i = 0; i < P; i++) {
            quantiles[i] = Math.pow(1 - (i + 0.5) / P, -1 / 1.5);
        }
        // the last is the hard case: exact Pareto quantiles put every candidate's D close to the best
        double[][] spectra = {
            PowerLawFitterTest.bulkWithTail(rng, P, 300, 3), PowerLawFitterTest.pareto(rng, P, 2.5, 1), quantiles,
        };
        for (double[] x : spectra) {
            double median = medianSeconds(x, 5);
            assertTrue(median < BOUND_SECONDS, "median fit time " + median + " s");
        }
    }
}
