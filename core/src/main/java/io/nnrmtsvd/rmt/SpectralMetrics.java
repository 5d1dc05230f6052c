package io.nnrmtsvd.rmt;

import java.util.Arrays;

/**
 * The norm and shape metrics of one layer (SPEC section 9), in WeightWatcher's units: from the
 * eigenvalues lambda_i = s_i^2 of W^T W (raw squared singular values, no 1/n), p = min(rows, cols)
 * of them. Names in parentheses are WeightWatcher's columns.
 *
 * <ul>
 *   <li>{@code log_norm} = log10(sum lambda), the squared Frobenius norm;
 *   <li>{@code log_spectral_norm} = log10(lambda_max), the squared spectral norm;
 *   <li>{@code stable_rank} = sum lambda / lambda_max;
 *   <li>{@code alpha_weighted} = alpha log10(lambda_max);
 *   <li>{@code log_alpha_norm} = log10(sum lambda^alpha), evaluated as
 *   alpha log10(lambda_max) + log10(sum (lambda / lambda_max)^alpha) so that it neither overflows
 *   nor underflows (WeightWatcher sums lambda^alpha directly and overflows for, e.g.,
 *   lambda = 1e3, alpha = 120);
 *   <li>{@code entropy} = -sum q_i ln q_i / ln R, q_i = lambda_i / sum lambda over the R
 *   eigenvalues whose singular value exceeds the numerical-rank tolerance
 *   s_max max(rows, cols) eps (eps = 2^-52); 1 for a flat spectrum, 0 when one direction holds
 *   everything. R = 1 gives 0 (ln R = 0; WeightWatcher adds 1e-10 to R and to every q_i, which
 *   makes R = 1 blow up and moves other values by about 1e-9);
 *   <li>{@code mp_softrank} = lambda_plus / lambda_max, lambda_plus the BEMA bulk edge in these
 *   units (n lambda_plus of SPEC section 4; WeightWatcher's own MP fit is a different estimator,
 *   so its column differs);
 *   <li>numerical rank R ({@code matrix_rank}).
 * </ul>
 *
 * <p>The numerical rank is only as good as the eigenvalues: from the Gram route
 * ({@link GramSpectrum}), eigenvalues below p eps lambda_max are set to 0, i.e. singular values
 * below sqrt(p eps) s_max (about 1e-7 s_max) count as zero, while an SVD resolves them down to the
 * tolerance above. Weights of trained networks lie far above either.
 *
 * @param rows rows of W
 * @param cols columns of W
 * @param alpha the power-law exponent the alpha metrics use (NaN when none was fitted: those
 *     two metrics are then NaN)
 * @param norm sum lambda, the squared Frobenius norm ({@code norm})
 * @param lambdaMax the largest eigenvalue ({@code spectral_norm}, {@code lambda_max})
 * @param logNorm log10(norm)
 * @param logSpectralNorm log10(lambdaMax)
 * @param stableRank norm / lambdaMax, in [1, p]
 * @param alphaWeighted alpha log10(lambdaMax)
 * @param logAlphaNorm log10(sum lambda^alpha)
 * @param entropy the normalised spectral entropy, in [0, 1]
 * @param mpSoftrank BEMA lambda_plus (these units) / lambdaMax; NaN without a BEMA fit
 * @param numericalRank R
 */
