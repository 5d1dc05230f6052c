package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The truncated power law's integrals and maximum-likelihood fit (HeavyTailReferenceTest holds the mpmath checks). */
class TruncatedPowerLawTest {
    private final SplittableRandom rng = new SplittableRandom(20261201);

    /** n sorted samples of x^(-alpha) e^(-lambda x) on [xmin, inf), alpha &gt; 1, by rejection from the Pareto law. */
    private double[] sample(int n, double alpha, double lambda, double xmin) {
        double[] x = new double[n];
        for (int i = 0; i < n; ) {
            double candidate = xmin * Math.pow(1 - rng.nextDouble(), -1 / (alpha - 1));
            if (rng.nextDouble() < Math.exp(-lambda * (candidate - xmin))) {
                x[i++] = candidate;
            }
        }
        Arrays.sort(x);
        return x;
    }

    private static double powerLawAlpha(double[] tail) {
        double sum = 0;
        for (double x : tail) {
            sum += Math.log(x / tail[0]);
        }
        return 1 + tail.length / sum;
    }

    @Test
    void integralsMatchClosedForms() {
        // E_1(1) and E_2(1) = 1/e - E_1(1) (Abramowitz and Stegun 5.1); alpha = 0: E = e^-mu / mu
        assertEquals(Math.log(0.21938393439552027), TruncatedPowerLawIntegrals.at(1, 1).logE, 1e-14);
        assertEquals(Math.log(0.14849550677592206), TruncatedPowerLawIntegrals.at(2, 1).logE, 1e-14);
        TruncatedPowerLawIntegrals exponential = TruncatedPowerLawIntegrals.at(0, 0.25);
        assertEquals(-0.25 - Math.log(0.25), exponential.logE, 1e-14);
        assertEquals(4, exponential.meanU1, 1e-12); // mean of u - 1 is 1 / mu
        assertEquals(16, exponential.varU1, 1e-11); // variance 1 / mu^2
        // mu -> 0 with alpha > 3 is the Pareto law: E = 1 / (alpha - 1), E[ln u] = 1 / (alpha - 1)
        TruncatedPowerLawIntegrals pareto = TruncatedPowerLawIntegrals.at(4, 1e-14);
        assertEquals(-Math.log(3), pareto.logE, 1e-12);
        assertEquals(1.0 / 3, pareto.meanS, 1e-12);
        assertEquals(1.0 / 9, pareto.varS, 1e-12);
        assertEquals(0.5, pareto.meanU1, 1e-12); // (alpha - 1) / (alpha - 2) - 1
    }

    @Test
    void integralsStayFiniteForExtremeParameters() {
        for (double[] at : new double[][] {{-1e6, 1e6}, {1e5, 1e-3}, {-50, 1e-8}, {0.999, 1e-200}, {5000, 1e4}}) {
            TruncatedPowerLawIntegrals i = TruncatedPowerLawIntegrals.at(at[0], at[1]);
            assertTrue(Double.isFinite(i.logE) && i.varS > 0 && i.varU1 > 0, Arrays.toString(at));
            assertTrue(i.covar * i.covar <= i.varS * i.varU1 * (1 + 1e-9), Arrays.toString(at));
        }
        assertThrows(ArithmeticException.class, () -> TruncatedPowerLawIntegrals.at(2, 0));
        assertThrows(ArithmeticException.class, () -> TruncatedPowerLawIntegrals.at(Double.NaN, 1));
    }

    @Test
    void expm1MinusArgumentKeepsItsDigits() {
        for (double d : new double[] {1e-300, 1e-8, -1e-5, 0.05, -0.0999, 0.1, 0.2, -3, 20}) {
            java.math.BigDecimal x = new java.math.BigDecimal(d);
            java.math.BigDecimal term = java.math.BigDecimal.ONE;
            java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
            java.math.MathContext context = new java.math.MathContext(60);
            for (int k = 1; k < 200; k++) {
                term = term.multiply(x, context).divide(java.math.BigDecimal.valueOf(k), context);
                if (k >= 2) {
                    sum = sum.add(term, context);
                }
            }
            double exact = sum.doubleValue();
            assertEquals(exact, TruncatedPowerLawIntegrals.expm1MinusArgument(d), 4e-16 * Math.abs(exact), "d = " + d);
        }
    }

    @Test
    void recoversTheParametersOfALargeSample() {
        double[] x = sample(20_000, 1.8, 0.05, 1);
        TruncatedPowerLaw fit = TruncatedPowerLaw.fit(x, powerLawAlpha(x));
        assertEquals(1.8, fit.alpha(), 0.06);
        assertEquals(0.05, fit.lambda(), 0.01);
        assertEquals(20_000, fit.numPoints());
        assertTrue(fit.logLikelihoodRatio() < -10 && fit.pValue() < 1e-6, fit.toString());
        assertTrue(fit.cutoffSignificant(0.01));
    }

