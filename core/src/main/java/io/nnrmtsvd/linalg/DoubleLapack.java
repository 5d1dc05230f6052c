package io.nnrmtsvd.linalg;

import org.bytedeco.openblas.global.openblas;

/** LAPACK drivers on {@link DMatrix}. Inputs are copied, never overwritten. */
public final class DoubleLapack {
    private DoubleLapack() {
    }

    /**
     * Eigenvalues of a symmetric matrix in ascending order (LAPACKE dsyevd, upper triangle read).
     *
     * @param symmetric Not modified. Square.
     * @throws ArithmeticException if LAPACK does not converge
     */
    public static double[] symmetricEigenvalues(DMatrix symmetric) {
        int n = requireSquare(symmetric);
        double[] w = new double[n];
        if (n == 0) {
            return w;
        }
        double[] work = symmetric.data().clone();
        OpenBlas.ensureLoaded();
        int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) 'N', (byte) 'U', n, work, n, w);
        check("dsyevd", info);
        return w;
    }

    /**
     * Thin SVD by LAPACKE dgesdd (divide and conquer).
     *
     * @param a Not modified.
     * @throws ArithmeticException if LAPACK does not converge
     */
    public static Svd svd(DMatrix a) {
        int m = a.rows();
        int n = a.cols();
        int r = Math.min(m, n);
        double[] s = new double[r];
        DMatrix u = DMatrix.zeros(m, r);
        DMatrix vt = DMatrix.zeros(r, n);
        if (r == 0) {
            return new Svd(u, s, vt);
        }
        double[] work = a.data().clone();
        OpenBlas.ensureLoaded();
        int info = openblas.LAPACKE_dgesdd(openblas.LAPACK_ROW_MAJOR, (byte) 'S', m, n, work, n, s,
                u.data(), r, vt.data(), n);
        check("dgesdd", info);
        return new Svd(u, s, vt);
    }

    /**
     * Singular values only, descending, by LAPACKE dgesdd: the reference the Gram routes are
     * checked against.
     *
     * @param a Not modified.
     * @throws ArithmeticException if LAPACK does not converge
     */
    public static double[] singularValues(DMatrix a) {
        int m = a.rows();
        int n = a.cols();
        double[] s = new double[Math.min(m, n)];
        if (s.length == 0) {
            return s;
        }
        double[] work = a.data().clone();
        OpenBlas.ensureLoaded();
        int info = openblas.LAPACKE_dgesdd(openblas.LAPACK_ROW_MAJOR, (byte) 'N', m, n, work, n, s,
                (double[]) null, 1, (double[]) null, 1);
        check("dgesdd", info);
        return s;
    }

    private static int requireSquare(DMatrix m) {
        if (m.rows() != m.cols()) {
            throw new IllegalArgumentException("matrix must be square, got " + m.rows() + "x" + m.cols());
        }
        return m.rows();
    }

    private static void check(String routine, int info) {
        if (info < 0) {
            throw new IllegalArgumentException(routine + ": argument " + (-info) + " is invalid");
        }
        if (info > 0) {
            throw new ArithmeticException(routine + " did not converge (info " + info + ")");
        }
    }
}
