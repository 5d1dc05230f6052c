package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.HalfFloats;
import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.DoubleLapack;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint route for big layers, GramSpectrum.ofFloats (float storage, ssyrk with the
 * diagonal in double, the eigensolver in double), against dgesdd in double on the same matrix.
 * The checkpoint issue asks for 1e-6 relative; the route holds 1e-7. The layers of interest are
 * 4096 x 11008 (measured by {@code rmtsvd bench layer}); this test uses 512 x 1376, the same
 * aspect ratio, to stay fast.
 */
class LargeLayerSpectrumTest {
    private static final int ROWS = 512;
    private static final int COLS = 1376;
    private static final int PLANTED = 8;

    /** Noise of std 0.02 plus 8 strong directions, rounded to BF16 as a checkpoint stores it. */
    private static float[] layer(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] w = new float[ROWS * COLS];
        double[][] left = new double[PLANTED][ROWS];
        double[][] right = new double[PLANTED][COLS];
        for (int t = 0; t < PLANTED; t++) {
            for (int i = 0; i < ROWS; i++) {
                left[t][i] = rng.nextGaussian() / Math.sqrt(ROWS);
            }
            for (int j = 0; j < COLS; j++) {
                right[t][j] = rng.nextGaussian() / Math.sqrt(COLS);
            }
        }
        double edge = 0.02 * (Math.sqrt(ROWS) + Math.sqrt(COLS));
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLS; j++) {
                double v = 0.02 * rng.nextGaussian();
                for (int t = 0; t < PLANTED; t++) {
                    v += edge * (2 + t) * left[t][i] * right[t][j];
                }
                w[i * COLS + j] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16((float) v));
            }
        }
        return w;
    }

    @Test
    void matchesDgesddInDouble() {
        for (long seed = 1; seed <= 3; seed++) {
            float[] w = layer(seed);
            GramSpectrum fast = GramSpectrum.ofFloats(w, ROWS, COLS, GramSpectrum.Scaling.BY_N);
            double[] s = DoubleLapack.singularValues(DMatrix.copyOf(ROWS, COLS, w));
            GramSpectrum reference = GramSpectrum.fromSingularValues(s, ROWS, COLS, GramSpectrum.Scaling.BY_N);
            double[] e = fast.eigenvalues();
            double[] r = reference.eigenvalues();
            int p = ROWS;
            assertEquals(r[p - 1], e[p - 1], 1e-7 * r[p - 1], "largest eigenvalue, seed " + seed);
            assertEquals(r[p / 2], e[p / 2], 1e-7 * r[p / 2], "median eigenvalue, seed " + seed);
            Bema bema = Bema.create();
            int spikes = bema.fit(reference).spikes();
            assertEquals(PLANTED, spikes, "the planted directions stand out");
            assertEquals(spikes, bema.fit(fast).spikes(), "seed " + seed);
        }
    }

    @Test
    void rejectsNonFiniteValuesAndWrongLengths() {
        float[] w = new float[6];
        w[4] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GramSpectrum.ofFloats(w, 2, 3, GramSpectrum.Scaling.BY_N));
        assertTrue(e.getMessage().contains("(1, 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GramSpectrum.ofFloats(new float[5], 2, 3,
                GramSpectrum.Scaling.BY_N));
    }
}
