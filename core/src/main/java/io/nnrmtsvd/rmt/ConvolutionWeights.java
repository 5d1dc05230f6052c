package io.nnrmtsvd.rmt;

import io.nnrmtsvd.linalg.DMatrix;
import java.util.Arrays;

/**
 * A convolution's weights as matrices (SPEC section 9). The kernel is a row-major (C-order)
 * array of shape [out, in, kh, kw], as PyTorch stores Conv2d weights: element (o, i, a, b) is
 * {@code w[((o * in + i) * kh + a) * kw + b]}. Two ways to see it as matrices:
 * <ul>
 *   <li>per kernel position (WeightWatcher's way): the kh kw matrices W_ab = W[:, :, a, b] of
 *   shape out x in, whose raw eigenvalues ({@link RawEigenvalues}) are pooled into one spectrum
 *   of kh kw min(out, in) values ({@link #pooledEigenvalues});
 *   <li>unfolded (the follow-up paper's way, and the one {@code compress} factors): the
 *   out x (in kh kw) matrix whose row o is the kernel of output o, column (i kh + a) kw + b
 *   ({@link #unfold}); the same memory read as a matrix. A rank-k factorisation of it is a
 *   [k, in, kh, kw] convolution followed by an [out, k, 1, 1] one.
 * </ul>
 * (WeightWatcher also multiplies convolution weights by sqrt(kh kw / 2) by default, its
 * {@code conv2d_norm}; these helpers do not rescale.) Pure functions; inputs are not modified.
 */
public final class ConvolutionWeights {
    private ConvolutionWeights() {
    }

    /**
     * The matrix W[:, :, a, b], out x in.
     *
     * @param w Not modified. out * in * kh * kw values.
     * @throws IllegalArgumentException for a shape that does not fit or a position outside it
     */
    public static DMatrix kernelPosition(double[] w, int out, int in, int kh, int kw, int a, int b) {
        checkShape(w.length, out, in, kh, kw);
        if (a < 0 || a >= kh || b < 0 || b >= kw) {
            throw new IllegalArgumentException("kernel position (" + a + ", " + b + ") is outside " + kh + "x" + kw);
        }
        double[] slice = new double[out * in];
        int stride = kh * kw;
        for (int k = 0, at = a * kw + b; k < slice.length; k++, at += stride) {
            slice[k] = w[at];
        }
        return DMatrix.wrap(out, in, slice);
    }

    /** {@link #kernelPosition(double[], int, int, int, int, int, int)} for float weights, widened to double. */
    public static DMatrix kernelPosition(float[] w, int out, int in, int kh, int kw, int a, int b) {
        return kernelPosition(widen(w), out, in, kh, kw, a, b);
    }

    /**
     * The raw eigenvalues of the kh kw matrices W[:, :, a, b] pooled into one ascending array of
     * kh kw min(out, in) values (each matrix by {@link RawEigenvalues#of(DMatrix)}, in double).
     *
     * @param w Not modified. out * in * kh * kw finite values.
     * @throws IllegalArgumentException for a shape that does not fit or a non-finite value
     */
    public static double[] pooledEigenvalues(double[] w, int out, int in, int kh, int kw) {
        checkShape(w.length, out, in, kh, kw);
        int p = Math.min(out, in);
        double[] pooled = new double[kh * kw * p];
        for (int a = 0; a < kh; a++) {
            for (int b = 0; b < kw; b++) {
                double[] eigenvalues = RawEigenvalues.of(kernelPosition(w, out, in, kh, kw, a, b));
                System.arraycopy(eigenvalues, 0, pooled, (a * kw + b) * p, p);
            }
        }
        Arrays.sort(pooled);
        return pooled;
    }

    /** {@link #pooledEigenvalues(double[], int, int, int, int)} for float weights, widened to double. */
    public static double[] pooledEigenvalues(float[] w, int out, int in, int kh, int kw) {
        return pooledEigenvalues(widen(w), out, in, kh, kw);
    }

    /**
     * The unfolded out x (in kh kw) matrix (a copy).
     *
     * @param w Not modified. out * in * kh * kw values.
     * @throws IllegalArgumentException for a shape that does not fit
     */
    public static DMatrix unfold(double[] w, int out, int in, int kh, int kw) {
        checkShape(w.length, out, in, kh, kw);
        return DMatrix.copyOf(out, in * kh * kw, w);
    }

    /** {@link #unfold(double[], int, int, int, int)} for float weights, widened to double. */
    public static DMatrix unfold(float[] w, int out, int in, int kh, int kw) {
        checkShape(w.length, out, in, kh, kw);
        return DMatrix.copyOf(out, in * kh * kw, w);
    }

    private static void checkShape(int length, int out, int in, int kh, int kw) {
        if (out < 1 || in < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException("a kernel shape must be positive, got [" + out + ", " + in + ", " + kh
                    + ", " + kw + "]");
        }
        long size = (long) out * in * kh * kw;
        if (size != length) {
            throw new IllegalArgumentException("a [" + out + ", " + in + ", " + kh + ", " + kw + "] kernel has " + size
                    + " values, got " + length);
        }
    }

    private static double[] widen(float[] w) {
        double[] wide = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            wide[i] = w[i];
        }
        return wide;
    }
}
