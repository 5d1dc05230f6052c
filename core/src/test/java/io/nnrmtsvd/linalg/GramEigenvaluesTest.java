package io.nnrmtsvd.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GramEigenvaluesTest {
    private final SplittableRandom rng = new SplittableRandom(3);

    private DMatrix random(int rows, int cols) {
        DMatrix m = DMatrix.zeros(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.set(i, j, rng.nextGaussian());
            }
        }
        return m;
    }

    private static float[][] toFloats(DMatrix m) {
        float[][] f = new float[m.rows()][m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                f[i][j] = (float) m.get(i, j);
            }
        }
        return f;
    }

    @Test
    void matchesTheHeapGramRoute() {
        for (int[] shape : new int[][] {{17, 40}, {40, 17}, {23, 23}}) {
            DMatrix a = random(shape[0], shape[1]);
            double[] expected = DoubleLapack.symmetricEigenvalues(DoubleBlas.smallGram(a, 0.5));
            double largest = expected[expected.length - 1];
            assertArrayEquals(expected, GramEigenvalues.ofDouble(a, 0.5), 1e-13 * largest);
            assertArrayEquals(expected, GramEigenvalues.ofFloat(toFloats(a), 0.5), 1e-5 * largest);
        }
    }

    /**
     * BF16-rounded noise, long enough that single-precision accumulation shows: ssyrk alone puts
     * the eigenvalues about 5e-7 relative below the double route; with the diagonal summed in
     * double they agree to well under 1e-7.
     */
    @Test
    void floatStorageRouteMatchesDoubleToFarBelowSinglePrecisionError() {
        for (int[] shape : new int[][] {{192, 6000}, {6000, 160}}) {
            int rows = shape[0];
            int cols = shape[1];
            float[] a = new float[rows * cols];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (0.02 * rng.nextGaussian());
                a[i] = Float.intBitsToFloat(Float.floatToRawIntBits(a[i]) & 0xFFFF0000); // BF16 by truncation
            }
            double[] expected = GramEigenvalues.ofDouble(DMatrix.copyOf(rows, cols, a), 1.0 / cols);
            double[] actual = GramEigenvalues.ofFloats(a, rows, cols, 1.0 / cols);
            int p = expected.length;
            for (int i : new int[] {p - 1, p / 2, p / 10}) {
                assertEquals(expected[i], actual[i], 2e-8 * expected[i], "eigenvalue " + i + " of " + rows + "x" + cols);
            }
        }
    }

    @Test
    void emptyAndRaggedInput() {
        assertEquals(0, GramEigenvalues.ofDouble(DMatrix.zeros(0, 5), 1).length);
        assertEquals(0, GramEigenvalues.ofFloat(new float[0][], 1).length);
        assertThrows(IllegalArgumentException.class, () -> GramEigenvalues.ofFloat(new float[][] {{1, 2}, {3}}, 1));
    }
}
