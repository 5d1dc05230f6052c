package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The power-law fit of SPEC section 9 against its definition evaluated the slow way. */
class PowerLawFitterTest {
    private final SplittableRandom rng = new SplittableRandom(20261130);

    /** n sorted samples of a Pareto law with density ~ x^(-alpha) on [xmin, inf). */
    static double[] pareto(SplittableRandom rng, int n, double alpha, double xmin) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = xmin * Math.pow(1 - rng.nextDouble(), -1 / (alpha - 1));
        }
        Arrays.sort(x);
        return x;
    }

    /** A Marchenko–Pastur bulk of p values (its quantiles at (i + 1/2) / p) plus a Pareto tail. */
    static double[] bulkWithTail(SplittableRandom rng, int p, int spikes, double alpha) {
        MarchenkoPastur mp = new MarchenkoPastur(0.5, 1);
        double[] x = new double[p];
        for (int i = 0; i < p - spikes; i++) {
            x[i] = mp.quantile((i + 0.5) / (p - spikes));
        }
        double[] tail = pareto(rng, spikes, alpha, mp.upperEdge());
        System.arraycopy(tail, 0, x, p - spikes, spikes);
        Arrays.sort(x);
        return x;
    }

    /** The fit by its definition: every candidate, alpha from plain log sums, D by a full pass. */
    private static double[] slowFit(double[] x) {
        int m = x.length;
        double bestD = Double.POSITIVE_INFINITY;
        double bestAlpha = Double.NaN;
        double bestXmin = Double.NaN;
        int bestTail = -1;
        double[] logs = new double[m];
        for (int k = 0; k < m; k++) {
            logs[k] = Math.log(x[k]);
        }
        for (int j = 0; j < m - 1; j++) {
            double sum = 0;
            for (int k = j; k < m; k++) {
                sum += Math.log(x[k] / x[j]);
            }
            if (sum <= 0) {
                continue;
            }
            double alpha = 1 + (m - j) / sum;
            double d = PowerLawDistances.distanceByFullPass(logs, j, alpha);
            if (d < bestD) {
                bestD = d;
                bestAlpha = alpha;
                bestXmin = x[j];
                bestTail = m - j;
            }
        }
        return new double[] {bestAlpha, bestXmin, bestD, bestTail};
    }

    @Test
    void fastDistanceIsTheFullPassDistanceBitForBit() {
        double[][] spectra = {
            pareto(rng, 1500, 2.5, 1), pareto(rng, 800, 1.3, 0.01), bulkWithTail(rng, 1200, 40, 3),
            bulkWithTail(rng, 600, 5, 8), withTies(pareto(rng, 700, 4, 2)),
        };
        for (double[] x : spectra) {
            double[] logs = Arrays.stream(x).map(Math::log).toArray();
            double[] sums = PowerLawFitter.tailLogSums(logs);
            PowerLawDistances distances = new PowerLawDistances(logs);
            for (int j = 0; j < x.length - 1; j++) {
                if (sums[j] > 0) {
                    double alpha = 1 + (x.length - j) / sums[j];
                    double exact = PowerLawDistances.distanceByFullPass(logs, j, alpha);
                    assertEquals(exact, distances.distance(j, alpha), 0.0, "candidate " + j);
                    // the cheaper question agrees with the answer on either side of it
                    assertTrue(distances.exceeds(j, alpha, exact * (1 - 1e-9)), "candidate " + j);
                    assertFalse(distances.exceeds(j, alpha, exact), "candidate " + j);
                }
            }
        }
    }

    private static double[] withTies(double[] x) {
        double[] tied = x.clone();
        for (int i = 1; i < tied.length; i += 3) {
            tied[i] = tied[i - 1];
        }
        tied[tied.length - 1] = tied[tied.length - 2];
        return tied;
    }

    @Test
    void fitIsTheDefinitionEvaluatedSlowly() {
        double[][] spectra = {pareto(rng, 900, 2.5, 1), bulkWithTail(rng, 1000, 30, 3.5), withTies(pareto(rng, 500, 3, 1))};
        for (double[] x : spectra) {
            double[] slow = slowFit(x);
            PowerLawFit fit = PowerLawFitter.create().fit(x);
            assertEquals(slow[1], fit.xmin(), 0.0);
            assertEquals((int) slow[3], fit.numPlSpikes());
            assertEquals(slow[0], fit.alpha(), 1e-12 * slow[0]);
            assertEquals(slow[2], fit.distance(), 1e-12);
            assertEquals((fit.alpha() - 1) / Math.sqrt(fit.numPlSpikes()), fit.sigma(), 0.0);
            assertEquals(x[x.length - 1], fit.xmax(), 0.0);
        }
    }

    @Test
    void matchesTheSlowSearchOnManySmallSpectra() {
        for (int trial = 0; trial < 200; trial++) {
            int m = 2 + rng.nextInt(250);
            double[] x = new double[m];
            int kind = trial % 4;
            for (int i = 0; i < m; i++) {
                double u = rng.nextDouble();
                x[i] = switch (kind) {
                    case 0 -> Math.pow(1 - u, -1 / (0.2 + 3 * rng.nextDouble()));
                    case 1 -> 1 + rng.nextInt(6); // many ties
                    case 2 -> Math.exp(3 * rng.nextGaussian());
                    default -> u * u + 1e-3;
                };
            }
            Arrays.sort(x);
            if (x[0] == x[m - 1]) {
                continue;
            }
            double[] slow = slowFit(x);
            PowerLawFit fit = PowerLawFitter.create().fit(x);
            String label = "trial " + trial + ", m = " + m;
            assertEquals((int) slow[3], fit.numPlSpikes(), label);
            assertEquals(slow[1], fit.xmin(), 0.0, label);
            assertEquals(slow[2], fit.distance(), 1e-12, label);
        }
    }

    @Test
    void recoversTheExponentOfAParetoSample() {
        for (double alpha : new double[] {1.5, 2.5, 4, 7}) {
            PowerLawFit fit = PowerLawFitter.create().fit(pareto(rng, 4000, alpha, 3));
            assertEquals(alpha, fit.alpha(), 4 * fit.sigma() + 0.05, "alpha " + alpha);
            assertTrue(fit.distance() < 0.05, fit.toString());
        }
    }

    @Test
    void candidatesCoverEveryEigenvalueButTheLargest() {
        double[] x = pareto(rng, 300, 3, 1);
        PowerLawFit fit = PowerLawFitter.create().fit(x);
        assertArrayEquals(Arrays.copyOf(x, 299), fit.candidateXmins(), 0.0);
        int chosen = Arrays.binarySearch(fit.candidateXmins(), fit.xmin());
        assertEquals(fit.alpha(), fit.candidateAlphas()[chosen], 0.0);
        assertArrayEquals(Arrays.copyOfRange(x, 300 - fit.numPlSpikes(), 300), fit.tail(), 0.0);
    }

    @Test
    void doesNotDependOnTheScale() {
        double[] x = bulkWithTail(rng, 500, 20, 3);
        PowerLawFit fit = PowerLawFitter.create().fit(x);
        for (double scale : new double[] {1e-200, 1e-7, 3, 1e250}) {
            double[] scaled = Arrays.stream(x).map(v -> v * scale).toArray();
            PowerLawFit other = PowerLawFitter.create().fit(scaled);
            assertEquals(fit.numPlSpikes(), other.numPlSpikes(), "scale " + scale);
            assertEquals(fit.alpha(), other.alpha(), 1e-9 * fit.alpha());
            assertEquals(fit.distance(), other.distance(), 1e-9);
            assertEquals(fit.xmin() * scale, other.xmin(), 1e-12 * other.xmin());
        }
    }

    @Test
    void zerosAndValuesAtTheFloorAreLeftOut() {
        double[] x = pareto(rng, 200, 3, 1);
        double[] padded = new double[230];
        System.arraycopy(x, 0, padded, 30, 200);
        padded[29] = 1e-7;
        PowerLawFit plain = PowerLawFitter.create().fit(x);
        PowerLawFit withZeros = PowerLawFitter.create().withFloor(PowerLawFitter.WEIGHTWATCHER_FLOOR).fit(padded);
        assertEquals(plain.alpha(), withZeros.alpha(), 0.0);
        assertEquals(plain.xmin(), withZeros.xmin(), 0.0);
        assertEquals(200, withZeros.eigenvalues().length);
        assertEquals(201, PowerLawFitter.create().fit(padded).eigenvalues().length);
    }

    @Test
    void twoValuesGiveTheClosedForm() {
        PowerLawFit fit = PowerLawFitter.create().fit(new double[] {0, 2, 5});
        double alpha = 1 + 2 / Math.log(2.5);
        assertEquals(alpha, fit.alpha(), 1e-15 * alpha);
        assertEquals(2, fit.xmin(), 0.0);
        assertEquals(2, fit.numPlSpikes());
        assertEquals(Math.abs(1 - Math.pow(2.5, 1 - alpha) - 0.5), fit.distance(), 1e-15);
    }

    @Test
    void tiesAtTheTopAreNeverChosen() {
        // candidate 2 (value 4, tied with the largest) has an infinite alpha
        PowerLawFit fit = PowerLawFitter.create().fit(new double[] {1, 2, 4, 4});
        assertEquals(2, fit.candidateXmins().length);
        assertTrue(Double.isFinite(fit.alpha()));
        assertTrue(fit.xmin() < 4);
    }

    @Test
    void degenerateSpectraAreRejected() {
        PowerLawFitter fitter = PowerLawFitter.create();
        assertThrows(IllegalArgumentException.class, () -> fitter.fit(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> fitter.fit(new double[] {3}));
        assertThrows(IllegalArgumentException.class, () -> fitter.fit(new double[] {0, 0, 0, 3}));
        assertThrows(IllegalArgumentException.class, () -> fitter.fit(new double[] {2, 2, 2}));
        assertThrows(IllegalArgumentException.class, () -> fitter.fit(new double[] {0, 1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> fitter.fit(new double[] {-1e-3, 1, 2}));
        assertThrows(IllegalArgumentException.class, () -> fitter.fit(new double[] {1, 3, 2}));
        assertThrows(IllegalArgumentException.class, () -> fitter.fit(new double[] {1, 2, Double.POSITIVE_INFINITY}));
        assertThrows(IllegalArgumentException.class, () -> fitter.withFloor(-1));
        assertThrows(IllegalArgumentException.class, () -> fitter.withFloor(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> fitter.withFloor(2).fit(new double[] {1, 2, 3}));
    }

    @Test
    void fingersKeepXminInTheWindowAroundThePeak() {
        // a dense stack of near-equal values (the "finger") above a bulk: the peak is the stack
        double[] x = bulkWithTail(rng, 2000, 60, 2.5);
        PowerLawFit free = PowerLawFitter.create().fit(x);
        PowerLawFit fixed = PowerLawFitter.create().withFingers(true).fit(x);
        double peak = SpectrumPeak.of(x);
        assertEquals(peak, fixed.xPeak(), 0.0);
        assertTrue(fixed.fingers() && !free.fingers() && Double.isNaN(free.xPeak()));
        for (double xmin : fixed.candidateXmins()) {
            assertTrue(xmin >= 0.95 * peak && xmin <= 1.5 * peak, xmin + " outside the window of " + peak);
        }
        assertTrue(fixed.candidateXmins().length < free.candidateXmins().length);
        assertTrue(fixed.distance() >= free.distance());
    }

    @Test
    void fingersWithAnEmptyWindowAreRejected() {
        // the peak bin holds 50 values equal to the largest: none of them gives a finite alpha
        double[] x = new double[51];
        Arrays.fill(x, 1);
        x[0] = 1e-3;
        assertThrows(IllegalArgumentException.class, () -> PowerLawFitter.create().withFingers(true).fit(x));
    }

    @Test
    void fitterIsAnImmutableValue() {
        PowerLawFitter fitter = PowerLawFitter.create();
        assertEquals(fitter, PowerLawFitter.create());
        assertFalse(fitter.withFingers(true).equals(fitter));
        assertEquals(0.0, fitter.floor());
        PowerLawFit fit = fitter.withFloor(0.5).withFingers(true).fit(bulkWithTail(rng, 400, 20, 3));
        assertEquals(fitter.withFloor(0.5).withFingers(true), fit.settings());
        double[] tail = fit.tail();
        tail[0] = -1;
        assertEquals(fit.xmin(), fit.tail()[0], 0.0);
    }

    @Test
    void densityAndCdfAreThoseOfTheFittedLaw() {
        PowerLawFit fit = PowerLawFitter.create().fit(pareto(rng, 500, 3, 2));
        double xmin = fit.xmin();
        assertEquals(0, fit.cdf(xmin), 0.0);
        assertEquals(0, fit.density(xmin / 2), 0.0);
        assertEquals((fit.alpha() - 1) / xmin, fit.density(xmin), 1e-15);
        // the density integrates to the cdf: trapezoid on a log grid from xmin to 10 xmin
        double integral = 0;
        int steps = 20000;
        for (int i = 0; i < steps; i++) {
            double a = xmin * Math.pow(10, (double) i / steps);
            double b = xmin * Math.pow(10, (double) (i + 1) / steps);
            integral += (b - a) * (fit.density(a) + fit.density(b)) / 2;
        }
        assertEquals(fit.cdf(10 * xmin), integral, 1e-7);
        assertEquals(fit.alpha() < 2, fit.possiblyOverTrained());
        assertEquals(fit.alpha() > 6, fit.possiblyUnderTrained());
    }
}
