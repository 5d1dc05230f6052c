package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.OpenBlas;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BemaTest {
    private final SplittableRandom rng = new SplittableRandom(2026);

    @Test
    void pureNoiseRarelyShowsSpikes() {
        // beta = 0.1 puts lambda_plus at the 90% point of the largest noise eigenvalue.
        // One BLAS thread: on a shared 2-core machine, two OpenBLAS threads competing with other
        // processes made syevd fifty times slower (4.9 s instead of 0.1 s per matrix).
        int threads = OpenBlas.threads();
        OpenBlas.setThreads(1);
        try {
            Bema bema = Bema.create().withBeta(0.1);
            int withSpikes = 0;
            int matrices = 100;
            for (int i = 0; i < matrices; i++) {
                BemaFit fit = bema.fit(RandomMatrices.gaussian(rng, 1000, 784, 1));
                assertEquals(1.0, fit.sigma2(), 0.02);
                if (fit.spikes() > 0) {
                    withSpikes++;
                }
            }
            assertTrue(withSpikes <= 15, withSpikes + " of " + matrices + " noise matrices showed spikes");
        } finally {
            OpenBlas.setThreads(threads);
        }
    }

    @Test
    void plantedSpikesWellAboveTheEdgeAreCountedExactly() {
        // Signal singular values 1.5 (1 + sqrt(gamma)) sigma sqrt(n) and above, far beyond the
        // BBP threshold gamma^(1/4) sigma sqrt(n). beta = 0.01 keeps the false-alarm rate of the
        // noise part (tested above) out of the way.
        Bema bema = Bema.create().withBeta(0.01);
        for (int rank = 1; rank <= 20; rank++) {
            boolean tall = rank % 2 == 0;
            int rows = tall ? 360 : 150;
            int cols = tall ? 150 : 360;
            double sigma = 0.5;
            double gamma = 150.0 / 360;
            DMatrix w = RandomMatrices.gaussian(rng, rows, cols, sigma);
            double[] strengths = new double[rank];
            for (int j = 0; j < rank; j++) {
                strengths[j] = 1.5 * (1 + Math.sqrt(gamma)) * sigma * Math.sqrt(360) * (1 + 0.1 * j);
            }
            RandomMatrices.plant(rng, w, strengths);
            BemaFit fit = bema.fit(w);
            assertEquals(rank, fit.spikes(), "planted rank " + rank);
            // the signal pushes the bulk up a little (by 15% at rank 20 of 150): sigma2 errs high
            assertEquals(1.1 * sigma * sigma, fit.sigma2(), 0.1 * sigma * sigma, "rank " + rank);
            assertTrue(fit.goodFit(), "rank " + rank + " fit error " + fit.fitError());
        }
    }

    @Test
    void fitRecordsItsInputs() {
        DMatrix w = RandomMatrices.gaussian(rng, 40, 100, 1);
        BemaFit fit = Bema.create().withAlpha(0.25).withBeta(0.05).withCutoff(0.3).fit(w);
        assertEquals(0.25, fit.alpha());
        assertEquals(0.05, fit.beta());
        assertEquals(0.3, fit.cutoff());
        assertFalse(fit.notebookQuirks());
        assertEquals(40, fit.p());
        assertEquals(100, fit.n());
        assertEquals(0.4, fit.gamma());
        assertEquals(TracyWidom.of(1).quantile(0.95), fit.tracyWidomQuantile(), 0.0);
        assertEquals(Math.sqrt(100 * fit.lambdaPlus()), fit.sPlus(), 1e-12);
        assertArrayEquals(GramSpectrum.of(w).eigenvalues(), fit.eigenvalues(), 0.0);
        double[] copy = fit.eigenvalues();
        copy[0] = -1;
        assertNotEquals(-1.0, fit.eigenvalues()[0], "eigenvalues are returned as a copy");
        assertEquals(fit, Bema.create().withAlpha(0.25).withBeta(0.05).withCutoff(0.3).fit(w));
        assertEquals(fit.hashCode(), Bema.create().withAlpha(0.25).withBeta(0.05).withCutoff(0.3).fit(w).hashCode());
    }

    @Test
    void fitOnEigenvaluesEqualsFitOnTheMatrix() {
        DMatrix w = RandomMatrices.gaussian(rng, 70, 50, 1);
        double[] e = GramSpectrum.of(w).eigenvalues();
        assertEquals(Bema.create().fit(w), Bema.create().fit(e, 50, 70));
    }

    @Test
    void defaultsAndToString() {
        Bema bema = Bema.create();
        assertEquals(0.2, bema.alpha());
        assertEquals(0.1, bema.beta());
        assertEquals(0.1, bema.cutoff());
        assertFalse(bema.notebookQuirks());
        assertEquals("Bema[alpha=0.2, beta=0.1, cutoff=0.1, notebookQuirks=false]", bema.toString());
        assertEquals(GramSpectrum.Scaling.BY_COLUMNS, bema.withNotebookQuirks(true).scaling());
    }

    @Test
    void notebookQuirks() {
        DMatrix tall = RandomMatrices.gaussian(rng, 300, 100, 1);
        RandomMatrices.plant(rng, tall, new double[] {80, 60});
        BemaFit correct = Bema.create().fit(tall);
        BemaFit notebook = Bema.create().withNotebookQuirks(true).fit(tall);
        // eigenvalues divided by cols = 100 instead of n = 300: three times larger
        assertEquals(3 * correct.sigma2(), notebook.sigma2(), 1e-12 * notebook.sigma2());
        assertEquals(2, correct.spikes());
        assertEquals(2, notebook.spikes());
        // the margin factor (1 + sqrt(gamma))^4 / 3 instead of ^(4/3)
        double g = 1.0 / 3;
        double t = TracyWidom.of(1).quantile(0.9);
        double scale = t * Math.pow(300, -2.0 / 3) * Math.pow(g, -1.0 / 6);
        double edge = Math.pow(1 + Math.sqrt(g), 2);
        assertEquals(correct.sigma2() * (edge + scale * Math.pow(1 + Math.sqrt(g), 4.0 / 3)), correct.lambdaPlus(), 1e-12);
        assertEquals(notebook.sigma2() * (edge + scale * Math.pow(1 + Math.sqrt(g), 4) / 3), notebook.lambdaPlus(), 1e-12);
    }

    @Test
    void notebookDistributionFunctionIsZeroAboveTheEdge() {
        // A spectrum whose upper fit range lies above the fitted MP edge: there the correct
        // distribution function is 1 and the notebook's is 0, so its fit error is larger.
        double[] lambda = {0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 5, 6, 7, 8};
        BemaFit correct = Bema.create().fit(lambda, 10, 100);
        BemaFit notebook = Bema.create().withNotebookQuirks(true).fit(lambda, 10, 100);
        double edge = new MarchenkoPastur(0.1, correct.sigma2()).upperEdge();
        assertTrue(lambda[7] > edge, "the fit range reaches above the edge " + edge);
        assertEquals(correct.sigma2(), notebook.sigma2(), 0.0);
        // last fitted index j = 5 of m = 6: target 0.2 + 0.6 * 5 / 6 = 0.7
        assertEquals(0.7, notebook.fitError(), 1e-12);
        assertTrue(notebook.fitError() > correct.fitError());
    }

    @Test
    void allZeroMatrixIsDefinedAndNeverAGoodFit() {
        for (Bema bema : new Bema[] {Bema.create(), Bema.create().withCutoff(5)}) {
            BemaFit fit = bema.fit(DMatrix.zeros(20, 30));
            assertEquals(0.0, fit.sigma2(), 0.0);
            assertEquals(0.0, fit.lambdaPlus(), 0.0);
            assertEquals(0, fit.spikes());
            assertFalse(fit.goodFit());
        }
    }

    @Test
    void nonFiniteInputIsRejectedClearly() {
        DMatrix w = RandomMatrices.gaussian(rng, 10, 20, 1);
        w.set(3, 4, Double.NaN);
        var e = assertThrows(IllegalArgumentException.class, () -> Bema.create().fit(w));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        w.set(3, 4, Double.POSITIVE_INFINITY);
        e = assertThrows(IllegalArgumentException.class, () -> Bema.create().fit(w));
        assertTrue(e.getMessage().contains("Infinity"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Bema.create().fit(new double[] {0.1, Double.NaN, 1}, 3, 10));
        assertTrue(e.getMessage().contains("eigenvalue 1 is NaN"), e.getMessage());
    }

    @Test
    void badEigenvalueArraysAreRejected() {
        Bema bema = Bema.create();
        assertThrows(IllegalArgumentException.class, () -> bema.fit(new double[] {1, 0.5, 2}, 3, 10));
        assertThrows(IllegalArgumentException.class, () -> bema.fit(new double[] {-0.1, 0.5, 2}, 3, 10));
        assertThrows(IllegalArgumentException.class, () -> bema.fit(new double[] {0.1, 0.5}, 3, 10));
        assertThrows(IllegalArgumentException.class, () -> bema.fit(new double[] {0.1, 0.5, 2}, 3, 2));
    }

    @Test
    void tooSmallSpectraAreRejectedClearly() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Bema.create().fit(RandomMatrices.gaussian(rng, 1, 50, 1)));
        assertTrue(e.getMessage().contains("fit range is empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Bema.create().fit(RandomMatrices.gaussian(rng, 2, 2, 1)));
        assertTrue(e.getMessage().contains("lower edge"), e.getMessage());
        // 2 x 3 has gamma < 1, so its one fitted quantile is positive
        assertEquals(2, Bema.create().fit(RandomMatrices.gaussian(rng, 2, 3, 1)).p());
    }

    @Test
    void edgeShapesGiveDefinedResults() {
        BemaFit nearZeroGamma = Bema.create().fit(RandomMatrices.gaussian(rng, 10, 1000, 1));
        assertEquals(0.01, nearZeroGamma.gamma());
        assertEquals(1.0, nearZeroGamma.sigma2(), 0.1);
        assertEquals(0, nearZeroGamma.spikes());

        BemaFit square = Bema.create().fit(RandomMatrices.gaussian(rng, 120, 120, 1));
        assertEquals(1.0, square.gamma());
        assertEquals(1.0, square.sigma2(), 0.1);
        assertEquals(0, square.spikes());
        assertTrue(square.goodFit());
    }

    @Test
    void equalSingularValuesAreNotMistakenForSignal() {
        double[] equal = new double[40];
        Arrays.fill(equal, 2.5);
        BemaFit fit = Bema.create().fit(equal, 40, 90);
        assertEquals(0, fit.spikes());
        assertFalse(fit.goodFit(), "a point mass is not Marchenko-Pastur");
    }

    @Test
    void scaleDoesNotChangeTheDecision() {
        DMatrix w = RandomMatrices.gaussian(rng, 60, 150, 1);
        RandomMatrices.plant(rng, w, new double[] {40, 30, 25});
        BemaFit unit = Bema.create().fit(w);
        for (double factor : new double[] {1e30, 1e-30}) {
            double[] scaled = w.data().clone();
            for (int i = 0; i < scaled.length; i++) {
                scaled[i] *= factor;
            }
            BemaFit fit = Bema.create().fit(DMatrix.wrap(60, 150, scaled));
            assertEquals(unit.spikes(), fit.spikes(), "factor " + factor);
            assertEquals(unit.sigma2() * factor * factor, fit.sigma2(), 1e-10 * fit.sigma2(), "factor " + factor);
            assertEquals(unit.fitError(), fit.fitError(), 1e-10, "factor " + factor);
        }
        assertEquals(3, unit.spikes());
    }

    @Test
    void rankDeficientMatrixIsDefined() {
        // rank 10 and no noise: the fit range holds only (round-off) zeros, so sigma2 = 0 and
        // exactly the non-zero eigenvalues are spikes
        DMatrix w = DMatrix.zeros(80, 200);
        RandomMatrices.plant(rng, w, new double[] {50, 45, 40, 35, 30, 25, 20, 15, 10, 5});
        BemaFit fit = Bema.create().fit(w);
        assertEquals(0.0, fit.sigma2(), 0.0);
        assertEquals(10, fit.spikes());
        assertFalse(fit.goodFit());
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> Bema.create().withAlpha(0.5));
        assertThrows(IllegalArgumentException.class, () -> Bema.create().withAlpha(0));
        assertThrows(IllegalArgumentException.class, () -> Bema.create().withBeta(1));
        assertThrows(IllegalArgumentException.class, () -> Bema.create().withBeta(Double.NaN));
        var e = assertThrows(IllegalArgumentException.class, () -> Bema.create().withCutoff(-1));
        assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
    }
}
