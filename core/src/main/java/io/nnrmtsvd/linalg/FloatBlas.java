package io.nnrmtsvd.linalg;

import java.nio.FloatBuffer;
import org.bytedeco.openblas.global.openblas;

/**
 * Single-precision BLAS on direct buffers, row-major. Each buffer argument must be direct
 * ({@link OffHeapFloats}); BLAS then works on its memory in place, starting at the buffer's
 * position (JavaCPP passes the address of that element), and the sizes are checked against what
 * remains after it. Use {@link OffHeapFloats#view} for a fixed offset; moving the position of a
 * buffer of one's own is the offset that allocates nothing.
 */
public final class FloatBlas {
    private FloatBlas() {
    }

    /**
     * C = alpha op(A) op(B) + beta C, with op(A) m x k, op(B) k x n, C m x n, all row-major and
     * densely packed (leading dimension = stored column count).
     *
     * @param a Not modified. Stored m x k, or k x m when {@code transA}.
     * @param b Not modified. Stored k x n, or n x k when {@code transB}.
     * @param c Modified.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float alpha, FloatBuffer a, FloatBuffer b, float beta, FloatBuffer c) {
        requireDirect(a, b, c);
        checkSize("A", a, (long) m * k);
        checkSize("B", b, (long) k * n);
        checkSize("C", c, (long) m * n);
        OpenBlas.ensureLoaded();
        openblas.cblas_sgemm(openblas.CblasRowMajor,
                transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans,
                m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, beta, c, n);
    }

    /**
     * C = alpha op(A) op(B) + beta C on strided row-major blocks: as {@link #gemm(boolean, boolean,
     * int, int, int, float, FloatBuffer, FloatBuffer, float, FloatBuffer)}, but each matrix starts
     * at its buffer's position and has its own leading dimension, the distance between the
     * starts of two stored rows. This is how one block of rows or columns of a larger product is
     * computed in place.
     *
     * @param a Not modified. Stored m x k (k x m when {@code transA}) with row stride {@code lda}.
     * @param b Not modified. Stored k x n (n x k when {@code transB}) with row stride {@code ldb}.
     * @param c Modified. Stored m x n with row stride {@code ldc}.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            FloatBuffer a, int lda, FloatBuffer b, int ldb, float beta, FloatBuffer c, int ldc) {
        requireDirect(a, b, c);
        checkBlock("A", a, transA ? k : m, transA ? m : k, lda);
        checkBlock("B", b, transB ? n : k, transB ? k : n, ldb);
        checkBlock("C", c, m, n, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        OpenBlas.ensureLoaded();
        openblas.cblas_sgemm(openblas.CblasRowMajor,
                transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans,
                m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /**
     * y = alpha op(A) x + beta y on a strided block: A is stored rows x cols with row stride
     * {@code lda}, starting at its buffer's position.
     *
     * @param a Not modified.
     * @param x Not modified. Length cols, or rows when {@code transA}.
     * @param y Modified. Length rows, or cols when {@code transA}.
     */
    public static void gemv(boolean transA, int rows, int cols, float alpha, FloatBuffer a, int lda,
                            FloatBuffer x, float beta, FloatBuffer y) {
        requireDirect(a, x, y);
        checkBlock("A", a, rows, cols, lda);
        checkSize("x", x, transA ? rows : cols);
        checkSize("y", y, transA ? cols : rows);
        if (rows == 0 || cols == 0) {
            return;
        }
        OpenBlas.ensureLoaded();
        openblas.cblas_sgemv(openblas.CblasRowMajor,
                transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                rows, cols, alpha, a, lda, x, 1, beta, y, 1);
    }

    /**
     * y = alpha op(A) x + beta y with A stored rows x cols row-major.
     *
     * @param a Not modified.
     * @param x Not modified. Length cols, or rows when {@code transA}.
     * @param y Modified. Length rows, or cols when {@code transA}.
     */
    public static void gemv(boolean transA, int rows, int cols, float alpha, FloatBuffer a,
                            FloatBuffer x, float beta, FloatBuffer y) {
        requireDirect(a, x, y);
        checkSize("A", a, (long) rows * cols);
        checkSize("x", x, transA ? rows : cols);
        checkSize("y", y, transA ? cols : rows);
        OpenBlas.ensureLoaded();
        openblas.cblas_sgemv(openblas.CblasRowMajor,
                transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                rows, cols, alpha, a, cols, x, 1, beta, y, 1);
    }

    /**
     * y = alpha x + y over the first {@code n} entries.
     *
     * @param x Not modified.
     * @param y Modified.
     */
    public static void axpy(int n, float alpha, FloatBuffer x, FloatBuffer y) {
        requireDirect(x, y);
        checkSize("x", x, n);
        checkSize("y", y, n);
        OpenBlas.ensureLoaded();
        openblas.cblas_saxpy(n, alpha, x, 1, y, 1);
    }

    /**
     * x = alpha x over the first {@code n} entries.
     *
     * @param x Modified.
     */
    public static void scal(int n, float alpha, FloatBuffer x) {
        requireDirect(x);
        checkSize("x", x, n);
        OpenBlas.ensureLoaded();
        openblas.cblas_sscal(n, alpha, x, 1);
    }

    // Overloads, not varargs: the training loop calls these thousands of times a second and should
    // allocate nothing.
    private static void requireDirect(FloatBuffer a, FloatBuffer b, FloatBuffer c) {
        requireDirect(a);
        requireDirect(b);
        requireDirect(c);
    }

    private static void requireDirect(FloatBuffer a, FloatBuffer b) {
        requireDirect(a);
        requireDirect(b);
    }

    private static void requireDirect(FloatBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("BLAS buffers must be direct (see OffHeapFloats)");
        }
    }

    private static void checkBlock(String name, FloatBuffer buffer, int rows, int cols, int ld) {
        if (rows < 0 || cols < 0 || ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(name + ": " + rows + " x " + cols + " with row stride " + ld);
        }
        checkSize(name, buffer, rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols);
    }

    private static void checkSize(String name, FloatBuffer buffer, long needed) {
        if (buffer.remaining() < needed) {
            String from = buffer.position() == 0 ? "" : " from position " + buffer.position();
            throw new IllegalArgumentException(name + " holds " + buffer.remaining() + " floats" + from
                    + ", needs " + needed);
        }
    }
}
