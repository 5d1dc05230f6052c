package io.nnrmtsvd.rmt;

/** Every numerical tolerance the rmt tests use, in one place. */
final class Tolerances {
    /** Airy on [-10, 0]: absolute error (values scaled by max(1, |x|^(1/4)) or |x|^(3/4) for Ai'). */
    static final double AIRY_ABSOLUTE = 1e-15;
    /** Airy on (0, 10]: relative error. */
    static final double AIRY_RELATIVE = 5e-15;
    /** Airy beyond |x| = 10: error per unit of zeta = (2/3)|x|^(3/2) (rounding of the phase). */
    static final double AIRY_PER_ZETA = 5e-16;
    /** Tracy–Widom distribution values and quantiles against published references. */
    static final double TRACY_WIDOM = 1e-8;
    /** Tracy–Widom mean and standard deviation against the values quoted in the brief. */
    static final double TRACY_WIDOM_MOMENTS = 1e-5;
    /** Tracy–Widom mean and variance against Bornemann's 13-digit values. */
    static final double TRACY_WIDOM_MOMENTS_TIGHT = 1e-10;
    /** Marchenko–Pastur closed-form cdf against numerical integration of the density. */
    static final double MP_CDF = 1e-9;
    /** Marchenko–Pastur quantile(cdf(x)) = x, relative to the upper edge. */
    static final double MP_ROUND_TRIP = 1e-12;
    /** BEMA against the Python reference seed_bema.py: relative error of sigma2 and lambda_plus. */
    static final double BEMA_REFERENCE_RELATIVE = 1e-7;
    /** BEMA fit error against seed_bema.py (absolute; it is a difference of probabilities). */
    static final double BEMA_FIT_ERROR = 1e-9;
    /** Double-precision Gram eigenvalues against an SVD, relative to the largest. */
    static final double GRAM_DOUBLE = 1e-12;
    /** Single-precision Gram eigenvalues against double precision, relative to the largest. */
    static final double GRAM_FLOAT = 1e-5;

    private Tolerances() {
    }
}
