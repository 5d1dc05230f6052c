package io.nnrmtsvd.linalg;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * The k largest singular triples of a large matrix A (rows x cols, float storage) from its
 * smaller Gram matrix, without a full SVD: the Gram matrix is formed in double (see
 * {@link GramEigenvalues#doubleGram}) and reduced once to tridiagonal form (dsytrd); from that
 * reduction come all its eigenvalues (dsterf) and, for any k, its k largest eigenpairs (dstemr on
 * the tridiagonal matrix, dormtr back to the Gram matrix's basis; dsyevr does the same in one
 * call, but then k must be known before the eigenvalues are). The other side's vectors come from
 * one product with A. For rows &lt;= cols, with the Gram eigenvectors U_k and
 * s_i = sqrt(eigenvalue i), Vt_k = diag(1/s) U_k^T A; for rows &gt; cols, U_k = A V_k diag(1/s).
 * Either way U_k diag(s) Vt_k is the orthogonal projection of A onto the k leading singular
 * directions, the rank-k truncation.
 *
 * <p>Accuracy: singular values and vectors well separated from the rest (the signal of a layer)
 * are accurate to about machine precision times (s_1 / s_i)^2; a singular value that round-off
 * cannot tell from zero gets a zero vector on the derived side, so it adds nothing to products.
 * Much cheaper than dgesdd when k is small: two passes over A and one p x p eigenproblem.
 *
 * <p>An instance holds the reduced p x p matrix in native memory until it is closed. It keeps a
 * reference to A, which must not change meanwhile.
 */
public final class GramSvd implements AutoCloseable {
    private final float[] a;
    private final int rows;
    private final int cols;
    private final int p;
    /** The Gram matrix after dsytrd: the Householder vectors below its subdiagonal (column-major). */
    private final DoublePointer reduced;
    private final DoublePointer tau;
    private final double[] diagonal;
    private final double[] offDiagonal;

    private GramSvd(float[] a, int rows, int cols) {
        this.a = a;
        this.rows = rows;
        this.cols = cols;
        this.p = Math.min(rows, cols);
        this.reduced = GramEigenvalues.doubleGram(a, rows, cols, 1.0);
        this.tau = new DoublePointer(Math.max(1, p));
        this.diagonal = new double[p];
        this.offDiagonal = new double[Math.max(0, p - 1)];
        if (p == 0) {
            return;
        }
        try (DoublePointer d = new DoublePointer(p);
             DoublePointer e = new DoublePointer(Math.max(1, p - 1))) {
            GramEigenvalues.check(openblas.LAPACKE_dsytrd(openblas.LAPACK_COL_MAJOR, (byte) 'L', p, reduced, p, d,
                    e, tau));
            d.get(diagonal);
            e.get(offDiagonal);
        } catch (RuntimeException ex) {
            close();
            throw ex;
        }
    }

    /**
     * Forms and reduces the Gram matrix of A.
     *
     * @param a Not modified, and must not be while the result is open. rows * cols values, row-major.
     * @throws IllegalArgumentException for a wrong number of values
     */
    public static GramSvd of(float[] a, int rows, int cols) {
        return new GramSvd(a, rows, cols);
    }

    /**
     * The k largest singular triples, in descending order of singular value: {@code of(a, rows,
     * cols).top(k)}, closed at once.
     */
    public static Svd top(float[] a, int rows, int cols, int k) {
        try (GramSvd gram = of(a, rows, cols)) {
            return gram.top(k);
        }
    }

    /**
     * All eigenvalues of the (unscaled) Gram matrix, ascending: the squared singular values of A.
     * Round-off can make the smallest slightly negative.
     *
     * @throws ArithmeticException if LAPACK does not converge
     */
    public double[] eigenvalues() {
        double[] d = diagonal.clone();
        if (p > 1) {
            GramEigenvalues.check(openblas.LAPACKE_dsterf(p, d, offDiagonal.clone()));
        }
        return d;
    }

    /**
     * The k largest singular triples, in descending order of singular value.
     *
     * @param k in [0, min(rows, cols)]
     * @return an {@link Svd} holding only k triples: U rows x k, s of length k, Vt k x cols
     * @throws IllegalArgumentException for a bad k
     * @throws ArithmeticException if LAPACK fails
     */
    public Svd top(int k) {
        if (k < 0 || k > p) {
            throw new IllegalArgumentException("rank " + k + " outside [0, " + p + "]");
        }
        DMatrix vectors = DMatrix.zeros(p, k);
        double[] s = new double[k];
        if (k > 0) {
            // dstemr overwrites the tridiagonal matrix and wants the off-diagonal padded to length p.
            try (DoublePointer d = new DoublePointer(diagonal);
                 DoublePointer e = new DoublePointer(Arrays.copyOf(offDiagonal, p));
                 DoublePointer w = new DoublePointer(p);
                 DoublePointer z = new DoublePointer((long) p * k);
                 IntPointer found = new IntPointer(1);
                 IntPointer support = new IntPointer(2L * k);
                 IntPointer tryAccuracy = new IntPointer(1)) {
                tryAccuracy.put(1);
                GramEigenvalues.check(openblas.LAPACKE_dstemr(openblas.LAPACK_COL_MAJOR, (byte) 'V', (byte) 'I', p,
                        d, e, 0, 0, p - k + 1, p, found, w, z, p, k, support, tryAccuracy));
                GramEigenvalues.check(openblas.LAPACKE_dormtr(openblas.LAPACK_COL_MAJOR, (byte) 'L', (byte) 'L',
                        (byte) 'N', p, k, reduced, p, tau, z, p));
                double[] out = vectors.data();
                for (int t = 0; t < k; t++) {
                    int j = k - 1 - t; // LAPACK returns them ascending
                    s[t] = Math.sqrt(Math.max(0, w.get(j)));
                    for (int i = 0; i < p; i++) {
                        out[i * k + t] = z.get((long) j * p + i);
                    }
                }
            }
        }
        double negligible = p * Math.ulp(1.0) * (k == 0 ? 0 : s[0]);
        return rows <= cols ? fromLeft(a, rows, cols, vectors, s, negligible)
                : fromRight(a, rows, cols, vectors, s, negligible);
    }

    /** Frees the native memory. */
    @Override
    public void close() {
        reduced.close();
        tau.close();
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
