package io.nnrmtsvd.linalg;

import org.bytedeco.openblas.global.openblas;

/** Double-precision BLAS on {@link DMatrix}, row-major. */
public final class DoubleBlas {
    private DoubleBlas() {
    }

    /**
     * Returns alpha op(A) op(B).
     *
     * @param a Not modified.
     * @param b Not modified.
     */
    public static DMatrix multiply(DMatrix a, boolean transA, DMatrix b, boolean transB, double alpha) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb) {
            throw new IllegalArgumentException("inner dimensions differ: " + k + " vs " + kb);
        }
        DMatrix c = DMatrix.zeros(m, n);
        if (m == 0 || n == 0 || k == 0) {
            return c;
        }
        OpenBlas.ensureLoaded();
        openblas.cblas_dgemm(openblas.CblasRowMajor,
                transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans,
                m, n, k, alpha, a.data(), a.cols(), b.data(), b.cols(), 0.0, c.data(), n);
        return c;
    }

    /**
     * The smaller Gram matrix of A scaled by {@code scale}: scale A A^T when rows &lt;= cols, else
     * scale A^T A. The result is min(rows, cols) square and fully symmetric (both triangles set).
     *
     * @param a Not modified.
     */
    public static DMatrix smallGram(DMatrix a, double scale) {
        boolean wide = a.rows() <= a.cols();
        int p = wide ? a.rows() : a.cols();
        int k = wide ? a.cols() : a.rows();
        DMatrix g = DMatrix.zeros(p, p);
        if (p == 0 || k == 0) {
            return g;
        }
        OpenBlas.ensureLoaded();
        openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper,
                wide ? openblas.CblasNoTrans : openblas.CblasTrans,
                p, k, scale, a.data(), a.cols(), 0.0, g.data(), p);
        double[] d = g.data();
        for (int i = 0; i < p; i++) {
            for (int j = i + 1; j < p; j++) {
                d[j * p + i] = d[i * p + j];
            }
        }
        return g;
    }
}
