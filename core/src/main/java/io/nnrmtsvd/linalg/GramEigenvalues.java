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
 * <p>{@link #ofFloats} is the route for large layers in float storage. ssyrk forms the Gram
 * matrix at single-precision speed over blocks of {@value #BLOCK} columns (or rows); its diagonal
 * is then replaced by squared norms summed in double, and the matrix is widened to double for
 * the eigensolver. The diagonal is what matters: on a BF16 4096 x 11008 layer ssyrk's diagonal
 * sits low by about 5e-7 relative, which moves every eigenvalue by as much, while the
 * off-diagonal round-off moves them far less (docs/CHECKPOINTS.md: median eigenvalue 6e-7 off
 * dgesdd with ssyrk's diagonal, 4e-11 with the exact one; 2e-9 with the Gram accumulated over
 * blocks as here).
 *
 * <p>Both routes first scale A by the power of two that brings its largest magnitude into [1, 2)
 * and scale the eigenvalues back: exact in floating point, so the result is the same to the bit
 * for A and for A times any power of two, and single-precision products neither overflow nor
 * underflow however large or small the entries are (1e19 or 1e-22, say).
 */
public final class GramEigenvalues {
    /** Columns (wide matrices) or rows (tall ones) copied to native memory per ssyrk call. */
    static final int BLOCK = 512;

    /**
     * From this order on, dsyevd_2stage (band reduction by BLAS 3, then bulge chasing) beats the
     * one-stage dsyevd, whose tridiagonalisation streams the whole Gram matrix from memory for
     * every column once the matrix outgrows the cache. Measured at 2 threads: one-stage 25%
     * faster at p = 2048, two-stage 20% faster at 3072 and 4096.
     */
    static final int TWO_STAGE_FROM = 2560;

    private GramEigenvalues() {
    }

    /**
     * From float storage: blocked cblas_ssyrk, the diagonal in double, then the symmetric
     * eigensolver in double. Agrees with dgesdd in double to about 1e-8 relative on the largest
     * and median eigenvalues of BF16 layers.
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
        float factor = (float) unitScale(largestMagnitude(a));
        try (DoublePointer gram = mixedGram(a, rows, cols, factor, scale / ((double) factor * factor))) {
            return eigenvalues(gram, p);
        }
    }

    /** The largest |a_i|, 0 for none. */
    private static double largestMagnitude(float[] a) {
        float largest = 0;
        for (float x : a) {
            largest = Math.max(largest, Math.abs(x));
        }
        return largest;
    }

    /** The power of two that brings {@code largest} into [1, 2); 1 for 0 or a non-finite value. */
    static double unitScale(double largest) {
        return largest > 0 && Double.isFinite(largest) ? Math.scalb(1.0, -Math.getExponent(largest)) : 1;
    }

    /**
     * The p x p matrix {@code scale * B B^T} (rows &lt;= cols) or {@code scale * B^T B}, B = factor A,
     * in native memory, upper triangle set in row-major order (lower triangle column-major): single-precision
     * syrk off the diagonal, double-precision squared norms on it. Its eigenvalues are as good as
     * double's for spectra; eigenvectors of close eigenvalues are not, hence {@link #doubleGram}.
     * The caller closes it.
     */
    private static DoublePointer mixedGram(float[] a, int rows, int cols, float factor, double scale) {
        int p = Math.min(rows, cols);
        DoublePointer gram = new DoublePointer((long) p * p);
        try (FloatPointer single = new FloatPointer((long) p * p)) {
            forEachBlock(a, rows, cols, factor, (staged, first, width, transpose, ld) ->
                    openblas.cblas_ssyrk(openblas.CblasRowMajor, openblas.CblasUpper, transpose, p, width, 1f,
                            staged, ld, first ? 0f : 1f, single, p));
            widen(single, squaredNorms(a, rows, cols, factor), scale, gram);
        } catch (RuntimeException e) {
            gram.close();
            throw e;
        }
        return gram;
    }

    /**
     * The same matrix as {@link #mixedGram}, accumulated entirely in double by dsyrk over blocks
     * widened from float, for eigenvectors ({@link GramSvd}). The caller closes it.
     */
    static DoublePointer doubleGram(float[] a, int rows, int cols, double scale) {
        int p = Math.min(rows, cols);
        DoublePointer gram = new DoublePointer((long) p * p);
        try (DoublePointer widened = new DoublePointer((long) p * Math.min(BLOCK, Math.max(rows, cols)))) {
            float[] in = new float[p];
            double[] out = new double[p];
            forEachBlock(a, rows, cols, 1f, (staged, first, width, transpose, ld) -> {
                for (long at = 0, n = (long) p * width; at < n; at += p) {
                    staged.position(at).get(in);
                    for (int j = 0; j < p; j++) {
                        out[j] = in[j];
                    }
                    widened.position(at).put(out);
                }
                widened.position(0);
                openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, transpose, p, width, scale,
                        widened, ld, first ? 0.0 : 1.0, gram, p);
            });
        } catch (RuntimeException e) {
            gram.close();
            throw e;
        }
        return gram;
    }

    /** What the Gram routes do with one staged block: a syrk update of the Gram matrix. */
    @FunctionalInterface
    private interface BlockUpdate {
        /**
         * @param staged p * width values in native memory, row-major: the block's p rows of
         *     {@code width} columns (wide), or its {@code width} rows of p columns (tall)
         * @param first whether this is the first block (syrk's beta is 0)
         * @param transpose CblasNoTrans (wide: A A^T) or CblasTrans (tall: A^T A)
         * @param ld the leading dimension of {@code staged}
         */
        void accept(FloatPointer staged, boolean first, int width, int transpose, int ld);
    }

    /**
     * Copies {@code factor} A to native memory {@value #BLOCK} columns (wide) or rows (tall) at a
     * time, so a layer is never held twice, and hands each block to {@code update}.
     *
     * @param factor a power of two (exact), or 1
     */
    private static void forEachBlock(float[] a, int rows, int cols, float factor, BlockUpdate update) {
        if (rows < 0 || cols < 0 || a.length != (long) rows * cols) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix needs " + (long) rows * cols
                    + " values, got " + a.length);
        }
        OpenBlas.ensureLoaded();
        boolean wide = rows <= cols;
        int p = Math.min(rows, cols);
        int depth = Math.max(rows, cols);
        int block = Math.min(BLOCK, depth);
        float[] scaled = factor == 1f ? null : new float[Math.max(block, cols)];
        try (FloatPointer staged = new FloatPointer((long) p * block)) {
            for (int from = 0; from < depth; from += block) {
                int width = Math.min(block, depth - from);
                if (wide) {
                    for (int i = 0; i < rows; i++) {
                        stage(staged, (long) i * width, a, i * cols + from, width, factor, scaled);
                    }
                } else if (scaled == null) {
                    staged.position(0).put(a, from * cols, width * cols);
                } else {
                    for (int i = 0; i < width; i++) {
                        stage(staged, (long) i * cols, a, (from + i) * cols, cols, factor, scaled);
                    }
                }
                staged.position(0);
                update.accept(staged, from == 0, width, wide ? openblas.CblasNoTrans : openblas.CblasTrans,
                        wide ? width : cols);
            }
        }
    }

    /** Puts {@code length} values of {@code a} from {@code offset}, times {@code factor}, at {@code at}. */
    private static void stage(FloatPointer staged, long at, float[] a, int offset, int length, float factor,
                              float[] scratch) {
        if (scratch == null) {
            staged.position(at).put(a, offset, length);
            return;
        }
        for (int j = 0; j < length; j++) {
            scratch[j] = a[offset + j] * factor;
        }
        staged.position(at).put(scratch, 0, length);
    }

    /** Row norms squared (wide) or column norms squared (tall) of {@code factor} A, summed in double. */
    private static double[] squaredNorms(float[] a, int rows, int cols, float factor) {
        if (rows <= cols) {
            double[] norms = new double[rows];
            for (int i = 0; i < rows; i++) {
                double sum = 0;
                for (int j = i * cols, end = j + cols; j < end; j++) {
                    double x = a[j] * factor;
                    sum += x * x;
                }
                norms[i] = sum;
            }
            return norms;
        }
        double[] norms = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0, k = i * cols; j < cols; j++, k++) {
                double x = a[k] * factor;
                norms[j] += x * x;
            }
        }
        return norms;
    }

    /** Writes scale * (the upper triangle of {@code single}, with {@code diagonal} on it) to {@code gram}. */
    private static void widen(FloatPointer single, double[] diagonal, double scale, DoublePointer gram) {
        int p = diagonal.length;
        float[] in = new float[p];
        double[] out = new double[p];
        for (int i = 0; i < p; i++) {
            long at = (long) i * p + i;
            int n = p - i;
            single.position(at).get(in, 0, n);
            out[0] = scale * diagonal[i];
            for (int j = 1; j < n; j++) {
                out[j] = scale * in[j];
            }
            gram.position(at).put(out, 0, n);
        }
        single.position(0);
        gram.position(0);
    }

    /** Eigenvalues, ascending, of the p x p matrix whose column-major lower triangle is set; overwrites it. */
    private static double[] eigenvalues(DoublePointer gram, int p) {
        double[] eigenvalues = new double[p];
        try (DoublePointer w = new DoublePointer(p)) {
            int info = p >= TWO_STAGE_FROM
                    ? openblas.LAPACKE_dsyevd_2stage(openblas.LAPACK_COL_MAJOR, (byte) 'N', (byte) 'L', p, gram, p, w)
                    : openblas.LAPACKE_dsyevd(openblas.LAPACK_COL_MAJOR, (byte) 'N', (byte) 'L', p, gram, p, w);
            check(info);
            w.get(eigenvalues);
        }
        return eigenvalues;
    }

    /**
     * In double precision: cblas_dsyrk then the symmetric eigensolver (dsyevd, or dsyevd_2stage for
     * large orders).
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
        double[] data = a.data();
        double largest = 0;
        for (double x : data) {
            largest = Math.max(largest, Math.abs(x));
        }
        double factor = unitScale(largest);
        if (factor != 1) {
            data = data.clone();
            for (int i = 0; i < data.length; i++) {
                data[i] *= factor;
            }
        }
        try (DoublePointer in = new DoublePointer(data);
             DoublePointer gram = new DoublePointer((long) p * p)) {
            openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, transposeFor(rows, cols),
                    p, Math.max(rows, cols), scale, in, cols, 0.0, gram, p);
            double[] eigenvalues = eigenvalues(gram, p);
            // Back to A's scale in two steps: 1 / factor^2 alone can overflow where the result does not.
            for (int i = 0; i < p; i++) {
                eigenvalues[i] = eigenvalues[i] / factor / factor;
            }
            return eigenvalues;
        }
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
