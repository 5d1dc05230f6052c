package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Reference values: F(0), F(-2) and quantiles as given in the project brief (they agree with
 * Bornemann 2010 and with the tables of Prähofer and Spohn); F2(-3) from STACK.md; the 13-digit
 * means and variances from Bornemann 2010, Table 5 (also in Tracy and Widom's papers).
 */
class TracyWidomTest {
    private static final double[] PROBABILITIES = {0.10, 0.50, 0.90, 0.95, 0.99};
    private static final double[] TW1_QUANTILES = {-2.7824279057, -1.2685746166, 0.4501432891, 0.9793160535, 2.0234492814};
    private static final double[] TW2_QUANTILES = {-2.9013509385, -1.8049124089, -0.5968512971, -0.2324744698, 0.4776360474};

    @Test
    void tw1DistributionFunction() {
        TracyWidom tw = TracyWidom.of(1);
        assertEquals(0.831908066203, tw.cdf(0), Tolerances.TRACY_WIDOM);
        assertEquals(0.274320197909, tw.cdf(-2), Tolerances.TRACY_WIDOM);
    }

    @Test
    void tw2DistributionFunction() {
        TracyWidom tw = TracyWidom.of(2);
        assertEquals(0.969372828355, tw.cdf(0), Tolerances.TRACY_WIDOM);
        assertEquals(0.413224142505, tw.cdf(-2), Tolerances.TRACY_WIDOM);
        assertEquals(0.080319552939331, tw.cdf(-3), Tolerances.TRACY_WIDOM);
    }

    @Test
    void quantiles() {
        for (int i = 0; i < PROBABILITIES.length; i++) {
            assertEquals(TW1_QUANTILES[i], TracyWidom.of(1).quantile(PROBABILITIES[i]), Tolerances.TRACY_WIDOM,
                    "TW1 quantile " + PROBABILITIES[i]);
            assertEquals(TW2_QUANTILES[i], TracyWidom.of(2).quantile(PROBABILITIES[i]), Tolerances.TRACY_WIDOM,
                    "TW2 quantile " + PROBABILITIES[i]);
        }
    }

    @Test
    void quantileInvertsTheDistributionFunction() {
        for (int beta = 1; beta <= 2; beta++) {
            TracyWidom tw = TracyWidom.of(beta);
            for (double p : new double[] {1e-6, 0.003, 0.25, 0.75, 0.999, 1 - 1e-9}) {
                assertEquals(p, tw.cdf(tw.quantile(p)), 1e-13 + 1e-11 * p, "beta " + beta + " p " + p);
            }
            assertEquals(Double.NEGATIVE_INFINITY, tw.quantile(0));
            assertEquals(Double.POSITIVE_INFINITY, tw.quantile(1));
        }
    }

    @Test
    void theFarLeftTailIsNeverNegativeAndItsQuantilesAreRefusedNotClamped() {
        for (int beta = 1; beta <= 2; beta++) {
            TracyWidom tw = TracyWidom.of(beta);
            for (double s = -14; s <= -9; s += 0.25) {
                double f = tw.cdf(s);
                assertTrue(f >= 0 && f <= 1e-12, "beta " + beta + ", F(" + s + ") = " + f);
            }
            for (double p : new double[] {1e-70, 1e-13, 1 - 1e-14}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tw.quantile(p));
                assertTrue(e.getMessage().contains("too close to"), e.getMessage());
            }
        }
    }

    @Test
    void momentsMatchTheBrief() {
        assertEquals(-1.206534, TracyWidom.of(1).mean(), Tolerances.TRACY_WIDOM_MOMENTS);
        assertEquals(1.267986, TracyWidom.of(1).standardDeviation(), Tolerances.TRACY_WIDOM_MOMENTS);
        assertEquals(-1.771087, TracyWidom.of(2).mean(), Tolerances.TRACY_WIDOM_MOMENTS);
        assertEquals(0.901778, TracyWidom.of(2).standardDeviation(), Tolerances.TRACY_WIDOM_MOMENTS);
    }

    @Test
    void momentsMatchBornemann() {
        assertEquals(-1.2065335745820, TracyWidom.of(1).mean(), Tolerances.TRACY_WIDOM_MOMENTS_TIGHT);
        assertEquals(1.6077810345810, TracyWidom.of(1).variance(), Tolerances.TRACY_WIDOM_MOMENTS_TIGHT);
        assertEquals(-1.7710868074116, TracyWidom.of(2).mean(), Tolerances.TRACY_WIDOM_MOMENTS_TIGHT);
        assertEquals(0.8131947928329, TracyWidom.of(2).variance(), Tolerances.TRACY_WIDOM_MOMENTS_TIGHT);
    }

    @Test
    void densityIsTheDerivativeOfTheDistributionFunction() {
        double h = 1e-3;
        for (int beta = 1; beta <= 2; beta++) {
            TracyWidom tw = TracyWidom.of(beta);
            for (double s = -6; s <= 4; s += 0.5) {
                // fourth-order central difference, truncation error ~ h^4
                double derivative = (8 * (tw.cdf(s + h) - tw.cdf(s - h)) - (tw.cdf(s + 2 * h) - tw.cdf(s - 2 * h)))
                        / (12 * h);
                assertEquals(derivative, tw.pdf(s), 1e-10, "beta " + beta + " s " + s);
            }
        }
    }

    @Test
    void tailsAndMonotonicity() {
        for (int beta = 1; beta <= 2; beta++) {
            TracyWidom tw = TracyWidom.of(beta);
            assertEquals(0.0, tw.cdf(-20));
            assertEquals(0.0, tw.pdf(-20));
            assertEquals(1.0, tw.cdf(Double.POSITIVE_INFINITY));
            assertEquals(1.0, tw.cdf(30), 1e-15);
            double previous = 0;
            for (double s = -13.5; s <= 16; s += 0.25) {
                double f = tw.cdf(s);
                assertTrue(f >= previous - 1e-15 && f <= 1 + 1e-15, "beta " + beta + " s " + s);
                previous = f;
            }
        }
    }

    @Test
    void quantilesAreCachedAndStable() {
        TracyWidom tw = TracyWidom.of(1);
        double first = tw.quantile(0.9);
        long start = System.nanoTime();
        double second = tw.quantile(0.9);
        long micros = (System.nanoTime() - start) / 1000;
        assertEquals(first, second, 0.0);
        assertTrue(micros < 1000, "cached quantile took " + micros + " us");
    }

    @Test
    void rejectsBadArguments() {
        assertSame(TracyWidom.of(1), TracyWidom.of(1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TracyWidom.of(4)).getMessage().contains("4"));
        assertThrows(IllegalArgumentException.class, () -> TracyWidom.of(1).quantile(1.5));
        assertThrows(IllegalArgumentException.class, () -> TracyWidom.of(1).quantile(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> TracyWidom.of(2).cdf(Double.NaN));
    }
}
