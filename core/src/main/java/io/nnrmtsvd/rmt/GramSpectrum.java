package io.nnrmtsvd.rmt;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.GramEigenvalues;

/**
 * The spectrum of one layer (SPEC section 2): for W of shape rows x cols (out x in), with
 * p = min(rows, cols), n = max(rows, cols) and gamma = p / n, the p eigenvalues of the smaller
 * Gram matrix (W W^T or W^T W) divided by n, in ascending order. They are the squared singular
 * values of W over n. Eigenvalues that round-off cannot tell from zero are set to exactly 0, and
 * so are the slightly negative ones LAPACK can return: in double precision those below
 * p * epsilon * (largest eigenvalue); from float storage ({@link #ofFloats}, whose off-diagonal
 * products are single precision) those below {@value #FLOAT_FLOOR} * epsilon_float * sqrt(n) *
 * (mean eigenvalue), the round-off of those products measured on rank-one and random matrices
 * (at most 4.6 such units seen). So a matrix of rank r has r non-zero eigenvalues on both routes,
 * and the spectrum does not depend on the scale of W (see {@link GramEigenvalues}).
 *
 * <p>{@link Scaling#BY_COLUMNS} divides by cols instead, as the original notebook does; it
 * changes the scale of the eigenvalues when rows &gt; cols, not which of them are spikes.
 *
 * <p>Computation: syrk then syevd, off the Java heap ({@link GramEigenvalues}); in double
 * precision from a {@link DMatrix}, in single precision from {@code float[][]} (for very large
 * layers: absolute errors about 1e-6 of the largest eigenvalue, three times faster; relative
 * errors of mid-spectrum eigenvalues reach 1e-6 on 512 x 1376 layers), or in double precision
 * from row-major float storage ({@link #ofFloats}). Instances are immutable.
 */
public final class GramSpectrum {
    /** The float route's round-off floor in units of epsilon_float * sqrt(n) * mean eigenvalue. */
    static final int FLOAT_FLOOR = 16;

    /** What the Gram matrix is divided by. */
    public enum Scaling {
        /** By n = max(rows, cols): eigenvalues are s_i^2 / n (correct). */
        BY_N,
        /** By cols (the number of inputs), as the original notebook does. */
        BY_COLUMNS
    }

    private final int rows;
    private final int cols;
    private final Scaling scaling;
    private final double[] eigenvalues;

    private GramSpectrum(int rows, int cols, Scaling scaling, double[] eigenvalues) {
        this.rows = rows;
        this.cols = cols;
        this.scaling = scaling;
        this.eigenvalues = eigenvalues;
    }

    /** The spectrum of W divided by n, in double precision. */
    public static GramSpectrum of(DMatrix w) {
        return of(w, Scaling.BY_N);
    }

