package io.nnrmtsvd.rmt;

import io.nnrmtsvd.linalg.DMatrix;
import java.util.SplittableRandom;

/** Seeded random test matrices, shared by the tests of several packages. */
public final class RandomMatrices {
    private RandomMatrices() {
    }

    /** i.i.d. N(0, sd^2) entries. */
    public static DMatrix gaussian(SplittableRandom rng, int rows, int cols, double sd) {
        double[] data = new double[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = sd * rng.nextGaussian();
        }
        return DMatrix.wrap(rows, cols, data);
    }

    /**
     * Columns of an n x k matrix with orthonormal columns, by modified Gram–Schmidt on Gaussian
     * vectors; returned as k arrays of length n.
     */
    public static double[][] orthonormal(SplittableRandom rng, int n, int k) {
        double[][] q = new double[k][n];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < n; i++) {
                q[j][i] = rng.nextGaussian();
            }
            for (int l = 0; l < j; l++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += q[j][i] * q[l][i];
                }
                for (int i = 0; i < n; i++) {
                    q[j][i] -= dot * q[l][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += q[j][i] * q[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[j][i] /= norm;
            }
        }
        return q;
    }

    /** Adds sum_j strengths[j] u_j v_j^T to w, with random orthonormal u_j and v_j. */
    public static void plant(SplittableRandom rng, DMatrix w, double[] strengths) {
        double[][] u = orthonormal(rng, w.rows(), strengths.length);
        double[][] v = orthonormal(rng, w.cols(), strengths.length);
        double[] d = w.data();
        for (int j = 0; j < strengths.length; j++) {
            for (int r = 0; r < w.rows(); r++) {
                double scale = strengths[j] * u[j][r];
                for (int c = 0; c < w.cols(); c++) {
                    d[r * w.cols() + c] += scale * v[j][c];
                }
            }
        }
    }
}
