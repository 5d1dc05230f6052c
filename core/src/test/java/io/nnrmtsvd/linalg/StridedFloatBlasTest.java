package io.nnrmtsvd.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The strided products that compute one block of a larger product in place. */
class StridedFloatBlasTest {
    private static FloatBuffer random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        FloatBuffer b = OffHeapFloats.allocate(n);
        for (int i = 0; i < n; i++) {
            b.put(i, (float) r.nextDouble(-1, 1));
        }
        return b;
    }

    @Test
    void aBlockOfColumnsOrRowsOfAProductEqualsTheProductByDefinition() {
        int m = 9;
        int n = 13;
        int k = 7;
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                FloatBuffer a = random(m * k, 1);
                FloatBuffer b = random(k * n, 2);
                FloatBuffer c = random(m * n, 3);
                float[] before = OffHeapFloats.toArray(c);
                // Columns 4..10 and rows 2..7 of C = 0.5 op(A) op(B) + 0.25 C, in place.
                int c0 = 4;
                int c1 = 11;
                int r0 = 2;
                int r1 = 8;
                FloatBuffer bView = transB ? OffHeapFloats.view(b, c0 * k, (n - c0) * k)
                        : OffHeapFloats.view(b, c0, k * n - c0);
                FloatBuffer aView = transA ? OffHeapFloats.view(a, r0, k * m - r0)
                        : OffHeapFloats.view(a, r0 * k, (m - r0) * k);
                FloatBuffer cView = OffHeapFloats.view(c, r0 * n + c0, m * n - r0 * n - c0);
                FloatBlas.gemm(transA, transB, r1 - r0, c1 - c0, k, 0.5f, aView, transA ? m : k, bView,
                        transB ? k : n, 0.25f, cView, n);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double expected = before[i * n + j];
                        if (i >= r0 && i < r1 && j >= c0 && j < c1) {
                            double s = 0;
                            for (int l = 0; l < k; l++) {
                                float x = transA ? a.get(l * m + i) : a.get(i * k + l);
                                float y = transB ? b.get(j * k + l) : b.get(l * n + j);
                                s += (double) x * y;
                            }
                            expected = 0.5 * s + 0.25 * before[i * n + j];
                        }
                        assertEquals(expected, c.get(i * n + j), 1e-5, "C[" + i + "][" + j + "] " + transA + transB);
                    }
                }
            }
        }
    }

    @Test
    void aStridedGemvSumsTheColumnsOfABlock() {
        FloatBuffer a = random(6 * 10, 4);
        FloatBuffer ones = OffHeapFloats.allocate(6);
        for (int i = 0; i < 6; i++) {
            ones.put(i, 1f);
        }
        FloatBuffer y = OffHeapFloats.allocate(4);
        FloatBlas.gemv(true, 6, 4, 1f, OffHeapFloats.view(a, 3, 57), 10, ones, 0f, y);
        for (int j = 0; j < 4; j++) {
            double s = 0;
            for (int r = 0; r < 6; r++) {
                s += a.get(r * 10 + 3 + j);
            }
            assertEquals(s, y.get(j), 1e-5);
        }
    }

    @Test
    void blocksThatDoNotFitTheirBuffersOrStridesShorterThanARowAreRefused() {
        FloatBuffer big = OffHeapFloats.allocate(40);
        FloatBuffer a20 = OffHeapFloats.allocate(20);
        IllegalArgumentException stride = assertThrows(IllegalArgumentException.class,
                () -> FloatBlas.gemm(false, false, 4, 5, 5, 1f, big, 5, big, 5, 0f, big, 4));
        assertEquals("C: 4 x 5 with row stride 4", stride.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> FloatBlas.gemm(false, false, 4, 5, 5, 1f, a20, 6, big, 5, 0f, big, 5));
        assertEquals("A holds 20 floats, needs 23", size.getMessage());
        IllegalArgumentException shifted = assertThrows(IllegalArgumentException.class,
                () -> FloatBlas.gemm(false, false, 4, 5, 5, 1f, big.duplicate().position(22), 5, big, 5, 0f, big, 5));
        assertEquals("A holds 18 floats from position 22, needs 20", shifted.getMessage());
    }

    /** BLAS starts at a buffer's position: a block of a larger matrix without a view. */
    @Test
    void productsStartAtTheBuffersPositions() {
        FloatBuffer a = OffHeapFloats.allocate(30);
        FloatBuffer b = OffHeapFloats.allocate(30);
        for (int i = 0; i < 30; i++) {
            a.put(i, i % 7 - 3);
            b.put(i, i % 5 - 2);
        }
        FloatBuffer c = OffHeapFloats.allocate(12);
        // C (2 x 3, at 3, stride 6) = A[0:2, 4:8] (stride 10) B[1:5, 2:5] (stride 6)
        FloatBlas.gemm(false, false, 2, 3, 4, 1f, a.duplicate().position(4), 10, b.duplicate().position(8), 6,
                0f, c.duplicate().position(3), 6);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                float s = 0;
                for (int k = 0; k < 4; k++) {
                    s += a.get(i * 10 + 4 + k) * b.get((1 + k) * 6 + 2 + j);
                }
                assertEquals(s, c.get(3 + i * 6 + j), 0f, "C[" + i + "][" + j + "]");
            }
        }
        assertEquals(0f, c.get(0), 0f, "nothing before the position is written");
    }
}