    @Test
    void theFitIsAMaximumOfTheLikelihoodOfItsNormalisedDensity() {
        double[] x = sample(500, 2.2, 0.2, 1.5);
        TruncatedPowerLaw fit = TruncatedPowerLaw.fit(x, powerLawAlpha(x));
        assertEquals(fit.logLikelihood(), logLikelihood(fit, x), 1e-9 * Math.abs(fit.logLikelihood()));
        for (double[] step : new double[][] {{1e-3, 0}, {-1e-3, 0}, {0, 1e-3}, {0, -1e-3}}) {
            double alpha = fit.alpha() + step[0];
            double lambda = fit.lambda() * (1 + step[1]);
            double logE = TruncatedPowerLawIntegrals.at(alpha, lambda * fit.xmin()).logE;
            TruncatedPowerLaw moved = new TruncatedPowerLaw(alpha, lambda, fit.xmin(), x.length, 0, 0, 0, 0, 1,
                    (1 - alpha) * Math.log(fit.xmin()) + logE);
            assertTrue(logLikelihood(moved, x) < fit.logLikelihood(), Arrays.toString(step));
        }
        // the density integrates to 1 (trapezoid on a log grid up to where e^(-lambda x) is negligible)
        double integral = 0;
        int steps = 200_000;
        double top = fit.xmin() + 60 / fit.lambda();
        for (int i = 0; i < steps; i++) {
            double a = fit.xmin() * Math.pow(top / fit.xmin(), (double) i / steps);
            double b = fit.xmin() * Math.pow(top / fit.xmin(), (double) (i + 1) / steps);
            integral += (b - a) * (fit.density(a) + fit.density(b)) / 2;
        }
        assertEquals(1, integral, 1e-6);
        assertTrue(fit.logLikelihoodRatio() <= 0);
        assertEquals(fit.powerLawLogLikelihood() - fit.logLikelihood(), fit.logLikelihoodRatio(), 1e-9);
    }

    private static double logLikelihood(TruncatedPowerLaw law, double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += Math.log(law.density(v));
        }
        return sum;
    }

    @Test
    void aTailHeavierThanItsPowerLawKeepsNoCutoff() {
        // alpha_PL near 7.9 predicts mean(u) near 1.17; the value 1000 makes the mean far larger
        double[] tail = new double[52];
        Arrays.fill(tail, 1.01);
        tail[0] = 1;
        tail[51] = 1000;
        double alpha = powerLawAlpha(tail);
        TruncatedPowerLaw fit = TruncatedPowerLaw.fit(tail, alpha);
        assertEquals(0, fit.lambda(), 0.0);
        assertEquals(alpha, fit.alpha(), 0.0);
        assertEquals(0, fit.logLikelihoodRatio(), 0.0);
        assertEquals(0, fit.normalizedRatio(), 0.0);
        assertEquals(1, fit.pValue(), 0.0);
        assertEquals(fit.powerLawLogLikelihood(), fit.logLikelihood(), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, fit.scale());
        assertFalse(fit.cutoffSignificant(0.05));
        assertEquals((alpha - 1) / tail[0] * Math.pow(5, -alpha), fit.density(5 * tail[0]), 1e-15);
    }

    @Test
    void doesNotDependOnTheScale() {
        double[] x = sample(400, 1.6, 0.1, 2);
        TruncatedPowerLaw fit = TruncatedPowerLaw.fit(x, powerLawAlpha(x));
        double[] scaled = Arrays.stream(x).map(v -> v * 1e-6).toArray();
        TruncatedPowerLaw other = TruncatedPowerLaw.fit(scaled, powerLawAlpha(scaled));
        assertEquals(fit.alpha(), other.alpha(), 1e-9);
        assertEquals(fit.lambda() * 1e6, other.lambda(), 1e-9 * other.lambda());
        assertEquals(fit.logLikelihoodRatio(), other.logLikelihoodRatio(), 1e-8);
        assertEquals(fit.pValue(), other.pValue(), 1e-9);
    }

    @Test
    void fitsTheTailOfAPowerLawFit() {
        double[] x = PowerLawFitterTest.bulkWithTail(rng, 1500, 80, 2.5);
        PowerLawFit powerLaw = PowerLawFitter.create().fit(x);
        TruncatedPowerLaw fit = TruncatedPowerLaw.fit(powerLaw);
        assertEquals(powerLaw.xmin(), fit.xmin(), 0.0);
        assertEquals(powerLaw.numPlSpikes(), fit.numPoints());
        assertEquals(TruncatedPowerLaw.fit(powerLaw.tail(), powerLaw.alpha()), fit);
    }

    @Test
    void aNarrowTailStillFits() {
        // nearly equal values: the optimum sits at a huge cutoff rate with a very negative alpha
        double[] tail = {1, 1.0001, 1.0003};
        TruncatedPowerLaw fit = TruncatedPowerLaw.fit(tail, powerLawAlpha(tail));
        assertTrue(Double.isFinite(fit.alpha()) && fit.lambda() > 1e5, fit.toString());
        assertTrue(fit.logLikelihoodRatio() <= 0 && fit.pValue() > 0.5, fit.toString());
    }

    @Test
    void degenerateTailsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TruncatedPowerLaw.fit(new double[] {2}, 3));
        assertThrows(IllegalArgumentException.class, () -> TruncatedPowerLaw.fit(new double[] {2, 2, 2}, 3));
        assertThrows(IllegalArgumentException.class, () -> TruncatedPowerLaw.fit(new double[] {0, 1, 2}, 3));
        assertThrows(IllegalArgumentException.class, () -> TruncatedPowerLaw.fit(new double[] {1, 3, 2}, 3));
        assertThrows(IllegalArgumentException.class, () -> TruncatedPowerLaw.fit(new double[] {1, 2, 3}, 1));
        assertThrows(IllegalArgumentException.class, () -> TruncatedPowerLaw.fit(new double[] {1, 2, 3},
                Double.POSITIVE_INFINITY));
    }
}
