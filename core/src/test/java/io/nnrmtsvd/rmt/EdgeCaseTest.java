package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.DoubleLapack;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Numerical edge cases across the rmt package: shapes from gamma near 0 to square and 2 x 2,
 * spectra that are all equal, all zero, scaled to 1e30 or 1e-30, or denormal. Every result must be
 * defined: no NaN sigma2 or lambda_plus, ranks in [0, p], and no exception except the documented
 * IllegalArgumentException for spectra too small to fit (BEMA needs a non-empty fit range above
 * the MP lower edge). BemaTest and RankSelectorTest hold the statistical checks for the same
 * shapes (10 x 1000 noise, 120 x 120 noise, equal values, 1e30 and 1e-30 scaling); this class
 * sweeps all combinations for definedness.
 */
class EdgeCaseTest {
    private static final String[] RULES = {"bema", "mp-edge", "gavish-donoho", "energy:0.9", "rank:3"};
    private static final int[][] SHAPES = {{10, 1000}, {1000, 10}, {60, 60}, {2, 2}, {2, 3}, {1, 1}, {1, 7}, {7, 1}};

    private final SplittableRandom rng = new SplittableRandom(20261125);

    /** Named descending singular-value spectra of length p. */
    private List<Object[]> spectra(int rows, int cols) {
        int p = Math.min(rows, cols);
        double[] noise = DoubleLapack.svd(RandomMatrices.gaussian(rng, rows, cols, 1)).s();
        List<Object[]> spectra = new ArrayList<>();
        spectra.add(new Object[] {"noise", noise});
        spectra.add(new Object[] {"noise x 1e30", scaled(noise, 1e30)});
        spectra.add(new Object[] {"noise x 1e-30", scaled(noise, 1e-30)});
        spectra.add(new Object[] {"noise x 1e150", scaled(noise, 1e150)});
        spectra.add(new Object[] {"noise denormal", scaled(noise, 1e-160)});
        spectra.add(new Object[] {"noise x MIN_VALUE", scaled(noise, Double.MIN_VALUE)});
        double[] equal = new double[p];
        Arrays.fill(equal, 2.5);
        spectra.add(new Object[] {"equal", equal});
        double[] equalDenormal = new double[p];
        Arrays.fill(equalDenormal, 1e-310);
        spectra.add(new Object[] {"equal denormal", equalDenormal});
        spectra.add(new Object[] {"zero", new double[p]});
        double[] one = new double[p];
        one[0] = 1e30;
        spectra.add(new Object[] {"one value", one});
        double[] spiked = noise.clone();
        spiked[0] *= 50;
        spectra.add(new Object[] {"spiked", spiked});
        return spectra;
    }

