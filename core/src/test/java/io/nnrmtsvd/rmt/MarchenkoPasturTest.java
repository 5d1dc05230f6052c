package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MarchenkoPasturTest {
    private static final double[] GAMMAS = {1e-3, 0.01, 0.1, 0.3, 0.5, 0.784, 0.99, 1.0};

    /**
     * The integral of the density from a to x by composite Simpson's rule after the substitution
     * x = a + (b - a)(1 - cos t)/2, which turns the square-root edges (and at gamma = 1 the pole
     * at 0) into a smooth integrand in t. Independent of the closed form.
     */
    private static double integratedCdf(MarchenkoPastur mp, double x) {
        double a = mp.lowerEdge();
        double b = mp.upperEdge();
        double end = Math.acos(1 - 2 * (x - a) / (b - a));
        int steps = 4000;
        double h = end / steps;
        double sum = 0;
        for (int k = 0; k <= steps; k++) {
            double t = k * h;
            double weight = k == 0 || k == steps ? 1 : (k % 2 == 1 ? 4 : 2);
            sum += weight * integrand(mp, t);
        }
        return sum * h / 3;
    }

    private static double integrand(MarchenkoPastur mp, double t) {
        double a = mp.lowerEdge();
        double b = mp.upperEdge();
        double halfWidth = (b - a) / 2;
        double x = a + halfWidth * (1 - Math.cos(t));
        // f(x) dx = sqrt((b-x)(x-a)) / (2 pi s2 g x) * halfWidth sin t dt, sqrt(...) = halfWidth sin t
        double sinT = Math.sin(t);
        if (x == 0) {
            // gamma = 1 at t = 0: sin^2 t / (1 - cos t) -> 2
            return halfWidth * 2 / (2 * Math.PI * mp.sigma2() * mp.gamma());
        }
        return halfWidth * halfWidth * sinT * sinT / (2 * Math.PI * mp.sigma2() * mp.gamma() * x);
    }

    @Test
    void closedFormCdfMatchesIntegratedDensity() {
        for (double gamma : GAMMAS) {
            for (double sigma2 : new double[] {1, 0.37, 12.5}) {
                MarchenkoPastur mp = new MarchenkoPastur(gamma, sigma2);
                for (int i = 1; i < 40; i++) {
                    double x = mp.lowerEdge() + (mp.upperEdge() - mp.lowerEdge()) * i / 40.0;
                    assertEquals(integratedCdf(mp, x), mp.cdf(x), Tolerances.MP_CDF,
                            "gamma " + gamma + " sigma2 " + sigma2 + " x " + x);
                }
            }
        }
    }

    @Test
    void quantileInvertsCdf() {
        for (double gamma : GAMMAS) {
            MarchenkoPastur mp = new MarchenkoPastur(gamma, 2.0);
            for (int i = 0; i <= 200; i++) {
                double x = mp.lowerEdge() + (mp.upperEdge() - mp.lowerEdge()) * i / 200.0;
                assertEquals(x, mp.quantile(mp.cdf(x)), Tolerances.MP_ROUND_TRIP * mp.upperEdge(),
                        "gamma " + gamma + " x " + x);
            }
            for (int i = 1; i < 100; i++) {
                double p = i / 100.0;
                assertEquals(p, mp.cdf(mp.quantile(p)), 1e-13, "gamma " + gamma + " p " + p);
            }
        }
    }

    @Test
    void edgesAndLimits() {
        MarchenkoPastur mp = new MarchenkoPastur(0.25, 4);
        assertEquals(4 * 0.25, mp.lowerEdge(), 1e-15);
        assertEquals(4 * 2.25, mp.upperEdge(), 1e-15);
        assertEquals(mp.lowerEdge(), mp.quantile(0), 0.0);
        assertEquals(mp.upperEdge(), mp.quantile(1), 0.0);
        assertEquals(0.0, mp.cdf(mp.lowerEdge()), 0.0);
        assertEquals(0.0, mp.cdf(-1), 0.0);
        assertEquals(1.0, mp.cdf(mp.upperEdge()), 0.0);
        assertEquals(1.0, mp.cdf(1e300), 0.0);
        assertEquals(0.0, mp.density(0.5), 0.0);
        assertEquals(0.0, mp.density(10), 0.0);
        assertEquals(4.0, mp.mean(), 0.0);
        assertEquals(0.25 * 16, mp.variance(), 0.0);
    }

    @Test
    void squareCaseHasItsSingularityAtZero() {
        MarchenkoPastur mp = new MarchenkoPastur(1, 1);
        assertEquals(0.0, mp.lowerEdge(), 0.0);
        assertEquals(4.0, mp.upperEdge(), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, mp.density(0));
        // near 0 the density behaves like 1 / (pi sqrt(x)), so F(x) ~ 2 sqrt(x) / pi
        double x = 1e-10;
        assertEquals(2 * Math.sqrt(x) / Math.PI, mp.cdf(x), 1e-14);
        assertEquals(x, mp.quantile(mp.cdf(x)), 1e-14);
        assertEquals(0.5, mp.cdf(mp.quantile(0.5)), 1e-15);
    }

    @Test
    void zeroScaleIsAPointMassAtZero() {
        MarchenkoPastur mp = new MarchenkoPastur(0.5, 0);
        assertEquals(0.0, mp.cdf(-1e-300), 0.0);
        assertEquals(1.0, mp.cdf(0), 0.0);
        assertEquals(0.0, mp.quantile(0.7), 0.0);
        assertEquals(0.0, mp.density(1), 0.0);
    }

    @Test
    void extremeScalesKeepTheShape() {
        MarchenkoPastur unit = new MarchenkoPastur(0.3, 1);
        for (double sigma2 : new double[] {1e-60, 1e60}) {
            MarchenkoPastur scaled = new MarchenkoPastur(0.3, sigma2);
            for (double p = 0.05; p < 1; p += 0.1) {
                assertEquals(unit.quantile(p) * sigma2, scaled.quantile(p), 1e-13 * sigma2);
                assertEquals(p, scaled.cdf(scaled.quantile(p)), 1e-13);
            }
        }
    }

    @Test
    void densityIntegratesToOne() {
        for (double gamma : GAMMAS) {
            MarchenkoPastur mp = new MarchenkoPastur(gamma, 1);
            assertEquals(1.0, integratedCdf(mp, mp.upperEdge()), Tolerances.MP_CDF, "gamma " + gamma);
        }
    }

    @Test
    void rejectsBadParametersNamingThem() {
        for (double gamma : new double[] {0, -0.1, 1.5, Double.NaN}) {
            var e = assertThrows(IllegalArgumentException.class, () -> new MarchenkoPastur(gamma, 1));
            assertTrue(e.getMessage().contains("gamma") && e.getMessage().contains(String.valueOf(gamma)), e.getMessage());
        }
        for (double sigma2 : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class, () -> new MarchenkoPastur(0.5, sigma2));
            assertTrue(e.getMessage().contains("sigma2") && e.getMessage().contains(String.valueOf(sigma2)), e.getMessage());
        }
        MarchenkoPastur mp = new MarchenkoPastur(0.5, 1);
        assertThrows(IllegalArgumentException.class, () -> mp.quantile(-0.1));
        assertThrows(IllegalArgumentException.class, () -> mp.quantile(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> mp.cdf(Double.NaN));
    }
}
