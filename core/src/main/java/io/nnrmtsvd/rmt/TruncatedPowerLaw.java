package io.nnrmtsvd.rmt;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * The truncated power law p(x) = x^(-alpha) e^(-lambda x) / Z on x &gt;= x_min, fitted by
 * maximum likelihood to the same tail as a {@link PowerLawFit}, and its likelihood-ratio test
 * against the pure power law (Clauset, Shalizi and Newman 2009, section 5 and appendix C; SPEC
 * section 9). The pure law is the special case lambda = 0, so the two models are nested.
 *
 * <p>Fit: with u = x / x_min, mu = lambda x_min and E(alpha, mu) = int_1^inf u^(-alpha)
 * e^(-mu u) du, Z = x_min^(1 - alpha) E and the mean log-likelihood of the n tail values is
 * -ln x_min - alpha mean(ln u) - mu mean(u) - ln E(alpha, mu). It is a two-parameter exponential
 * family in (alpha, mu) with statistics (ln u, u), so the log-likelihood is concave and its
 * maximum over mu &gt;= 0 (alpha any real when mu &gt; 0) is unique. The maximum is on the
 * boundary mu = 0, where the fit is the pure power law, exactly when alpha_PL &gt; 2 and
 * mean(u) &gt;= (alpha_PL - 1) / (alpha_PL - 2) (the tail's mean is no smaller than the power
 * law's, so no cutoff helps). Otherwise the moment equations E[ln u] = mean(ln u) and
 * E[u] = mean(u) are solved through the concave profile likelihood in mu (alpha solved for each
 * mu), from mu = 1 / mean(u), to a relative step of 1e-13 ({@link TruncatedPowerLawIntegrals}
 * gives the moments). (A joint Newton iteration in (alpha, mu) was tried first: near mu = 0 its
 * Hessian is nearly singular when alpha &lt; 3 and the steps jammed against the boundary.)
 * Unlike the powerlaw package (version 2 bounds alpha to [0, 3]), alpha is not constrained.
 *
 * <p>Test: R = ln L_PL - ln L_TPL (&lt;= 0: the larger model fits at least as well; negative
 * favours the cutoff), and the p-value of 2|R| under the chi-square law with one degree of
 * freedom, P(chi2_1 &gt; 2|R|) = erfc(sqrt |R|). A small p-value says the cutoff is significant.
 * The normalised ratio R / (sqrt(n) sd), sd the standard deviation of the pointwise log-ratios,
 * is reported too, as the powerlaw package and WeightWatcher print it (it is the statistic of the
 * non-nested test).
 *
 * @param alpha the exponent of the truncated law (any real number)
 * @param lambda the rate of the exponential cutoff, in 1 / (units of x), &gt;= 0; 0 when the
 *     pure power law is the best fit
 * @param xmin start of the tail (the power-law fit's x_min)
 * @param numPoints n, the size of the tail
 * @param logLikelihood ln L_TPL, the maximised log-likelihood of the tail
 * @param powerLawLogLikelihood ln L_PL at the power-law fit's alpha
 * @param logLikelihoodRatio R = ln L_PL - ln L_TPL
 * @param normalizedRatio R / (sqrt(n) sd); 0 when the two laws coincide
 * @param pValue P(chi2_1 &gt; 2|R|), in [0, 1]
 * @param logNormalizer ln Z, Z = int_{x_min}^inf x^(-alpha) e^(-lambda x) dx, so that the
 *     density is x^(-alpha) e^(-lambda x) / Z
 */
public record TruncatedPowerLaw(double alpha, double lambda, double xmin, int numPoints, double logLikelihood,
                                double powerLawLogLikelihood, double logLikelihoodRatio, double normalizedRatio,
                                double pValue, double logNormalizer) {
    private static final int MAX_ITERATIONS = 200;
    /** |ln mu| beyond which the fit gives up: mu = lambda x_min is then far outside any sane range. */
    private static final double MAX_LOG_MU = 600;
    /** Relative step at which the Newton iterations stop. */
    private static final double TOLERANCE = 1e-13;
    private static final ChiSquaredDistribution CHI2_1 = ChiSquaredDistribution.of(1);

    /**
     * Fits the tail of a power-law fit.
     *
     * @throws ArithmeticException if the likelihood has no maximum with lambda x_min in
     *     [e^-600, e^600] or the iterations do not converge: seen only for tails of a few values
     *     nearly equal to each other (three values within 3e-4 of each other still fit)
     */
    public static TruncatedPowerLaw fit(PowerLawFit powerLaw) {
        return fit(powerLaw.tail(), powerLaw.alpha());
    }

    /**
     * Fits a tail whose smallest value is x_min.
     *
     * @param tail Not modified. At least 2 values, finite, positive, ascending, not all equal.
     * @param powerLawAlpha the pure power law's alpha on this tail, 1 + n / sum ln(x / x_min)
     * @throws IllegalArgumentException for a tail that is too short, unsorted, not positive or
     *     all equal, or an alpha that is not &gt; 1
     * @throws ArithmeticException as {@link #fit(PowerLawFit)} says
     */
    public static TruncatedPowerLaw fit(double[] tail, double powerLawAlpha) {
        Spectra.checkAscending(tail, "tail value");
        int n = tail.length;
        if (n < 2 || !(tail[0] > 0) || tail[0] == tail[n - 1]) {
            throw new IllegalArgumentException("a truncated power law needs at least 2 positive, not all equal"
                    + " tail values, got " + n + (n > 0 ? " from " + tail[0] + " to " + tail[n - 1] : ""));
        }
        if (!(powerLawAlpha > 1 && powerLawAlpha < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("the power law's alpha must be finite and > 1, got " + powerLawAlpha);
        }
        double xmin = tail[0];
        double[] logU = new double[n];
        double[] u1 = new double[n];
        for (int i = 0; i < n; i++) {
            logU[i] = Math.log(tail[i] / xmin);
            u1[i] = (tail[i] - xmin) / xmin;
        }
        double meanLog = Spectra.sum(logU) / n;
        double meanU1 = Spectra.sum(u1) / n;
        double logXmin = Math.log(xmin);
        double powerLaw = n * (Math.log(powerLawAlpha - 1) - logXmin - powerLawAlpha * meanLog);

        double alpha = powerLawAlpha;
        double mu = 0;
        double logE = -Math.log(powerLawAlpha - 1);
        if (!(powerLawAlpha > 2 && meanU1 >= 1 / (powerLawAlpha - 2))) {
            double[] optimum = maximise(powerLawAlpha, 1 / (1 + meanU1), meanLog, meanU1);
            alpha = optimum[0];
            mu = optimum[1];
            logE = optimum[2];
        }
        double truncated = n * (-logXmin - alpha * meanLog - mu * (1 + meanU1) - logE);
        double ratio = mu == 0 ? 0 : powerLaw - truncated;
        // pointwise log-ratios differ from their mean by (alpha - alpha_PL)(ln u - mean) + mu (u - mean)
        double spread = 0;
        for (int i = 0; i < n; i++) {
            double d = (alpha - powerLawAlpha) * (logU[i] - meanLog) + mu * (u1[i] - meanU1);
            spread += d * d;
        }
        double sd = Math.sqrt(spread / n);
        double normalized = ratio == 0 || sd == 0 ? 0 : ratio / (Math.sqrt(n) * sd);
        double p = CHI2_1.survivalProbability(2 * Math.abs(ratio));
        return new TruncatedPowerLaw(alpha, mu / xmin, xmin, n, mu == 0 ? powerLaw : truncated, powerLaw, ratio,
                normalized, p, (1 - alpha) * logXmin + logE);
    }

    /**
     * Maximises f(alpha, mu) = -alpha meanLog - mu (1 + meanU1) - ln E(alpha, mu) over mu &gt; 0
     * through its profile: for each mu, alpha(mu) solves E[ln u] = meanLog (E[ln u] falls as alpha
     * rises, with slope -Var ln u); the profile is concave in mu, with derivative
     * phi(mu) = E[u - 1] - meanU1 at alpha(mu), falling with slope -(Var u - Cov^2 / Var ln u).
     * Its root is found in nu = ln mu by Newton steps kept inside a bracket (bisection when a step
     * leaves it). Returns {alpha, mu, ln E}.
     */
    private static double[] maximise(double alpha, double mu, double meanLog, double meanU1) {
        double nu = Math.log(mu);
        double below = Double.NEGATIVE_INFINITY; // phi > 0 here
        double above = Double.POSITIVE_INFINITY; // phi < 0 here
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            mu = Math.exp(nu);
            alpha = profileAlpha(alpha, mu, meanLog);
            TruncatedPowerLawIntegrals at = TruncatedPowerLawIntegrals.at(alpha, mu);
            double phi = at.meanU1 - meanU1;
            double slope = -mu * (at.varU1 - at.covar * at.covar / at.varS);
            if (phi > 0) {
                below = nu;
            } else {
                above = nu;
            }
            // a Newton step, at most a factor e^4 in mu while the bracket is open on that side
            double next = nu - phi / slope;
            double tolerance = TOLERANCE * (1 + Math.abs(nu));
            if (Math.abs(next - nu) <= tolerance || above - below <= tolerance || phi == 0) {
                return new double[] {alpha, mu, at.logE};
            }
            if (Double.isInfinite(below)) {
                next = Math.max(next, nu - 4);
            }
            if (Double.isInfinite(above)) {
                next = Math.min(next, nu + 4);
            }
            if (!(next > below && next < above)) {
                next = (below + above) / 2;
            }
            if (Math.abs(next) > MAX_LOG_MU) {
                throw new ArithmeticException("truncated power law: the likelihood keeps rising as mu = lambda x_min"
                        + " goes to " + (next > 0 ? "infinity" : "0") + " (alpha = " + alpha + "); the tail's values are"
                        + " too close together to fit a cutoff");
            }
            nu = next;
        }
        throw new ArithmeticException("truncated power law: the profile likelihood did not converge in "
                + MAX_ITERATIONS + " iterations (alpha = " + alpha + ", mu = " + mu + ")");
    }

    /** The alpha that gives E[ln u] = meanLog at this mu: Newton steps kept inside a bracket. */
    private static double profileAlpha(double alpha, double mu, double meanLog) {
        double low = Double.NEGATIVE_INFINITY; // E[ln u] > meanLog here
        double high = Double.POSITIVE_INFINITY; // E[ln u] < meanLog here
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            TruncatedPowerLawIntegrals at = TruncatedPowerLawIntegrals.at(alpha, mu);
            double excess = at.meanS - meanLog;
            if (excess > 0) {
                low = alpha;
            } else {
                high = alpha;
            }
            double next = alpha + excess / at.varS;
            double tolerance = TOLERANCE * (1 + Math.abs(alpha));
            if (Math.abs(next - alpha) <= tolerance || high - low <= tolerance || excess == 0) {
                return next;
            }
            if (!(next > low && next < high)) {
                double width = 1 + Math.abs(alpha);
                next = Double.isInfinite(low) ? alpha - width : Double.isInfinite(high) ? alpha + width : (low + high) / 2;
            }
            alpha = next;
        }
        throw new ArithmeticException("truncated power law: alpha did not converge at mu = " + mu);
    }

    /** The scale 1 / lambda of the cutoff ("x_max_scale"), infinite when lambda = 0. */
    public double scale() {
        return 1 / lambda;
    }

    /**
     * The fitted density x^(-alpha) e^(-lambda x) / Z, 0 below x_min. With lambda = 0 it is the
     * pure power law.
     */
    public double density(double x) {
        return x < xmin ? 0 : Math.exp(-alpha * Math.log(x) - lambda * x - logNormalizer);
    }

    /** Whether the cutoff is significant at the given level: p-value &lt; level (and lambda &gt; 0). */
    public boolean cutoffSignificant(double level) {
        return lambda > 0 && pValue < level;
    }
}
