package io.nnrmtsvd.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinalgTest {
    private static final Random RNG = new Random(7);

    private static double[] randomValues(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = RNG.nextGaussian();
        }
        return v;
    }

    private static float[] naiveGemm(boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int l = 0; l < k; l++) {
                    double x = ta ? a[l * m + i] : a[i * k + l];
                    double y = tb ? b[j * k + l] : b[l * n + j];
                    sum += x * y;
                }
                c[i * n + j] = (float) sum;
            }
        }
        return c;
    }

    @Test
    void sgemmMatchesNaiveProductForEveryTransposeCombination() {
        int m = 5, n = 7, k = 3;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = new float[m * k];
                float[] b = new float[k * n];
                for (int i = 0; i < a.length; i++) a[i] = (float) RNG.nextGaussian();
                for (int i = 0; i < b.length; i++) b[i] = (float) RNG.nextGaussian();
                FloatBuffer c = OffHeapFloats.allocate(m * n);
                FloatBlas.gemm(ta, tb, m, n, k, 1f, OffHeapFloats.copyOf(a), OffHeapFloats.copyOf(b), 0f, c);
                assertArrayEquals(naiveGemm(ta, tb, m, n, k, a, b), OffHeapFloats.toArray(c), 1e-5f,
                        "transA=" + ta + " transB=" + tb);
            }
        }
    }

    @Test
    void gemmOnAViewWritesOnlyThatRegion() {
        FloatBuffer big = OffHeapFloats.allocate(10);
        FloatBuffer view = OffHeapFloats.view(big, 4, 4);
        FloatBlas.gemm(false, false, 2, 2, 1, 1f, OffHeapFloats.copyOf(new float[] {1, 2}),
                OffHeapFloats.copyOf(new float[] {3, 4}), 0f, view);
        assertArrayEquals(new float[] {0, 0, 0, 0, 3, 4, 6, 8, 0, 0}, OffHeapFloats.toArray(big));
    }

    @Test
    void offHeapBuffersStartOnACacheLineAndHoldExactlyTheirLengthOfZeros() {
        for (int length : new int[] {0, 1, 5, 16, 1000, 785_000}) {
            FloatBuffer f = OffHeapFloats.allocate(length);
            assertEquals(length, f.capacity());
            assertEquals(0, new org.bytedeco.javacpp.FloatPointer(f).address() % 64, "length " + length);
            for (int i = 0; i < length; i++) {
                assertEquals(0f, f.get(i), 0f);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> OffHeapFloats.allocate(Integer.MAX_VALUE / 4));
    }

    @Test
    void heapBuffersAreRejected() {
        FloatBuffer heap = FloatBuffer.allocate(4);
        assertThrows(IllegalArgumentException.class, () -> FloatBlas.scal(4, 2f, heap));
    }

    @Test
    void gemvAxpyScal() {
        FloatBuffer a = OffHeapFloats.copyOf(new float[] {1, 2, 3, 4, 5, 6});
        FloatBuffer x = OffHeapFloats.copyOf(new float[] {1, 1});
        FloatBuffer y = OffHeapFloats.allocate(3);
        FloatBlas.gemv(true, 2, 3, 1f, a, x, 0f, y);
        assertArrayEquals(new float[] {5, 7, 9}, OffHeapFloats.toArray(y));
        FloatBlas.scal(3, 2f, y);
        FloatBlas.axpy(3, -1f, OffHeapFloats.copyOf(new float[] {10, 14, 18}), y);
        assertArrayEquals(new float[] {0, 0, 0}, OffHeapFloats.toArray(y));
    }

    @Test
    void smallGramMatchesExplicitProductForWideAndTall() {
        for (int[] shape : new int[][] {{4, 9}, {9, 4}}) {
            DMatrix a = DMatrix.wrap(shape[0], shape[1], randomValues(shape[0] * shape[1]));
            boolean wide = a.rows() <= a.cols();
            DMatrix expected = wide ? DoubleBlas.multiply(a, false, a, true, 0.5)
                    : DoubleBlas.multiply(a, true, a, false, 0.5);
            assertArrayEquals(expected.data(), DoubleBlas.smallGram(a, 0.5).data(), 1e-12);
        }
    }

    @Test
    void eigenvaluesOfGramAreSquaredSingularValues() {
        DMatrix a = DMatrix.wrap(6, 10, randomValues(60));
        double[] eig = DoubleLapack.symmetricEigenvalues(DoubleBlas.smallGram(a, 1.0));
        Svd svd = DoubleLapack.svd(a);
        for (int i = 0; i < 6; i++) {
            double s = svd.s()[5 - i];
            assertEquals(s * s, eig[i], 1e-10 * eig[5]);
        }
        for (int i = 1; i < svd.s().length; i++) {
            assertEquals(true, svd.s()[i] <= svd.s()[i - 1], "descending order");
        }
        assertArrayEquals(svd.s(), DoubleLapack.singularValues(a), 1e-12 * svd.s()[0], "values-only dgesdd");
        assertArrayEquals(svd.s(), DoubleLapack.singularValues(a.transpose()), 1e-12 * svd.s()[0], "transposed");
    }

    @Test
    void svdRebuildsTheMatrixAndTruncationHasTheRightRank() {
        DMatrix a = DMatrix.wrap(8, 5, randomValues(40));
        Svd svd = DoubleLapack.svd(a);
        assertArrayEquals(a.data(), svd.truncate(5).data(), 1e-12);
        DMatrix rank2 = svd.truncate(2);
        double[] s2 = DoubleLapack.svd(rank2).s();
        assertEquals(svd.s()[0], s2[0], 1e-12);
        assertEquals(svd.s()[1], s2[1], 1e-12);
        assertEquals(0.0, s2[2], 1e-12);
    }

    @Test
    void threadCountIsSettable() {
        int before = OpenBlas.threads();
        OpenBlas.setThreads(1);
        assertEquals(1, OpenBlas.threads());
        OpenBlas.setThreads(before);
        assertEquals(false, OpenBlas.coreName().isEmpty());
    }
}
