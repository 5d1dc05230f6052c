package io.nnrmtsvd.linalg;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * The k largest singular triples of a large matrix A (rows x cols, float storage) from its
 * smaller Gram matrix, without a full SVD: the Gram matrix is formed in double (see
 * {@link GramEigenvalues#doubleGram}), LAPACKE_dsyevr computes only its k largest eigenpairs, and
 * the other side's vectors come from one product with A. For rows &lt;= cols, with the Gram
 * eigenvectors U_k and s_i = sqrt(eigenvalue i), Vt_k = diag(1/s) U_k^T A; for rows &gt; cols,
 * U_k = A V_k diag(1/s). Either way U_k diag(s) Vt_k is the orthogonal projection of A onto the
 * k leading singular directions, the rank-k truncation.
 *
 * <p>Accuracy: singular values and vectors well separated from the rest (the signal of a layer)
 * are accurate to about machine precision times (s_1 / s_i)^2; a singular value that round-off
 * cannot tell from zero gets a zero vector on the derived side, so it adds nothing to products.
 * Much cheaper than dgesdd when k is small: two passes over A and one p x p eigenproblem.
 */
public final class GramSvd {
    private GramSvd() {
    }

    /**
     * The k largest singular triples, in descending order of singular value.
     *
     * @param a Not modified. rows * cols values, row-major.
     * @param k in [0, min(rows, cols)]
     * @return an {@link Svd} holding only k triples: U rows x k, s of length k, Vt k x cols
     * @throws IllegalArgumentException for a bad k or a wrong number of values
     * @throws ArithmeticException if LAPACK fails
     */
    public static Svd top(float[] a, int rows, int cols, int k) {
        int p = Math.min(rows, cols);
        if (k < 0 || k > p) {
            throw new IllegalArgumentException("rank " + k + " outside [0, " + p + "]");
        }
        DMatrix vectors = DMatrix.zeros(p, k);
        double[] s = new double[k];
        if (k > 0) {
            try (DoublePointer gram = GramEigenvalues.doubleGram(a, rows, cols, 1.0);
                 DoublePointer w = new DoublePointer(p);
                 DoublePointer z = new DoublePointer((long) p * k);
                 IntPointer found = new IntPointer(1);
                 IntPointer support = new IntPointer(2L * k)) {
                int info = openblas.LAPACKE_dsyevr(openblas.LAPACK_COL_MAJOR, (byte) 'V', (byte) 'I', (byte) 'L',
                        p, gram, p, 0, 0, p - k + 1, p, 0, found, w, z, p, support);
                GramEigenvalues.check(info);
                double[] d = vectors.data();
                for (int t = 0; t < k; t++) {
                    int j = k - 1 - t; // LAPACK returns them ascending
                    s[t] = Math.sqrt(Math.max(0, w.get(j)));
                    for (int i = 0; i < p; i++) {
                        d[i * k + t] = z.get((long) j * p + i);
                    }
                }
            }
        }
        double negligible = p * Math.ulp(1.0) * (k == 0 ? 0 : s[0]);
        return rows <= cols ? fromLeft(a, rows, cols, vectors, s, negligible)
                : fromRight(a, rows, cols, vectors, s, negligible);
    }

    /** U_k given; Vt_k = diag(1/s) U_k^T A, computed over blocks of columns. */
    private static Svd fromLeft(float[] a, int rows, int cols, DMatrix u, double[] s, double negligible) {
        int k = s.length;
        DMatrix vt = DMatrix.zeros(k, cols);
        for (int from = 0; from < cols; from += GramEigenvalues.BLOCK) {
            int width = Math.min(GramEigenvalues.BLOCK, cols - from);
            DMatrix block = DMatrix.zeros(rows, width);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < width; j++) {
                    block.set(i, j, a[i * cols + from + j]);
                }
            }
            DMatrix product = DoubleBlas.multiply(u, true, block, false, 1.0);
            for (int t = 0; t < k; t++) {
                double inverse = s[t] > negligible ? 1 / s[t] : 0;
                for (int j = 0; j < width; j++) {
                    vt.set(t, from + j, product.get(t, j) * inverse);
                }
            }
        }
        return new Svd(u, s, vt);
    }

    /** V_k given; U_k = A V_k diag(1/s), computed over blocks of rows. */
    private static Svd fromRight(float[] a, int rows, int cols, DMatrix v, double[] s, double negligible) {
        int k = s.length;
        DMatrix u = DMatrix.zeros(rows, k);
        for (int from = 0; from < rows; from += GramEigenvalues.BLOCK) {
            int height = Math.min(GramEigenvalues.BLOCK, rows - from);
            DMatrix block = DMatrix.copyOf(height, cols, Arrays.copyOfRange(a, from * cols,
                    (from + height) * cols));
            DMatrix product = DoubleBlas.multiply(block, false, v, false, 1.0);
            for (int i = 0; i < height; i++) {
                for (int t = 0; t < k; t++) {
                    u.set(from + i, t, s[t] > negligible ? product.get(i, t) / s[t] : 0);
                }
            }
        }
        return new Svd(u, s, v.transpose());
    }
}
