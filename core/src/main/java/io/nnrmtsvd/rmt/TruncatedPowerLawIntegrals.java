package io.nnrmtsvd.rmt;

import java.util.Arrays;

/**
 * The normaliser and moments of the truncated power law on u = x / x_min &gt;= 1, for
 * {@link TruncatedPowerLaw}: with s = ln u and weight w(s) = exp((1 - alpha) s - mu e^s) on
 * s &gt;= 0 (mu = lambda x_min &gt; 0),
 * <ul>
 *   <li>E = int_0^inf w(s) ds = int_1^inf u^(-alpha) e^(-mu u) du, the generalised exponential
 *   integral E_alpha(mu), returned as ln E;
 *   <li>the mean of s and of e^s - 1 = u - 1 under w / E;
 *   <li>the covariance matrix of (s, e^s - 1) under w / E, computed about the means (a second
 *   pass), so that it keeps its relative accuracy when the law is narrow.
 * </ul>
 *
 * <p>Method: ln w is concave, so w is unimodal; composite Gauss–Legendre ({@value #NODES}
 * nodes a panel) outwards from the mode of w, down to s = 0 and up until every integrand (up to
 * (e^s - 1)^2 times w) is past its mode and below e^-{@value #DEPTH} of its largest value. A
 * panel is a few local scales of ln w wide, 4 / (|1 - alpha - mu e^s| + sqrt(mu e^s) + 2), at
 * most 1. Weights are taken relative to the largest w, with ln w near the mode written as
 * -(1 - alpha)(e^d - 1 - d), so nothing overflows or cancels for any alpha and mu. Accuracy:
 * within 5e-15 (relative; absolute for ln E below 1) of mpmath's expint(alpha, mu) and of its
 * first and second derivatives at 40 digits, on a grid of alpha in [-50, 100] and mu in
 * [1e-8, 1e3].
 */
final class TruncatedPowerLawIntegrals {
    static final int NODES = 16;
    /** Integrands are followed down to e^-DEPTH of their peak. */
    static final double DEPTH = 45;
    private static final GaussLegendre RULE = new GaussLegendre(NODES);
    /** At most this many panels: only parameters far outside any fit's path need more. */
    static final int MAX_PANELS = 20_000;

    final double logE;
    final double meanS;
    final double meanU1;
    final double varS;
    final double covar;
    final double varU1;

    private TruncatedPowerLawIntegrals(double logE, double meanS, double meanU1, double varS, double covar,
                                       double varU1) {
        this.logE = logE;
        this.meanS = meanS;
        this.meanU1 = meanU1;
        this.varS = varS;
        this.covar = covar;
        this.varU1 = varU1;
    }

    /**
     * The integrals at (alpha, mu).
     *
     * @param alpha any finite value
     * @param mu finite, &gt; 0
     * @throws ArithmeticException for other arguments, or parameters so extreme that the law is
     *     narrower than the quadrature can resolve in {@value #MAX_PANELS} panels
     */
    static TruncatedPowerLawIntegrals at(double alpha, double mu) {
        if (!Double.isFinite(alpha) || !(mu > 0 && mu < Double.POSITIVE_INFINITY)) {
            throw new ArithmeticException("truncated power law integrals need a finite alpha and mu > 0, got alpha = "
                    + alpha + ", mu = " + mu);
        }
        Weight weight = new Weight(1 - alpha, mu);
        Nodes nodes = new Nodes();
        // from the mode down to s = 0, then from the mode outwards until every integrand is negligible
        for (double hi = weight.mode; hi > 0; ) {
            double lo = Math.max(0, hi - weight.width(hi));
            nodes.panel(lo, hi, weight);
            hi = lo;
            if (weight.log(lo) < -DEPTH) {
                break;
            }
        }
        // (e^s - 1)^2 w ~ e^(2 s) w, the heaviest integrand, peaks no earlier than this
        double lastMode = weight.rise + 2 > mu ? Math.log((weight.rise + 2) / mu) : 0;
        double heaviestPeak = Double.NEGATIVE_INFINITY;
        for (double lo = weight.mode; ; ) {
            double hi = lo + weight.width(lo);
            nodes.panel(lo, hi, weight);
            double logAtEnd = weight.log(hi);
            double heaviest = logAtEnd + 2 * Math.log(Math.max(hi, Math.expm1(hi)));
            heaviestPeak = Math.max(heaviestPeak, heaviest);
            lo = hi;
            if (hi > lastMode && heaviest < heaviestPeak - DEPTH && logAtEnd < -DEPTH) {
                break;
            }
        }
        return nodes.integrals(weight.peak);
    }

