package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nnrmtsvd.linalg.DMatrix;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvolutionWeightsTest {
    private static final int OUT = 5;
    private static final int IN = 3;
    private static final int KH = 2;
    private static final int KW = 4;

    /** w[o, i, a, b] = 1000 o + 100 i + 10 a + b, row-major. */
    private static double[] labelled() {
        double[] w = new double[OUT * IN * KH * KW];
        for (int o = 0; o < OUT; o++) {
            for (int i = 0; i < IN; i++) {
                for (int a = 0; a < KH; a++) {
                    for (int b = 0; b < KW; b++) {
                        w[((o * IN + i) * KH + a) * KW + b] = 1000 * o + 100 * i + 10 * a + b;
                    }
                }
            }
        }
        return w;
    }

    @Test
    void kernelPositionIsTheOutByInSlice() {
        DMatrix slice = ConvolutionWeights.kernelPosition(labelled(), OUT, IN, KH, KW, 1, 3);
        assertEquals(OUT, slice.rows());
        assertEquals(IN, slice.cols());
        for (int o = 0; o < OUT; o++) {
            for (int i = 0; i < IN; i++) {
                assertEquals(1000 * o + 100 * i + 13, slice.get(o, i), 0.0);
            }
        }
    }

    @Test
    void unfoldPutsEachOutputsKernelInARow() {
        DMatrix unfolded = ConvolutionWeights.unfold(labelled(), OUT, IN, KH, KW);
        assertEquals(OUT, unfolded.rows());
        assertEquals(IN * KH * KW, unfolded.cols());
        for (int o = 0; o < OUT; o++) {
            for (int i = 0; i < IN; i++) {
                for (int a = 0; a < KH; a++) {
                    for (int b = 0; b < KW; b++) {
                        assertEquals(1000 * o + 100 * i + 10 * a + b, unfolded.get(o, (i * KH + a) * KW + b), 0.0);
                    }
                }
            }
        }
    }

    @Test
    void pooledSpectrumIsEveryPositionsSpectrumSorted() {
        SplittableRandom rng = new SplittableRandom(12);
        float[] w = new float[OUT * IN * KH * KW];
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) rng.nextGaussian();
        }
        double[] wide = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            wide[k] = w[k];
        }
        double[] pooled = ConvolutionWeights.pooledEigenvalues(w, OUT, IN, KH, KW);
        assertEquals(KH * KW * Math.min(OUT, IN), pooled.length);
        double[] expected = new double[0];
        for (int a = 0; a < KH; a++) {
            for (int b = 0; b < KW; b++) {
                double[] e = RawEigenvalues.bySvd(ConvolutionWeights.kernelPosition(wide, OUT, IN, KH, KW, a, b));
                double[] joined = Arrays.copyOf(expected, expected.length + e.length);
                System.arraycopy(e, 0, joined, expected.length, e.length);
                expected = joined;
            }
        }
        Arrays.sort(expected);
        double largest = expected[expected.length - 1];
        for (int k = 0; k < pooled.length; k++) {
            assertEquals(expected[k], pooled[k], 1e-12 * largest);
        }
        assertArrayEquals(pooled, ConvolutionWeights.pooledEigenvalues(wide, OUT, IN, KH, KW), 0.0);
        assertEquals(ConvolutionWeights.unfold(wide, OUT, IN, KH, KW), ConvolutionWeights.unfold(w, OUT, IN, KH, KW));
    }

    @Test
    void aOneByOneKernelIsItsMatrix() {
        SplittableRandom rng = new SplittableRandom(4);
        DMatrix m = RandomMatrices.gaussian(rng, 6, 9, 1);
        assertEquals(m, ConvolutionWeights.unfold(m.data(), 6, 9, 1, 1));
        assertArrayEquals(RawEigenvalues.of(m), ConvolutionWeights.pooledEigenvalues(m.data(), 6, 9, 1, 1), 0.0);
    }

    @Test
    void shapesThatDoNotFitAreRejected() {
        double[] w = labelled();
        assertThrows(IllegalArgumentException.class, () -> ConvolutionWeights.unfold(w, OUT, IN, KH, KW + 1));
        assertThrows(IllegalArgumentException.class, () -> ConvolutionWeights.unfold(w, 0, IN, KH, KW));
        assertThrows(IllegalArgumentException.class, () -> ConvolutionWeights.kernelPosition(w, OUT, IN, KH, KW, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> ConvolutionWeights.kernelPosition(w, OUT, IN, KH, KW, 0, -1));
        assertThrows(IllegalArgumentException.class,
                () -> ConvolutionWeights.pooledEigenvalues(new float[7], OUT, IN, KH, KW));
    }
}
