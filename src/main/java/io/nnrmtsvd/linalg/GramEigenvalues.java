package io.nnrmtsvd.linalg;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * Eigenvalues of the smaller Gram matrix of a rectangular matrix A (rows x cols, row-major):
 * {@code scale * A A^T} when rows &lt;= cols, else {@code scale * A^T A}, of order
 * p = min(rows, cols). The Gram matrix lives only in native memory: syrk writes its upper
 * triangle there, syevd overwrites it, and the memory is freed before the method returns, so a
 * 4096 x 4096 Gram matrix costs no Java heap. The upper triangle of a row-major symmetric matrix
 * is the lower triangle of the same memory read column-major, so syevd is called column-major
 * on 'L', which spares LAPACKE a transposed copy.
 *
 * <p>Eigenvalues come back in ascending order as LAPACK returns them; round-off can make the
 * smallest ones slightly negative.
 *
 * <p>{@link #ofFloats} keeps a large layer in float storage and works in double arithmetic: the
 * Gram matrix is accumulated by dsyrk over blocks of {@value #BLOCK} columns (or rows) widened
 * to double one block at a time, so the native memory is the p x p Gram matrix plus one block.
 */
public final class GramEigenvalues {
    /** Columns (wide matrices) or rows (tall ones) widened to double per dsyrk call. */
    static final int BLOCK = 512;

    private GramEigenvalues() {
    }

    /**
     * In double precision from float storage: blocked cblas_dsyrk then LAPACKE_dsyevd. As accurate
     * as {@link #ofDouble} on the same values, with half the memory for the matrix.
     *
     * @param a Not modified. rows * cols values, row-major.
     * @param scale factor applied to the Gram matrix
     * @return p eigenvalues, ascending
     * @throws IllegalArgumentException if {@code a} does not hold rows * cols values
     * @throws ArithmeticException if LAPACK does not converge
     */
    public static double[] ofFloats(float[] a, int rows, int cols, double scale) {
        int p = Math.min(rows, cols);
        if (p == 0) {
            return new double[0];
        }
        double[] eigenvalues = new double[p];
        try (DoublePointer gram = gram(a, rows, cols, scale);
             DoublePointer w = new DoublePointer(p)) {
            int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_COL_MAJOR, (byte) 'N', (byte) 'L', p, gram, p, w);
            check(info);
            w.get(eigenvalues);
        }
        return eigenvalues;
    }

    /**
     * The p x p matrix {@code scale * A A^T} (rows &lt;= cols) or {@code scale * A^T A} in native
     * memory, upper triangle set in row-major order (lower triangle column-major), computed in
     * double from float storage block by block. The caller closes it.
     */
    static DoublePointer gram(float[] a, int rows, int cols, double scale) {
        if (rows < 0 || cols < 0 || a.length != (long) rows * cols) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix needs " + (long) rows * cols
                    + " values, got " + a.length);
        }
        OpenBlas.ensureLoaded();
        boolean wide = rows <= cols;
        int p = Math.min(rows, cols);
        int depth = Math.max(rows, cols);
        int block = Math.min(BLOCK, depth);
        DoublePointer gram = new DoublePointer((long) p * p);
        double[] chunk = new double[p * block];
        try (DoublePointer staged = new DoublePointer((long) p * block)) {
            for (int from = 0; from < depth; from += block) {
                int width = Math.min(block, depth - from);
                if (wide) {
                    for (int i = 0; i < rows; i++) {
                        int src = i * cols + from;
                        for (int j = 0; j < width; j++) {
                            chunk[i * width + j] = a[src + j];
                        }
                    }
                } else {
                    for (int i = 0; i < width * cols; i++) {
                        chunk[i] = a[from * cols + i];
                    }
                }
                staged.position(0).put(chunk, 0, p * width).position(0);
                openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper,
                        wide ? openblas.CblasNoTrans : openblas.CblasTrans, p, width, scale, staged,
                        wide ? width : cols, from == 0 ? 0.0 : 1.0, gram, p);
            }
        } catch (RuntimeException e) {
            gram.close();
            throw e;
        }
        return gram;
    }

    /**
     * In double precision: cblas_dsyrk then LAPACKE_dsyevd.
     *
     * @param a Not modified.
     * @param scale factor applied to the Gram matrix
     * @return p eigenvalues, ascending
     * @throws ArithmeticException if LAPACK does not converge
     */
    public static double[] ofDouble(DMatrix a, double scale) {
        int rows = a.rows();
        int cols = a.cols();
        int p = Math.min(rows, cols);
        if (p == 0) {
            return new double[0];
        }
        OpenBlas.ensureLoaded();
        double[] eigenvalues = new double[p];
        try (DoublePointer in = new DoublePointer(a.data());
             DoublePointer gram = new DoublePointer((long) p * p);
             DoublePointer w = new DoublePointer(p)) {
            openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, transposeFor(rows, cols),
                    p, Math.max(rows, cols), scale, in, cols, 0.0, gram, p);
            int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_COL_MAJOR, (byte) 'N', (byte) 'L', p, gram, p, w);
            check(info);
            w.get(eigenvalues);
        }
        return eigenvalues;
    }

    /**
     * In single precision: cblas_ssyrk then LAPACKE_ssyevd, widened to double at the end. About
     * three times faster than {@link #ofDouble} on large matrices and half the native memory;
     * the eigenvalues carry absolute errors of roughly 1e-6 times the largest one.
     *
     * @param a Not modified. A rectangular {@code float[rows][cols]} array.
     * @param scale factor applied to the Gram matrix
     * @return p eigenvalues, ascending
     * @throws IllegalArgumentException if {@code a} is ragged
     * @throws ArithmeticException if LAPACK does not converge
     */
    public static double[] ofFloat(float[][] a, double scale) {
        int rows = a.length;
        int cols = rows == 0 ? 0 : a[0].length;
        int p = Math.min(rows, cols);
        if (p == 0) {
            return new double[0];
        }
        OpenBlas.ensureLoaded();
        double[] eigenvalues = new double[p];
        try (FloatPointer in = new FloatPointer((long) rows * cols);
             FloatPointer gram = new FloatPointer((long) p * p);
             FloatPointer w = new FloatPointer(p)) {
            for (int i = 0; i < rows; i++) {
                if (a[i].length != cols) {
                    throw new IllegalArgumentException("ragged array: row " + i + " has "
                            + a[i].length + " columns, row 0 has " + cols);
                }
                in.position((long) i * cols).put(a[i]);
            }
            in.position(0);
            openblas.cblas_ssyrk(openblas.CblasRowMajor, openblas.CblasUpper, transposeFor(rows, cols),
                    p, Math.max(rows, cols), (float) scale, in, cols, 0f, gram, p);
            int info = openblas.LAPACKE_ssyevd(openblas.LAPACK_COL_MAJOR, (byte) 'N', (byte) 'L', p, gram, p, w);
            check(info);
            for (int i = 0; i < p; i++) {
                eigenvalues[i] = w.get(i);
            }
        }
        return eigenvalues;
    }

    private static int transposeFor(int rows, int cols) {
        return rows <= cols ? openblas.CblasNoTrans : openblas.CblasTrans;
    }

    static void check(int info) {
        if (info < 0) {
            throw new IllegalArgumentException("syevd: argument " + (-info) + " is invalid");
        }
        if (info > 0) {
            throw new ArithmeticException("syevd did not converge (info " + info + ")");
        }
    }
}
