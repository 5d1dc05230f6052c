package io.nnrmtsvd.rmt;

import io.nnrmtsvd.linalg.DMatrix;
import java.util.Objects;

/**
 * Bulk eigenvalue matching analysis (Ke, Ma and Lin, JASA 2021) as SPEC section 4 specifies
 * it: fits the Marchenko–Pastur law to the middle of a spectrum to estimate the noise variance
 * sigma^2, puts the bulk edge lambda_plus a Tracy–Widom margin above the MP edge, and counts
 * the eigenvalues above it as spikes (signal).
 *
 * <p>For eigenvalues lambda_0 &lt;= ... &lt;= lambda_{p-1} and gamma = p / n:
 * <ol>
 *   <li>fit range i = floor(alpha p) ... floor((1 - alpha) p) - 1, m indices;
 *   <li>q_i = the (i / p)-quantile of MP(gamma, 1);
 *   <li>sigma^2 = sum q_i lambda_i / sum q_i^2;
 *   <li>t = the (1 - beta)-quantile of Tracy–Widom with beta_TW = 1;
 *   <li>lambda_plus = sigma^2 ((1 + sqrt(gamma))^2 + t n^(-2/3) gamma^(-1/6) (1 + sqrt(gamma))^(4/3));
 *   <li>spikes = #{i : lambda_i &gt; lambda_plus}, s_plus = sqrt(n lambda_plus);
 *   <li>fit error = max_j |F_MP(lambda_{i_j}; gamma, sigma^2) - (alpha + (1 - 2 alpha) j / m)|,
 *   a good fit when it is below the cutoff.
 * </ol>
 *
 * <p>Notebook quirks ({@link #withNotebookQuirks}) reproduce the original notebook where it
 * departs from this: the Gram matrix divided by the number of columns ({@link #fit(DMatrix)}
 * only; see {@link GramSpectrum.Scaling#BY_COLUMNS}); the margin factor read as
 * (1 + sqrt(gamma))^4 / 3; a distribution function that is 0, not 1, above the upper MP edge in
 * the fit error. (The notebook's off-by-one in the noise count belongs to pruning:
 * {@code io.nnrmtsvd.prune}.)
 *
 * <p>Degenerate input: a spectrum whose fit range is all zeros gives sigma^2 = 0 and
 * lambda_plus = 0, so every non-zero eigenvalue counts as a spike: none for an all-zero matrix,
 * the rank for a noise-free low-rank one; such a fit is never good. A fit range that is empty
 * (p too small for alpha, e.g. p = 1) or holds only the zero quantile (p = 2 with gamma = 1)
 * cannot determine sigma^2 and is rejected with an IllegalArgumentException.
 *
 * <p>Configured like an immutable fitter: {@code Bema.create().withAlpha(0.25).fit(w)}. Defaults
 * alpha = 0.2, beta = 0.1, cutoff = 0.1 (the notebook's training-time settings; it reports the
 * predicted rank with alpha = 0.25 and cutoff 0.01). Thread-safe.
 */
public final class Bema {
    /** Default share of the spectrum left out at each end of the fit. */
    public static final double DEFAULT_ALPHA = 0.2;
    /** Default Tracy–Widom tail probability of the edge. */
    public static final double DEFAULT_BETA = 0.1;
    /** Default fit-error cutoff for a good fit. */
    public static final double DEFAULT_CUTOFF = 0.1;

    private final double alpha;
    private final double beta;
    private final double cutoff;
    private final boolean notebookQuirks;