public record SpectralMetrics(int rows, int cols, double alpha, double norm, double lambdaMax, double logNorm,
                              double logSpectralNorm, double stableRank, double alphaWeighted, double logAlphaNorm,
                              double entropy, double mpSoftrank, int numericalRank) {
    /** The unit round-off of double, 2^-52, in the rank tolerance (numpy's finfo(float64).eps). */
    public static final double EPSILON = Math.ulp(1.0);

    /** The metrics with the alpha of a power-law fit; see {@link #of(double[], int, int, double, BemaFit)}. */
    public static SpectralMetrics of(double[] eigenvalues, int rows, int cols, PowerLawFit powerLaw, BemaFit bema) {
        return of(eigenvalues, rows, cols, powerLaw.alpha(), bema);
    }

    /**
     * The metrics without a BEMA fit: mp_softrank is NaN. The eigenvalues may also be a pooled
     * spectrum, k &gt;= 1 matrices of rows x cols each (a convolution's kernel positions,
     * {@link ConvolutionWeights#pooledEigenvalues}), k min(rows, cols) values in all; the rank
     * tolerance then uses the largest of them, as WeightWatcher does.
     *
     * @see #of(double[], int, int, double, BemaFit)
     */
    public static SpectralMetrics of(double[] eigenvalues, int rows, int cols, double alpha) {
        return compute(eigenvalues, rows, cols, alpha, null);
    }

    /**
     * Computes the metrics.
     *
     * @param eigenvalues Not modified. The min(rows, cols) raw eigenvalues s_i^2, finite,
     *     non-negative, ascending, not all zero.
     * @param alpha finite and &gt; 0, or NaN (see the alpha component)
     * @param bema a BEMA fit of the same spectrum scaled by 1/n (SPEC section 4) or, with the
     *     notebook's quirks, by 1/cols: its largest eigenvalue times n (or cols) must be lambda_max
     *     to 1e-6 relative
     * @throws IllegalArgumentException for eigenvalues that are not as described, an alpha that
     *     is not, or a BEMA fit of another spectrum
     */
    public static SpectralMetrics of(double[] eigenvalues, int rows, int cols, double alpha, BemaFit bema) {
        if (eigenvalues.length != Math.min(rows, cols)) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix has " + Math.max(0, Math.min(rows, cols))
                    + " eigenvalues, got " + eigenvalues.length);
        }
        return compute(eigenvalues, rows, cols, alpha, bema);
    }

    private static SpectralMetrics compute(double[] eigenvalues, int rows, int cols, double alpha, BemaFit bema) {
        int n = Math.max(rows, cols);
        int p = eigenvalues.length;
        if (Math.min(rows, cols) < 1 || p == 0 || p % Math.min(rows, cols) != 0) {
            throw new IllegalArgumentException(rows + "x" + cols + " matrices have a multiple of "
                    + Math.max(0, Math.min(rows, cols)) + " eigenvalues, got " + p);
        }
        Spectra.checkAscending(eigenvalues, "eigenvalue");
        double lambdaMax = eigenvalues[p - 1];
        if (!(lambdaMax > 0)) {
            throw new IllegalArgumentException("an all-zero matrix has no norm metrics (log10 of 0)");
        }
        if (!(Double.isNaN(alpha) || (alpha > 0 && alpha < Double.POSITIVE_INFINITY))) {
            throw new IllegalArgumentException("alpha must be finite and > 0, or NaN, got " + alpha);
        }
        double norm = Spectra.sum(eigenvalues);
        double logMax = Math.log10(lambdaMax);

        double[] powers = new double[p];
        for (int i = 0; i < p; i++) {
            powers[i] = Math.pow(eigenvalues[i] / lambdaMax, alpha);
        }
        double logAlphaNorm = alpha * logMax + Math.log10(Spectra.sum(powers));

        // singular values above s_max max(rows, cols) eps, i.e. eigenvalues above lambda_max (n eps)^2
        double tolerance = Math.sqrt(lambdaMax) * n * EPSILON;
        int rank = 0;
        for (double value : eigenvalues) {
            if (Math.sqrt(value) > tolerance) {
                rank++;
            }
        }
        double entropy = entropy(eigenvalues, p - rank);

        return new SpectralMetrics(rows, cols, alpha, norm, lambdaMax, Math.log10(norm), logMax, norm / lambdaMax,
                alpha * logMax, logAlphaNorm, entropy,
                bema == null ? Double.NaN : edgeInTheseUnits(bema, lambdaMax, rows, cols) / lambdaMax, rank);
    }

    /** -sum q ln q / ln R over the eigenvalues from index {@code first} on (the R above the tolerance). */
    private static double entropy(double[] eigenvalues, int first) {
        int rank = eigenvalues.length - first;
        if (rank <= 1) {
            return 0;
        }
        double[] kept = Arrays.copyOfRange(eigenvalues, first, eigenvalues.length);
        double total = Spectra.sum(kept);
        double[] terms = new double[rank];
        for (int i = 0; i < rank; i++) {
            double q = kept[i] / total;
            terms[i] = q > 0 ? -q * Math.log(q) : 0;
        }
        return Spectra.sum(terms) / Math.log(rank);
    }

    /** BEMA's lambda_plus on the raw scale: times n, or times cols for a fit of the notebook's scaling. */
    private static double edgeInTheseUnits(BemaFit bema, double lambdaMax, int rows, int cols) {
        double[] fitted = bema.eigenvalues();
        if (bema.p() != Math.min(rows, cols) || fitted.length == 0) {
            throw new IllegalArgumentException("the BEMA fit has p = " + bema.p() + ", the matrix " + rows + "x" + cols);
        }
        double scale = lambdaMax / fitted[fitted.length - 1];
        for (int divisor : new int[] {Math.max(rows, cols), cols}) {
            if (Math.abs(scale - divisor) <= 1e-6 * divisor) {
                return divisor * bema.lambdaPlus();
            }
        }
        throw new IllegalArgumentException("the BEMA fit is not of this spectrum: its largest eigenvalue is "
                + fitted[fitted.length - 1] + ", lambda_max / n would be " + lambdaMax / Math.max(rows, cols));
    }
}
