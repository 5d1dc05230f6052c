package io.nnrmtsvd.rmt;

/**
 * The tolerances of the heavy-tail tests against WeightWatcher and the Python reference, in one
 * place, each with the reason for its size.
 */
final class HeavyTailTolerances {
    /** Our Gram-route eigenvalues against numpy's SVD, relative to the largest (syrk + syevd round-off). */
    static final double EIGENVALUE = 1e-11;
    /**
     * alpha, sigma and x_min from eigenvalues computed by another route (the eigenvalue error above
     * carries through; observed below 1e-12), relative.
     */
    static final double FIT_RELATIVE = 1e-9;
    /** D from eigenvalues computed by another route, absolute. */
    static final double FIT_DISTANCE = 1e-9;
    /** alpha, D and sigma on identical input eigenvalues: only the summation order differs, relative. */
    static final double FIT_SAME_INPUT = 1e-12;
    /** log10 norms, stable rank and the alpha metrics, relative (or absolute for logarithms). */
    static final double METRIC = 1e-10;
    /** Entropy against WeightWatcher, which adds 1e-10 to every q_i and to the rank (observed 1e-8). */
    static final double ENTROPY_WEIGHTWATCHER = 1e-7;
    /** Entropy against the reference formula, absolute. */
    static final double ENTROPY = 1e-11;
    /**
     * mp_softrank and the trap threshold against seed_bema.py's lambda_plus (quantiles by numerical
     * integration; observed 1e-12), relative.
     */
    static final double MP_SOFTRANK = 1e-9;
    /** Truncated power law alpha (absolute) and lambda (relative) against mpmath at 30 digits (observed 3e-13). */
    static final double TPL = 1e-10;
    /** Truncated power law log-likelihood ratio and p-value against mpmath, absolute (observed 1e-12). */
    static final double TPL_RATIO = 1e-10;
    /**
     * Truncated power law against the powerlaw package (Nelder-Mead, tol 1e-4, alpha bounded to
     * [0, 3]), where its optimum is inside the bounds: alpha absolute, lambda relative.
     */
    static final double TPL_POWERLAW = 5e-3;
    /** Its log-likelihood ratio and p-value, absolute (flat at the optimum, so much closer). */
    static final double TPL_POWERLAW_RATIO = 1e-5;
    /**
     * Jensen–Shannon distance, absolute: the same bins and counts give the same sums. (From our own
     * eigenvalues rather than numpy's it could differ if round-off moved one across a bin edge; on
     * these fixtures it does not.)
     */
    static final double DISTANCE = 1e-12;

    private HeavyTailTolerances() {
    }
}