    /**
     * ln w(s) - ln w(mode) for w(s) = exp(rise s - mu e^s), rise = 1 - alpha, written so that it
     * keeps its relative accuracy near the mode however large rise and mu are.
     */
    private static final class Weight {
        final double rise;
        final double mu;
        final double mode;
        final double peak;

        Weight(double rise, double mu) {
            this.rise = rise;
            this.mu = mu;
            this.mode = rise > mu ? Math.log(rise / mu) : 0;
            this.peak = rise > mu ? rise * mode - rise : -mu;
        }

        double log(double s) {
            if (mode > 0) {
                // mu e^mode = rise, so ln w(s) - ln w(mode) = -rise (e^d - 1 - d), d = s - mode
                return -rise * expm1MinusArgument(s - mode);
            }
            return rise * s - mu * Math.expm1(s);
        }

        /**
         * Panel width at s: a few times the local scale of ln w, from its slope and curvature
         * (|rise - mu e^s| and sqrt(mu e^s)), at most 1.
         */
        double width(double s) {
            double curvature = mu * Math.exp(s);
            return Math.min(1, 4 / (Math.abs(rise - curvature) + Math.sqrt(curvature) + 2));
        }
    }

    /** e^d - 1 - d without cancellation: its Taylor series for small d. */
    static double expm1MinusArgument(double d) {
        if (Math.abs(d) > 0.1) {
            return Math.expm1(d) - d;
        }
        // d^2/2! + d^3/3! + ... + d^12/12!, relative error below 1e-17 for |d| <= 0.1
        double term = d * d / 2;
        double sum = term;
        for (int k = 3; k <= 12; k++) {
            term *= d / k;
            sum += term;
        }
        return sum;
    }

    /** Quadrature nodes s and weights w(s) relative to the peak, collected panel by panel. */
    private static final class Nodes {
        double[] s = new double[64 * NODES];
        double[] w = new double[64 * NODES];
        int count;

        void panel(double lo, double hi, Weight weight) {
            if (count + NODES > MAX_PANELS * NODES) {
                throw new ArithmeticException("truncated power law integrals: more than " + MAX_PANELS
                        + " panels needed at alpha = " + (1 - weight.rise) + ", mu = " + weight.mu);
            }
            if (count + NODES > s.length) {
                s = Arrays.copyOf(s, 2 * s.length);
                w = Arrays.copyOf(w, 2 * w.length);
            }
            for (int i = 0; i < NODES; i++) {
                double node = RULE.node(i, lo, hi);
                s[count] = node;
                w[count] = RULE.weight(i, lo, hi) * Math.exp(weight.log(node));
                count++;
            }
        }

        TruncatedPowerLawIntegrals integrals(double peak) {
            double total = 0;
            double sumS = 0;
            double sumU1 = 0;
            for (int k = 0; k < count; k++) {
                total += w[k];
                sumS += w[k] * s[k];
                sumU1 += w[k] * Math.expm1(s[k]);
            }
            double meanS = sumS / total;
            double meanU1 = sumU1 / total;
            double varS = 0;
            double covar = 0;
            double varU1 = 0;
            for (int k = 0; k < count; k++) {
                double ds = s[k] - meanS;
                double du = Math.expm1(s[k]) - meanU1;
                varS += w[k] * ds * ds;
                covar += w[k] * ds * du;
                varU1 += w[k] * du * du;
            }
            return new TruncatedPowerLawIntegrals(Math.log(total) + peak, meanS, meanU1, varS / total,
                    covar / total, varU1 / total);
        }
    }
}
