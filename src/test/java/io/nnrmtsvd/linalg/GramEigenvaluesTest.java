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

    @Test
    void emptyAndRaggedInput() {
        assertEquals(0, GramEigenvalues.ofDouble(DMatrix.zeros(0, 5), 1).length);
        assertEquals(0, GramEigenvalues.ofFloat(new float[0][], 1).length);
        assertThrows(IllegalArgumentException.class, () -> GramEigenvalues.ofFloat(new float[][] {{1, 2}, {3}}, 1));
    }
}