    /**
     * The spectrum of W in double precision.
     *
     * @param w Not modified. At least 1 x 1, all entries finite.
     * @throws IllegalArgumentException for an empty matrix or a non-finite entry
     */
    public static GramSpectrum of(DMatrix w, Scaling scaling) {
        checkShape(w.rows(), w.cols());
        double[] data = w.data();
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                throw nonFinite(i / w.cols(), i % w.cols(), data[i]);
            }
        }
        double divisor = divisor(w.rows(), w.cols(), scaling);
        return new GramSpectrum(w.rows(), w.cols(), scaling,
                clampRoundOff(finite(GramEigenvalues.ofDouble(w, 1 / divisor)), Math.ulp(1.0)));
    }

    /**
     * The spectrum of a row-major matrix in double precision.
     *
     * @param rowMajor Not modified. rows * cols values.
     */
    public static GramSpectrum of(double[] rowMajor, int rows, int cols, Scaling scaling) {
        checkShape(rows, cols);
        return of(DMatrix.wrap(rows, cols, rowMajor), scaling);
    }

    /**
     * The spectrum of a row-major float matrix by {@link GramEigenvalues#ofFloats} (ssyrk off the
     * diagonal, everything else in double): within about 1e-8 relative of
     * {@link #of(DMatrix, Scaling)} on the same values, with the matrix held once, in float. The
     * route for large layers of checkpoints.
     *
     * @param rowMajor Not modified. rows * cols values, all finite.
     * @throws IllegalArgumentException for an empty matrix, a wrong number of values or a
     *     non-finite entry
     */
    public static GramSpectrum ofFloats(float[] rowMajor, int rows, int cols, Scaling scaling) {
        checkShape(rows, cols);
        if (rowMajor.length != (long) rows * cols) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix needs " + (long) rows * cols
                    + " values, got " + rowMajor.length);
        }
        for (int i = 0; i < rowMajor.length; i++) {
            if (!Float.isFinite(rowMajor[i])) {
                throw nonFinite(i / cols, i % cols, rowMajor[i]);
            }
        }
        double divisor = divisor(rows, cols, scaling);
        double[] eigenvalues = finite(GramEigenvalues.ofFloats(rowMajor, rows, cols, 1 / divisor));
        double sum = 0;
        for (double e : eigenvalues) {
            sum += Math.max(0, e);
        }
        double floor = FLOAT_FLOOR * Math.ulp(1.0f) * Math.sqrt(Math.max(rows, cols)) * sum / eigenvalues.length;
        return new GramSpectrum(rows, cols, scaling, clampBelow(eigenvalues, floor));
    }

    /**
     * The spectrum of a float matrix computed in single precision (see the class comment).
     *
     * @param w Not modified. Rectangular {@code float[rows][cols]}, all entries finite.
     * @throws IllegalArgumentException for an empty or ragged array or a non-finite entry
     */
    public static GramSpectrum ofSinglePrecision(float[][] w, Scaling scaling) {
        int rows = w.length;
        int cols = rows == 0 ? 0 : w[0].length;
        checkShape(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < w[i].length; j++) {
                if (!Float.isFinite(w[i][j])) {
                    throw nonFinite(i, j, w[i][j]);
                }
            }
        }
        double divisor = divisor(rows, cols, scaling);
        return new GramSpectrum(rows, cols, scaling, clampRoundOff(GramEigenvalues.ofFloat(w, 1 / divisor), Math.ulp(1.0f)));
    }

    /**
     * The spectrum from the singular values of W, without forming W: eigenvalue i is
     * s_i^2 / divisor, sorted ascending.
     *
     * @param singularValues Not modified. min(rows, cols) finite, non-negative values, descending.
     * @throws IllegalArgumentException if they are not
     */
    public static GramSpectrum fromSingularValues(double[] singularValues, int rows, int cols, Scaling scaling) {
        checkSingularValues(singularValues, rows, cols);
        double divisor = divisor(rows, cols, scaling);
        int p = singularValues.length;
        double[] eigenvalues = new double[p];
        for (int i = 0; i < p; i++) {
            double s = singularValues[p - 1 - i];
            eigenvalues[i] = s * s / divisor;
        }
        return new GramSpectrum(rows, cols, scaling, eigenvalues);
    }

    /**
     * The spectrum from the eigenvalues of the unscaled smaller Gram matrix (W W^T or W^T W, e.g.
     * {@code GramSvd.eigenvalues()}), computed in double: scaled, and round-off below
     * p * machine epsilon * the largest set to 0.
     *
     * @param gramEigenvalues Not modified. p values, ascending.
     * @throws IllegalArgumentException for an empty matrix or a wrong number of values
     */
    public static GramSpectrum ofGramEigenvalues(double[] gramEigenvalues, int rows, int cols, Scaling scaling) {
        checkShape(rows, cols);
        if (gramEigenvalues.length != Math.min(rows, cols)) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix has " + Math.min(rows, cols)
                    + " Gram eigenvalues, got " + gramEigenvalues.length);
        }
        double divisor = divisor(rows, cols, scaling);
        double[] eigenvalues = new double[gramEigenvalues.length];
        for (int i = 0; i < eigenvalues.length; i++) {
            eigenvalues[i] = gramEigenvalues[i] / divisor;
        }
        return new GramSpectrum(rows, cols, scaling, clampRoundOff(eigenvalues, Math.ulp(1.0)));
    }

    /** Number of rows of W (outputs). */
    public int rows() {
        return rows;
    }

    /** Number of columns of W (inputs). */
    public int cols() {
        return cols;
    }

    /** p = min(rows, cols), the number of eigenvalues. */
    public int p() {
        return Math.min(rows, cols);
    }

    /** n = max(rows, cols). */
    public int n() {
        return Math.max(rows, cols);
    }

    /** gamma = p / n, in (0, 1]. */
    public double gamma() {
        return (double) p() / n();
    }

    /** How the Gram matrix was scaled. */
    public Scaling scaling() {
        return scaling;
    }

    /** The eigenvalues in ascending order (a copy). */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    @Override
    public String toString() {
        return "GramSpectrum[" + rows + "x" + cols + ", " + scaling + "]";
    }

    /**
     * The divisor of the Gram matrix for a rows x cols matrix under the given scaling: the raw
     * eigenvalues s_i^2 are the spectrum's eigenvalues times it.
     */
    public static double divisor(int rows, int cols, Scaling scaling) {
        return scaling == Scaling.BY_COLUMNS ? cols : Math.max(rows, cols);
    }

    /**
     * Checks that singular values fit a rows x cols matrix: min(rows, cols) of them, finite,
     * non-negative and descending.
     *
     * @throws IllegalArgumentException naming the first problem
     */
    static void checkSingularValues(double[] s, int rows, int cols) {
        checkShape(rows, cols);
        int p = Math.min(rows, cols);
        if (s.length != p) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix has " + p
                    + " singular values, got " + s.length);
        }
        for (int i = 0; i < p; i++) {
            if (!Double.isFinite(s[i]) || s[i] < 0) {
                throw new IllegalArgumentException("singular value " + i + " is " + s[i]
                        + "; they must be finite and non-negative");
            }
            if (i > 0 && s[i] > s[i - 1]) {
                throw new IllegalArgumentException("singular values must be descending: s[" + (i - 1)
                        + "] = " + s[i - 1] + " < s[" + i + "] = " + s[i]);
            }
        }
    }

    private static void checkShape(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("matrix must be at least 1x1, got " + rows + "x" + cols);
        }
    }

    private static IllegalArgumentException nonFinite(int i, int j, double value) {
        return new IllegalArgumentException("matrix entry (" + i + ", " + j + ") is " + value
                + "; the spectrum needs finite values");
    }

    private static double[] clampRoundOff(double[] eigenvalues, double epsilon) {
        return clampBelow(eigenvalues, eigenvalues.length * epsilon * eigenvalues[eigenvalues.length - 1]);
    }

    /** Sets the eigenvalues at or below {@code floor} to 0; modifies and returns them. */
    private static double[] clampBelow(double[] eigenvalues, double floor) {
        for (int i = 0; i < eigenvalues.length; i++) {
            if (eigenvalues[i] <= floor) {
                eigenvalues[i] = 0;
            }
        }
        return eigenvalues;
    }

    /** The eigenvalues, if all are finite: squares of huge entries can exceed the double range. */
    private static double[] finite(double[] eigenvalues) {
        for (double e : eigenvalues) {
            if (!Double.isFinite(e)) {
                throw new IllegalArgumentException("the spectrum exceeds the range of double precision (an "
                        + "eigenvalue is " + e + "); the entries are too large to square: scale the matrix down");
            }
        }
        return eigenvalues;
    }
}
