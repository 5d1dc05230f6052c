package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.DoubleBlas;
import io.nnrmtsvd.linalg.DoubleLapack;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GramSpectrumTest {
    private final SplittableRandom rng = new SplittableRandom(11);

    private static double[] squaredOverN(double[] singularValues, double divisor) {
        int p = singularValues.length;
        double[] e = new double[p];
        for (int i = 0; i < p; i++) {
            e[i] = singularValues[p - 1 - i] * singularValues[p - 1 - i] / divisor;
        }
        return e;
    }

    @Test
    void eigenvaluesAreSquaredSingularValuesOverN() {
        for (int[] shape : new int[][] {{30, 70}, {70, 30}, {40, 40}, {1, 9}, {9, 1}}) {
            DMatrix w = RandomMatrices.gaussian(rng, shape[0], shape[1], 1);
            GramSpectrum spectrum = GramSpectrum.of(w);
            int n = Math.max(shape[0], shape[1]);
            double[] expected = squaredOverN(DoubleLapack.svd(w).s(), n);
            double largest = expected[expected.length - 1];
            assertArrayEquals(expected, spectrum.eigenvalues(), Tolerances.GRAM_DOUBLE * largest,
                    shape[0] + "x" + shape[1]);
            assertEquals(Math.min(shape[0], shape[1]), spectrum.p());
            assertEquals(n, spectrum.n());
            assertEquals((double) spectrum.p() / n, spectrum.gamma(), 0.0);
        }
    }

    @Test
    void notebookScalingDividesByColumns() {
        DMatrix tall = RandomMatrices.gaussian(rng, 60, 20, 1);
        double[] byN = GramSpectrum.of(tall, GramSpectrum.Scaling.BY_N).eigenvalues();
        double[] byColumns = GramSpectrum.of(tall, GramSpectrum.Scaling.BY_COLUMNS).eigenvalues();
        for (int i = 0; i < byN.length; i++) {
            assertEquals(byN[i] * 60 / 20, byColumns[i], 1e-12 * byColumns[i]);
        }
        DMatrix wide = tall.transpose();
        assertArrayEquals(GramSpectrum.of(wide, GramSpectrum.Scaling.BY_N).eigenvalues(),
                GramSpectrum.of(wide, GramSpectrum.Scaling.BY_COLUMNS).eigenvalues(), 0.0);
    }

    @Test
    void singlePrecisionRouteIsClose() {
        DMatrix w = RandomMatrices.gaussian(rng, 50, 120, 0.3);
        float[][] f = new float[50][120];
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 120; j++) {
                f[i][j] = (float) w.get(i, j);
            }
        }
        double[] exact = GramSpectrum.of(w).eigenvalues();
        double[] single = GramSpectrum.ofSinglePrecision(f, GramSpectrum.Scaling.BY_N).eigenvalues();
        assertArrayEquals(exact, single, Tolerances.GRAM_FLOAT * exact[exact.length - 1]);
        // tall input takes the transposed route
        float[][] tall = new float[120][50];
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 120; j++) {
                tall[j][i] = f[i][j];
            }
        }
        assertArrayEquals(exact, GramSpectrum.ofSinglePrecision(tall, GramSpectrum.Scaling.BY_N).eigenvalues(),
                Tolerances.GRAM_FLOAT * exact[exact.length - 1]);
    }

    @Test
    void fromSingularValuesMatchesTheMatrixRoute() {
        DMatrix w = RandomMatrices.gaussian(rng, 45, 25, 2);
        double[] s = DoubleLapack.svd(w).s();
        for (GramSpectrum.Scaling scaling : GramSpectrum.Scaling.values()) {
            double[] fromMatrix = GramSpectrum.of(w, scaling).eigenvalues();
            double[] fromValues = GramSpectrum.fromSingularValues(s, 45, 25, scaling).eigenvalues();
            assertArrayEquals(fromMatrix, fromValues, Tolerances.GRAM_DOUBLE * fromMatrix[24]);
            double[] gram = DoubleLapack.symmetricEigenvalues(DoubleBlas.smallGram(w, 1.0));
            double[] fromGram = GramSpectrum.ofGramEigenvalues(gram, 45, 25, scaling).eigenvalues();
            assertArrayEquals(fromMatrix, fromGram, Tolerances.GRAM_DOUBLE * fromMatrix[24]);
        }
        assertThrows(IllegalArgumentException.class, () -> GramSpectrum.ofGramEigenvalues(new double[24], 45, 25,
                GramSpectrum.Scaling.BY_N));
    }

    @Test
    void zeroAndRankDeficientMatricesGiveNonNegativeEigenvalues() {
        assertArrayEquals(new double[5], GramSpectrum.of(DMatrix.zeros(5, 8)).eigenvalues(), 0.0);
        DMatrix u = RandomMatrices.gaussian(rng, 40, 3, 1);
        DMatrix v = RandomMatrices.gaussian(rng, 3, 90, 1);
        DMatrix lowRank = DoubleBlas.multiply(u, false, v, false, 1);
        double[] e = GramSpectrum.of(lowRank).eigenvalues();
        for (double value : e) {
            assertTrue(value >= 0);
        }
        assertTrue(e[36] < 1e-12 * e[39] && e[37] > 1e-3, "three non-zero eigenvalues");
    }

    @Test
    void rejectsBadInput() {
        DMatrix w = DMatrix.zeros(3, 4);
        w.set(1, 2, Double.NaN);
        var e = assertThrows(IllegalArgumentException.class, () -> GramSpectrum.of(w));
        assertTrue(e.getMessage().contains("(1, 2)") && e.getMessage().contains("NaN"), e.getMessage());
        w.set(1, 2, Double.NEGATIVE_INFINITY);
        assertThrows(IllegalArgumentException.class, () -> GramSpectrum.of(w));
        assertThrows(IllegalArgumentException.class, () -> GramSpectrum.of(DMatrix.zeros(0, 4)));
        assertThrows(IllegalArgumentException.class,
                () -> GramSpectrum.ofSinglePrecision(new float[][] {{1, 2}, {3}}, GramSpectrum.Scaling.BY_N));
        assertThrows(IllegalArgumentException.class,
                () -> GramSpectrum.ofSinglePrecision(new float[][] {{1, Float.NaN}}, GramSpectrum.Scaling.BY_N));
        assertThrows(IllegalArgumentException.class,
                () -> GramSpectrum.fromSingularValues(new double[] {1, 2}, 2, 5, GramSpectrum.Scaling.BY_N));
        assertThrows(IllegalArgumentException.class,
                () -> GramSpectrum.fromSingularValues(new double[] {1}, 2, 5, GramSpectrum.Scaling.BY_N));
        assertThrows(IllegalArgumentException.class,
                () -> GramSpectrum.fromSingularValues(new double[] {2, -1}, 2, 5, GramSpectrum.Scaling.BY_N));
    }
}