    private static double[] scaled(double[] s, double factor) {
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i] * factor;
        }
        return out;
    }

    /** BEMA may refuse spectra whose fit range is empty or holds only the MP lower edge: p < 5 here. */
    private static boolean tooSmallForBema(int rows, int cols) {
        return Math.min(rows, cols) < 5 && !(rows == 2 && cols == 3);
    }

    @Test
    void selectorsGiveDefinedRanksOnEveryShapeAndSpectrum() {
        for (int[] shape : SHAPES) {
            int rows = shape[0];
            int cols = shape[1];
            int p = Math.min(rows, cols);
            for (Object[] spectrum : spectra(rows, cols)) {
                double[] s = (double[]) spectrum[1];
                for (String rule : RULES) {
                    String where = rule + " on " + spectrum[0] + " " + rows + "x" + cols;
                    RankSelector selector = RankSelectors.parse(rule, Bema.create());
                    int k;
                    try {
                        k = selector.select(s.clone(), rows, cols);
                    } catch (IllegalArgumentException e) {
                        assertTrue(rule.equals("bema") || rule.equals("mp-edge"), where + ": " + e.getMessage());
                        assertTrue(tooSmallForBema(rows, cols), where + ": " + e.getMessage());
                        continue;
                    }
                    assertTrue(k >= 0 && k <= p, where + ": " + k);
                }
            }
        }
    }

    @Test
    void bemaFitsAreDefinedOnEveryShapeAndSpectrum() {
        for (int[] shape : SHAPES) {
            int rows = shape[0];
            int cols = shape[1];
            for (Object[] spectrum : spectra(rows, cols)) {
                String where = spectrum[0] + " " + rows + "x" + cols;
                GramSpectrum gram = GramSpectrum.fromSingularValues((double[]) spectrum[1], rows, cols,
                        GramSpectrum.Scaling.BY_N);
                for (double lambda : gram.eigenvalues()) {
                    assertTrue(Double.isFinite(lambda) && lambda >= 0, where + ": eigenvalue " + lambda);
                }
                BemaFit fit;
                try {
                    fit = Bema.create().fit(gram);
                } catch (IllegalArgumentException e) {
                    assertTrue(tooSmallForBema(rows, cols), where + ": " + e.getMessage());
                    continue;
                }
                assertTrue(Double.isFinite(fit.sigma2()) && fit.sigma2() >= 0, where + ": sigma2 " + fit.sigma2());
                assertFalse(Double.isNaN(fit.lambdaPlus()), where + ": lambdaPlus NaN");
                assertTrue(fit.lambdaPlus() >= 0, where + ": lambdaPlus " + fit.lambdaPlus());
                assertFalse(Double.isNaN(fit.fitError()), where + ": fitError NaN");
                assertTrue(fit.spikes() >= 0 && fit.spikes() <= fit.p(), where + ": spikes " + fit.spikes());
            }
        }
    }

    @Test
    void noiseFitsAreScaleInvariantDownToDenormalsAndUpTo1e150() {
        DMatrix w = RandomMatrices.gaussian(rng, 60, 150, 1);
        double[] s = DoubleLapack.svd(w).s();
        BemaFit unit = new BemaSelector(Bema.create()).fit(s, 60, 150);
        for (double factor : new double[] {1e150, 1e30, 1e-30, 1e-150}) {
            BemaFit fit = new BemaSelector(Bema.create()).fit(scaled(s, factor), 60, 150);
            String where = "factor " + factor;
            assertEquals(unit.spikes(), fit.spikes(), where);
            assertEquals(unit.sigma2(), fit.sigma2() / (factor * factor), 1e-9 * unit.sigma2(), where);
            assertEquals(unit.fitError(), fit.fitError(), 1e-9, where);
        }
    }

    @Test
    void eigenvaluesNearTheTopOfTheDoubleRangeDoNotOverflowTheFit() {
        DMatrix w = RandomMatrices.gaussian(rng, 40, 100, 1);
        double[] lambda = GramSpectrum.of(w).eigenvalues();
        BemaFit unit = Bema.create().fit(lambda, 40, 100);
        double factor = 1e307 / lambda[lambda.length - 1];
        BemaFit fit = Bema.create().fit(scaled(lambda, factor), 40, 100);
        assertTrue(Double.isFinite(fit.sigma2()), "sigma2 " + fit.sigma2());
        assertEquals(unit.sigma2(), fit.sigma2() / factor, 1e-9 * unit.sigma2());
        assertEquals(unit.spikes(), fit.spikes());
        assertEquals(unit.fitError(), fit.fitError(), 1e-9);
        assertFalse(Double.isNaN(fit.lambdaPlus()));
    }

    @Test
    void gramSpectrumOfMatricesWithExtremeEntries() {
        for (double value : new double[] {1e30, 1e-30, 1e-160, Double.MIN_NORMAL, Double.MIN_VALUE}) {
            for (int[] shape : SHAPES) {
                DMatrix w = RandomMatrices.gaussian(rng, shape[0], shape[1], 1);
                double[] data = w.data();
                for (int i = 0; i < data.length; i++) {
                    data[i] *= value;
                }
                double[] lambda = GramSpectrum.of(w).eigenvalues();
                for (int i = 0; i < lambda.length; i++) {
                    assertTrue(Double.isFinite(lambda[i]) && lambda[i] >= 0,
                            value + " " + shape[0] + "x" + shape[1] + ": " + lambda[i]);
                    assertTrue(i == 0 || lambda[i] >= lambda[i - 1], "ascending");
                }
            }
        }
        double[] equal = new double[12 * 30];
        Arrays.fill(equal, 1.0);
        double[] rankOne = GramSpectrum.of(DMatrix.wrap(12, 30, equal)).eigenvalues();
        assertEquals(12.0, rankOne[11], 1e-12, "all-ones 12x30: one eigenvalue 12 * 30 / 30");
        for (int i = 0; i < 11; i++) {
            assertEquals(0.0, rankOne[i], 0.0, "the others are clamped round-off");
        }
    }

    @Test
    void marchenkoPasturAtTheEdgesOfItsParameters() {
        double[] gammas = {1e-12, 0.01, 0.5, 1 - 1e-12, 1};
        double[] sigma2s = {0, Double.MIN_VALUE, 1e-310, 1e-30, 1, 1e30, 1e300};
        double[] probs = {0, 1e-300, 1e-12, 0.1, 0.5, 0.9, 1 - 1e-12, 1};
        for (double gamma : gammas) {
            for (double sigma2 : sigma2s) {
                MarchenkoPastur mp = new MarchenkoPastur(gamma, sigma2);
                String where = mp.toString();
                assertTrue(mp.lowerEdge() >= 0 && mp.lowerEdge() <= mp.upperEdge(), where);
                assertFalse(Double.isNaN(mp.upperEdge()), where);
                double previous = -1;
                for (double prob : probs) {
                    double x = mp.quantile(prob);
                    assertFalse(Double.isNaN(x), where + " quantile(" + prob + ")");
                    assertTrue(x >= mp.lowerEdge() && x <= mp.upperEdge(), where + " quantile(" + prob + ") = " + x);
                    assertTrue(x >= previous, where + ": quantiles ascend");
                    previous = x;
                    double p = mp.cdf(x);
                    assertTrue(p >= 0 && p <= 1, where + " cdf " + p);
                }
                for (double x : new double[] {Double.NEGATIVE_INFINITY, -1, 0, Double.MIN_VALUE, 1, 1e300,
                    Double.MAX_VALUE, Double.POSITIVE_INFINITY}) {
                    double p = mp.cdf(x);
                    assertTrue(p >= 0 && p <= 1, where + " cdf(" + x + ") = " + p);
                    assertFalse(Double.isNaN(mp.density(x)), where + " density(" + x + ")");
                }
                assertEquals(0.0, mp.cdf(-1), where);
                assertEquals(1.0, mp.cdf(Double.POSITIVE_INFINITY), where);
            }
        }
        MarchenkoPastur square = new MarchenkoPastur(1, 1);
        assertEquals(0.0, square.lowerEdge());
        assertEquals(4.0, square.upperEdge());
        assertEquals(0.5, square.cdf(square.quantile(0.5)), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new MarchenkoPastur(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new MarchenkoPastur(1, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> square.cdf(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> square.quantile(Double.NaN));
    }
}
