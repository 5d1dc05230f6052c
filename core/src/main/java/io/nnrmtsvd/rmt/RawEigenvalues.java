package io.nnrmtsvd.rmt;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.DoubleLapack;

/**
 * The eigenvalues in WeightWatcher's units that SPEC section 9 uses: lambda_i = s_i^2, the squared
 * singular values of W with no 1/n, ascending, p = min(rows, cols) of them. Two routes:
 * <ul>
 *   <li>{@link #of(DMatrix)}, the Gram route: the {@link GramSpectrum} eigenvalues times the
 *   divisor of its Gram matrix (syrk then syevd; fast, about 20 times faster than an SVD on large
 *   layers). Round-off in the Gram matrix is about p eps lambda_max, so eigenvalues below that are
 *   set to exactly 0: singular values below roughly sqrt(p eps) s_max (1e-7 s_max) read as 0;
 *   those above are accurate to about 1e-12 lambda_max.
 *   <li>{@link #bySvd(DMatrix)}: the squares of dgesdd's singular values, accurate down to about
 *   eps s_max, as WeightWatcher computes them. It matters for the numerical rank and the entropy
 *   of a matrix with singular values between eps s_max and 1e-7 s_max, e.g. a low-rank product
 *   stored in float32, whose rounding leaves singular values near 1e-9 s_max: the SVD counts
 *   them (they exceed the rank tolerance max(rows, cols) eps s_max), the Gram route cannot see them.
 * </ul>
 */
public final class RawEigenvalues {
    private RawEigenvalues() {
    }

    /**
     * The raw eigenvalues of W by the Gram route, in double precision.
     *
     * @param w Not modified. At least 1 x 1, all entries finite.
     * @throws IllegalArgumentException for an empty matrix or a non-finite entry
     */
    public static double[] of(DMatrix w) {
        return of(GramSpectrum.of(w));
    }

    /** The raw eigenvalues of a spectrum already computed: its eigenvalues times n (or cols, as it was scaled). */
    public static double[] of(GramSpectrum spectrum) {
        double divisor = GramSpectrum.divisor(spectrum.rows(), spectrum.cols(), spectrum.scaling());
        double[] eigenvalues = spectrum.eigenvalues();
        for (int i = 0; i < eigenvalues.length; i++) {
            eigenvalues[i] *= divisor;
        }
        return eigenvalues;
    }

    /**
     * The raw eigenvalues of W as squared singular values from an SVD (LAPACK dgesdd).
     *
     * @param w Not modified. At least 1 x 1, all entries finite.
     * @throws IllegalArgumentException for an empty matrix or a non-finite entry
     * @throws ArithmeticException if LAPACK does not converge
     */
    public static double[] bySvd(DMatrix w) {
        if (w.rows() < 1 || w.cols() < 1) {
            throw new IllegalArgumentException("matrix must be at least 1x1, got " + w.rows() + "x" + w.cols());
        }
        double[] data = w.data();
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                throw new IllegalArgumentException("matrix entry (" + i / w.cols() + ", " + i % w.cols() + ") is "
                        + data[i] + "; the spectrum needs finite values");
            }
        }
        double[] s = DoubleLapack.singularValues(w);
        int p = s.length;
        double[] eigenvalues = new double[p];
        for (int i = 0; i < p; i++) {
            double value = s[p - 1 - i];
            eigenvalues[i] = value * value;
        }
        return eigenvalues;
    }
}
