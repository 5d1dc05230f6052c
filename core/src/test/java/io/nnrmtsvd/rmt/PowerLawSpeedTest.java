package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The power-law fit of 16,384 eigenvalues, every candidate x_min searched, within the brief's
 * 0.5 s. The fit is single-threaded, so the test measures the CPU time of its thread, which other
 * builds on the shared machine inflate far less than wall time (an earlier version of the search
 * took a wall-clock median of 0.53 s on the hard case at load 9.7 on two cores, 0.15 s at load 4,
 * 0.11 s of CPU). The figures measured are in the branch's report.
 */
class PowerLawSpeedTest {
    static final int P = 16_384;
    /** Median CPU seconds of the timed runs may not exceed this: the brief's target. */
    static final double BOUND_SECONDS = 0.5;

    /** Median CPU time of the current thread over {@code runs} fits, after two warm-up fits. */
    static double medianCpuSeconds(double[] x, int runs) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        PowerLawFitter fitter = PowerLawFitter.create();
        fitter.fit(x);
        fitter.fit(x);
        double[] seconds = new double[runs];
        for (int r = 0; r < runs; r++) {
            long start = threads.getCurrentThreadCpuTime();
            fitter.fit(x);
            seconds[r] = (threads.getCurrentThreadCpuTime() - start) * 1e-9;
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
            double median = medianCpuSeconds(x, 5);
            assertTrue(median < BOUND_SECONDS, "median fit CPU time " + median + " s");
        }
    }
}
