package io.nnrmtsvd.rmt;

/**
 * The Marchenko–Pastur law with ratio gamma (0 &lt; gamma &lt;= 1) and scale sigma^2: the
 * limiting distribution of the eigenvalues of W W^T / n for a p x n matrix W with i.i.d. entries
 * of variance sigma^2, as p / n tends to gamma.
 *
 * <p>Support [a, b] with a = sigma^2 (1 - sqrt(gamma))^2 and b = sigma^2 (1 + sqrt(gamma))^2;
 * density f(x) = sqrt((b - x)(x - a)) / (2 pi sigma^2 gamma x). With sigma^2 = 0 the law is the
 * point mass at 0.
 *
 * <p>The distribution function is evaluated in closed form. In units of sigma^2 (so that
 * x stands for x / sigma^2 and a, b for the unit-scale edges), with R = (b - x)(x - a), an
 * antiderivative of 2 pi gamma f(x) = sqrt(R) / x is
 * <pre>
 *   G(x) = sqrt(R) + (a + b)/2 * atan2(2x - a - b, 2 sqrt(R))
 *                  - sqrt(ab) * atan2((a + b) x - 2ab, 2 sqrt(ab) sqrt(R))
 * </pre>
 * (the two arctangents are the arcsines of (2x - a - b)/(b - a) and
 * ((a + b) x - 2ab)/(x (b - a)), written so that they stay well conditioned at the edges), and
 * F(x) = (G(x) - G(a)) / (2 pi gamma) with G(a) = pi (sqrt(ab)/2 - (a + b)/4). At gamma = 1 the
 * last term vanishes (ab = 0), so the singular density at 0 needs no special case. Absolute
 * accuracy is a few units of 1e-16 / gamma.
 *
 * <p>Instances are immutable.
 */
public final class MarchenkoPastur {
    private static final int MAX_QUANTILE_ITERATIONS = 200;

    private final double gamma;
    private final double sigma2;
    private final double lowerEdge;
    private final double upperEdge;
    /** For sigma^2 = 1: the edges a and b, a + b, sqrt(ab) = 1 - gamma, and G(a) (class comment). */
    private final double unitA;
    private final double unitB;
    private final double unitSum;
    private final double unitRootProduct;
    private final double unitGAtA;

    /**
     * The law MP(gamma, sigma^2).
     *
     * @param gamma ratio p / n, in (0, 1]
     * @param sigma2 scale (the noise variance), finite and &gt;= 0
     * @throws IllegalArgumentException naming the bad value
     */
    public MarchenkoPastur(double gamma, double sigma2) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
        }
        if (!(sigma2 >= 0 && sigma2 < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("sigma2 must be finite and >= 0, got " + sigma2);
        }
        this.gamma = gamma;
        this.sigma2 = sigma2;
        double root = Math.sqrt(gamma);
        this.unitA = (1 - root) * (1 - root);
        this.unitB = (1 + root) * (1 + root);
        this.unitSum = 2 * (1 + gamma);
        this.unitRootProduct = 1 - gamma;
        this.unitGAtA = Math.PI * (unitRootProduct / 2 - unitSum / 4);
        this.lowerEdge = sigma2 * unitA;
        this.upperEdge = sigma2 * unitB;
    }

    /** The ratio gamma = p / n. */
    public double gamma() {
        return gamma;
    }

    /** The scale sigma^2. */
    public double sigma2() {
        return sigma2;
    }

    /** The lower edge of the support, sigma^2 (1 - sqrt(gamma))^2 (0 when gamma = 1). */
    public double lowerEdge() {
        return lowerEdge;
    }

    /** The upper edge of the support, sigma^2 (1 + sqrt(gamma))^2. */
    public double upperEdge() {
        return upperEdge;
    }

    /** The mean, sigma^2. */
    public double mean() {
        return sigma2;
    }

    /** The variance, gamma sigma^4. */
    public double variance() {
        return gamma * sigma2 * sigma2;
    }

    /**
     * The density at x: 0 outside (a, b); +infinity at x = 0 when gamma = 1 or sigma^2 = 0.
     */
    public double density(double x) {
        if (sigma2 == 0) {
            return x == 0 ? Double.POSITIVE_INFINITY : 0;
        }
        double u = x / sigma2;
        if (u == 0 && unitA == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return unitDensity(u) / sigma2;
    }

    /**
     * The distribution function P(X &lt;= x), in closed form: 0 at and below the lower edge, 1 at
     * and above the upper edge.
     *
     * @throws IllegalArgumentException if x is NaN
     */
    public double cdf(double x) {
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("x is NaN");
        }
        if (sigma2 == 0) {
            return x >= 0 ? 1 : 0;
        }
        return unitCdf(x / sigma2);
    }

    /**
     * The quantile: the x in [a, b] with cdf(x) = prob, found by Newton's method on the closed-form
     * distribution function, safeguarded by bisection on a shrinking bracket, to an absolute
     * tolerance of 1e-14 (b - a) (well below 1e-12 for sigma^2 = 1). quantile(0) = a and
     * quantile(1) = b exactly; for sigma^2 = 0 every quantile is 0.
     *
     * @param prob in [0, 1]
     * @throws IllegalArgumentException naming the bad value
     */
    public double quantile(double prob) {
        if (!(prob >= 0 && prob <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + prob);
        }
        if (prob == 0 || sigma2 == 0) {
            return lowerEdge;
        }
        if (prob == 1) {
            return upperEdge;
        }
        return sigma2 * unitQuantile(prob);
    }

    private double unitQuantile(double prob) {
        double lo = unitA;
        double hi = unitB;
        double tolerance = 1e-14 * (unitB - unitA);
        double x = 1; // the mean, always inside (a, b)
        for (int iteration = 0; iteration < MAX_QUANTILE_ITERATIONS; iteration++) {
            double residual = unitCdf(x) - prob;
            if (residual == 0) {
                return x;
            }
            if (residual < 0) {
                lo = x;
            } else {
                hi = x;
            }
            double slope = unitDensity(x);
            double next = slope > 0 ? x - residual / slope : Double.NaN;
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
            }
            if (Math.abs(next - x) <= tolerance || hi - lo <= tolerance) {
                return next;
            }
            x = next;
        }
        return 0.5 * (lo + hi);
    }

    /** The distribution function of the law with the same gamma and sigma^2 = 1. */
    private double unitCdf(double u) {
        if (u <= unitA) {
            return 0;
        }
        if (u >= unitB) {
            return 1;
        }
        double rootR = Math.sqrt((unitB - u) * (u - unitA));
        double g = rootR + unitSum / 2 * Math.atan2(2 * u - unitSum, 2 * rootR);
        if (unitRootProduct > 0) {
            double ab = unitRootProduct * unitRootProduct;
            g -= unitRootProduct * Math.atan2(unitSum * u - 2 * ab, 2 * unitRootProduct * rootR);
        }
        double f = (g - unitGAtA) / (2 * Math.PI * gamma);
        return Math.min(1, Math.max(0, f));
    }

    private double unitDensity(double u) {
        if (!(u > unitA && u < unitB)) {
            return 0;
        }
        return Math.sqrt((unitB - u) * (u - unitA)) / (2 * Math.PI * gamma * u);
    }

    @Override
    public String toString() {
        return "MarchenkoPastur[gamma=" + gamma + ", sigma2=" + sigma2 + "]";
    }
}
