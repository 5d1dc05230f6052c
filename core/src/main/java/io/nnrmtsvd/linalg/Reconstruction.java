package io.nnrmtsvd.linalg;

import java.util.Arrays;

/**
 * How far an approximation of a matrix is from it: ||W - A||_F / ||W||_F, summed in double (0
 * for an all-zero W). Matrices are row-major float arrays, as models store their weights.
 */
public final class Reconstruction {
    private static final int BLOCK_ROWS = 256;

    private Reconstruction() {
    }

    /**
     * The relative error of a same-shape approximation.
     *
     * @param w Not modified.
     * @param approximation Not modified. As long as {@code w}.
     */
    public static double relativeError(float[] w, float[] approximation) {
        if (w.length != approximation.length) {
            throw new IllegalArgumentException("sizes differ: " + w.length + " and " + approximation.length);
        }
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < w.length; i++) {
            double d = (double) w[i] - approximation[i];
            diff += d * d;
            norm += (double) w[i] * w[i];
        }
        return norm == 0 ? 0 : Math.sqrt(diff / norm);
    }

    /**
     * The relative error of the factored approximation {@code up} [rows, k] times {@code down}
     * [k, cols] of {@code w} [rows, cols], formed a block of rows at a time so that memory stays
     * near the factors' size.
     *
     * @param w Not modified.
     * @param up Not modified.
     * @param down Not modified.
     */
    public static double relativeError(float[] w, int rows, int cols, float[] up, float[] down, int k) {
        DMatrix d = DMatrix.copyOf(k, cols, down);
        double diff = 0;
        double norm = 0;
        for (int from = 0; from < rows; from += BLOCK_ROWS) {
            int height = Math.min(BLOCK_ROWS, rows - from);
            DMatrix u = DMatrix.copyOf(height, k, Arrays.copyOfRange(up, from * k, (from + height) * k));
            double[] product = DoubleBlas.multiply(u, false, d, false, 1.0).data();
            for (int i = 0; i < product.length; i++) {
                double x = w[from * cols + i];
                diff += (x - product[i]) * (x - product[i]);
                norm += x * x;
            }
        }
        return norm == 0 ? 0 : Math.sqrt(diff / norm);
    }
}
