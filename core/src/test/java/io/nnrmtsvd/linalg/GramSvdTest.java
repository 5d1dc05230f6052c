package io.nnrmtsvd.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GramSvdTest {
    /** A rows x cols float matrix: noise plus three strong directions. */
    private static float[] matrix(int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                a[i * cols + j] = (float) (0.1 * rng.nextGaussian() + Math.sin(i + 1.0) * Math.cos(j * 0.3)
                        + 0.5 * Math.cos(i * 0.7) * ((j % 3) - 1) + 0.25 * ((i % 5) - 2) * Math.sin(j * 1.1));
            }
        }
        return a;
    }

    @Test
    void topTriplesMatchDgesdd() {
        for (int[] shape : new int[][] {{60, 150}, {150, 60}}) {
            int rows = shape[0];
            int cols = shape[1];
            float[] a = matrix(rows, cols, rows);
            Svd full = DoubleLapack.svd(DMatrix.copyOf(rows, cols, a));
            for (int k : new int[] {1, 3, 10}) {
                Svd top = GramSvd.top(a, rows, cols, k);
                assertEquals(k, top.s().length);
                assertEquals(rows, top.u().rows());
                assertEquals(cols, top.vt().cols());
                for (int t = 0; t < k; t++) {
                    assertEquals(full.s()[t], top.s()[t], 1e-10 * full.s()[0], "singular value " + t);
                }
                assertArrayEquals(full.truncate(k).data(), top.rebuild(top.s()).data(), 1e-9 * full.s()[0],
                        rows + "x" + cols + " rank " + k + " truncation");
            }
            // one reduction serves all eigenvalues and then any k
            try (GramSvd gram = GramSvd.of(a, rows, cols)) {
                double[] all = gram.eigenvalues();
                int p = Math.min(rows, cols);
                for (int i = 0; i < p; i++) {
                    double expected = full.s()[p - 1 - i] * full.s()[p - 1 - i];
                    assertEquals(expected, all[i], 1e-12 * full.s()[0] * full.s()[0], "eigenvalue " + i);
                }
                assertArrayEquals(full.truncate(3).data(), gram.top(3).rebuild(gram.top(3).s()).data(),
                        1e-9 * full.s()[0], "top 3 after the eigenvalues");
            }
            // the Gram eigenvalues from float storage are the squared singular values
            double[] e = GramEigenvalues.ofFloats(a, rows, cols, 1.0);
            assertEquals(full.s()[0] * full.s()[0], e[e.length - 1], 2e-8 * e[e.length - 1]);
        }
    }

    @Test
    void rankZeroAndBadRanks() {
        float[] a = matrix(8, 5, 1);
        Svd none = GramSvd.top(a, 8, 5, 0);
        assertEquals(0, none.s().length);
        assertEquals(0.0, none.rebuild(new double[0]).data()[7]);
        assertThrows(IllegalArgumentException.class, () -> GramSvd.top(a, 8, 5, 6));
        assertThrows(IllegalArgumentException.class, () -> GramSvd.top(a, 8, 5, -1));
        assertThrows(IllegalArgumentException.class, () -> GramSvd.top(new float[39], 8, 5, 1));
    }
}