    private Bema(double alpha, double beta, double cutoff, boolean notebookQuirks) {
        if (!(alpha > 0 && alpha < 0.5)) {
            throw new IllegalArgumentException("alpha must be in (0, 0.5), got " + alpha);
        }
        if (!(beta > 0 && beta < 1)) {
            throw new IllegalArgumentException("beta must be in (0, 1), got " + beta);
        }
        if (!(cutoff > 0 && cutoff < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("cutoff must be finite and > 0, got " + cutoff);
        }
        this.alpha = alpha;
        this.beta = beta;
        this.cutoff = cutoff;
        this.notebookQuirks = notebookQuirks;
    }

    /** A fitter with the default settings and no notebook quirks. */
    public static Bema create() {
        return new Bema(DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_CUTOFF, false);
    }

    /**
     * The same fitter with another alpha.
     *
     * @param alpha in (0, 0.5)
     */
    public Bema withAlpha(double alpha) {
        return new Bema(alpha, beta, cutoff, notebookQuirks);
    }

    /**
     * The same fitter with another Tracy–Widom tail probability.
     *
     * @param beta in (0, 1)
     */
    public Bema withBeta(double beta) {
        return new Bema(alpha, beta, cutoff, notebookQuirks);
    }

    /**
     * The same fitter with another fit-error cutoff.
     *
     * @param cutoff finite, &gt; 0 (1 or more switches the fit test off)
     */
    public Bema withCutoff(double cutoff) {
        return new Bema(alpha, beta, cutoff, notebookQuirks);
    }

    /** The same fitter reproducing (or not) the original notebook's slips, listed in the class comment. */
    public Bema withNotebookQuirks(boolean notebookQuirks) {
        return new Bema(alpha, beta, cutoff, notebookQuirks);
    }

    /** Share of the spectrum left out at each end of the fit. */
    public double alpha() {
        return alpha;
    }

    /** Tracy–Widom tail probability of the edge. */
    public double beta() {
        return beta;
    }

    /** Fit-error cutoff. */
    public double cutoff() {
        return cutoff;
    }

    /** Whether the notebook's slips are reproduced. */
    public boolean notebookQuirks() {
        return notebookQuirks;
    }

    /** The Gram scaling this fitter uses for matrices: by n, or by columns with notebook quirks. */
    public GramSpectrum.Scaling scaling() {
        return notebookQuirks ? GramSpectrum.Scaling.BY_COLUMNS : GramSpectrum.Scaling.BY_N;
    }

    /**
     * Fits a weight matrix: its spectrum in double precision ({@link GramSpectrum}), scaled as
     * {@link #scaling()} says, then {@link #fit(GramSpectrum)}.
     *
     * @param w Not modified.
     * @throws IllegalArgumentException for non-finite entries or a matrix too small to fit
     */
    public BemaFit fit(DMatrix w) {
        return fit(GramSpectrum.of(w, scaling()));
    }

    /** Fits a spectrum; p and n are taken from it. */
    public BemaFit fit(GramSpectrum spectrum) {
        return fit(spectrum.eigenvalues(), spectrum.p(), spectrum.n());
    }

    /**
     * Fits p eigenvalues of a Gram matrix scaled by 1/n.
     *
     * @param ascendingEigenvalues Not modified. p finite, non-negative values in ascending order.
     * @param p number of eigenvalues, min(rows, cols)
     * @param n max(rows, cols), at least p
     * @throws IllegalArgumentException for NaN, infinite, negative or unsorted eigenvalues, a
     *     length other than p, n &lt; p, or a fit range that cannot determine sigma^2
     */
    public BemaFit fit(double[] ascendingEigenvalues, int p, int n) {
        double[] lambda = ascendingEigenvalues.clone();
        checkEigenvalues(lambda, p, n);
        double gamma = (double) p / n;
        int first = (int) Math.floor(alpha * p);
        int end = (int) Math.floor((1 - alpha) * p);
        int m = end - first;
        if (m <= 0) {
            throw new IllegalArgumentException("BEMA fit range is empty: p = " + p
                    + " eigenvalues are too few for alpha = " + alpha);
        }
        MarchenkoPastur unit = new MarchenkoPastur(gamma, 1);
        double[] q = new double[m];
        double cross = 0;
        double square = 0;
        for (int j = 0; j < m; j++) {
            int i = first + j;
            q[j] = unit.quantile((double) i / p);
            cross += q[j] * lambda[i];
            square += q[j] * q[j];
        }
        if (square == 0) {
            throw new IllegalArgumentException("BEMA fit range holds only the MP lower edge 0 (p = " + p
                    + ", gamma = " + gamma + "): too few eigenvalues to estimate sigma2");
        }
        double sigma2 = cross / square;
        double t = TracyWidom.of(1).quantile(1 - beta);
        double root = Math.sqrt(gamma);
        double marginFactor = notebookQuirks ? Math.pow(1 + root, 4) / 3 : Math.pow(1 + root, 4.0 / 3.0);
        double lambdaPlus = sigma2 * ((1 + root) * (1 + root)
                + t * Math.pow(n, -2.0 / 3.0) * Math.pow(gamma, -1.0 / 6.0) * marginFactor);
        int spikes = 0;
        for (double value : lambda) {
            if (value > lambdaPlus) {
                spikes++;
            }
        }
        MarchenkoPastur fitted = new MarchenkoPastur(gamma, sigma2);
        double fitError = 0;
        for (int j = 0; j < m; j++) {
            double value = lambda[first + j];
            double cdf = notebookQuirks && value > fitted.upperEdge() ? 0 : fitted.cdf(value);
            fitError = Math.max(fitError, Math.abs(cdf - (alpha + (1 - 2 * alpha) * j / m)));
        }
        boolean goodFit = sigma2 > 0 && fitError < cutoff;
        return new BemaFit(alpha, beta, cutoff, notebookQuirks, p, n, gamma, t, sigma2, lambdaPlus,
                Math.sqrt(n * lambdaPlus), spikes, fitError, goodFit, lambda);
    }

    @Override
    public String toString() {
        return "Bema[alpha=" + alpha + ", beta=" + beta + ", cutoff=" + cutoff
                + ", notebookQuirks=" + notebookQuirks + "]";
    }

    private static void checkEigenvalues(double[] lambda, int p, int n) {
        if (p < 1 || n < p) {
            throw new IllegalArgumentException("need 1 <= p <= n, got p = " + p + ", n = " + n);
        }
        if (lambda.length != p) {
            throw new IllegalArgumentException("expected p = " + p + " eigenvalues, got " + lambda.length);
        }
        for (int i = 0; i < p; i++) {
            if (!Double.isFinite(lambda[i])) {
                throw new IllegalArgumentException("eigenvalue " + i + " is " + lambda[i]
                        + "; BEMA needs finite values");
            }
            if (lambda[i] < 0) {
                throw new IllegalArgumentException("eigenvalue " + i + " is negative (" + lambda[i]
                        + "); Gram eigenvalues are >= 0");
            }
            if (i > 0 && lambda[i] < lambda[i - 1]) {
                throw new IllegalArgumentException("eigenvalues must be ascending: lambda[" + (i - 1)
                        + "] = " + lambda[i - 1] + " > lambda[" + i + "] = " + lambda[i]);
            }
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bema o && Double.compare(o.alpha, alpha) == 0 && Double.compare(o.beta, beta) == 0
                && Double.compare(o.cutoff, cutoff) == 0 && o.notebookQuirks == notebookQuirks;
    }

    @Override
    public int hashCode() {
        return Objects.hash(alpha, beta, cutoff, notebookQuirks);
    }
}
