package io.nnrmtsvd.rmt;

/**
 * The Airy function Ai and its derivative Ai' for real arguments.
 *
 * <p>Method:
 * <ul>
 *   <li>|x| &gt;= 10: the asymptotic expansions (DLMF 9.7.5-6 for x &gt; 0 and 9.7.9-10 for
 *   x &lt; 0) in zeta = (2/3)|x|^(3/2) &gt;= 21, summed until the terms fall below 1e-17 of the
 *   leading one or stop decreasing; the smallest term of these series is about e^(-2 zeta)
 *   &lt; 1e-18.
 *   <li>|x| &lt; 10: a Taylor expansion of the solution of Ai'' = x Ai about the nearest node
 *   of the grid x_k = k/4 (so |x - x_k| &lt;= 1/8), whose coefficients follow from the
 *   differential equation: c_{j+2} = (x_k c_j + c_{j-1}) / ((j + 2)(j + 1)). The values at the
 *   nodes are computed once, by the same Taylor steps: downwards from x = 10 (starting from the
 *   asymptotic expansion; in this direction Ai grows and the error relative to it does not),
 *   and downwards from x = 0 (starting from Ai(0) = 3^(-2/3)/Gamma(2/3) and
 *   Ai'(0) = -3^(-1/3)/Gamma(1/3)), where Ai oscillates with bounded amplitude. The plain
 *   Maclaurin series is not used beyond the origin: at |x| = 7 its terms reach 1e5, which costs
 *   five digits through cancellation.
 * </ul>
 *
 * <p>Accuracy, measured against 40-digit mpmath values (test fixture
 * {@code io/nnrmtsvd/rmt/airy_reference.csv}): on [-10, 0] the absolute error is below 4e-16
 * for Ai and Ai'; on (0, 10] the relative error is below 3e-15. Beyond |x| = 10 the error is
 * dominated by the rounding of zeta (about 1e-16 zeta): a relative error of 2.5e-14 at
 * x = 30 and 1.5e-13 at x = 100, an absolute error of 2e-15 |x|^(1/4) for Ai(x) (and
 * |x|^(3/4) for Ai') at x = -30. Ai underflows to 0 above x of about 104; -infinity gives NaN.
 * A call costs about 70 ns.
 */
public final class Airy {
    /** Ai(0) = 3^(-2/3) / Gamma(2/3). */
    private static final double AI_0 = 0.35502805388781723926;
    /** Ai'(0) = -3^(-1/3) / Gamma(1/3). */
    private static final double AI_PRIME_0 = -0.25881940379280679840;

    private static final double ASYMPTOTIC_FROM = 10;
    private static final double GRID_STEP = 0.25;
    private static final int GRID_HALF = (int) Math.round(ASYMPTOTIC_FROM / GRID_STEP);
    private static final double SERIES_TOLERANCE = 1e-17;
    private static final int MAX_TERMS = 80;
    private static final double ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);

    /** Ai and Ai' at the grid nodes x_k = (k - GRID_HALF) * GRID_STEP, k = 0 .. 2 GRID_HALF. */
    private static final double[] GRID_AI = new double[2 * GRID_HALF + 1];
    private static final double[] GRID_AI_PRIME = new double[2 * GRID_HALF + 1];

    static {
        double[] state = asymptotic(ASYMPTOTIC_FROM);
        GRID_AI[2 * GRID_HALF] = state[0];
        GRID_AI_PRIME[2 * GRID_HALF] = state[1];
        for (int k = 2 * GRID_HALF; k > GRID_HALF + 1; k--) {
            state = taylor(gridPoint(k), state[0], state[1], -GRID_STEP);
            GRID_AI[k - 1] = state[0];
            GRID_AI_PRIME[k - 1] = state[1];
        }
        GRID_AI[GRID_HALF] = AI_0;
        GRID_AI_PRIME[GRID_HALF] = AI_PRIME_0;
        state = new double[] {AI_0, AI_PRIME_0};
        for (int k = GRID_HALF; k > 0; k--) {
            state = taylor(gridPoint(k), state[0], state[1], -GRID_STEP);
            GRID_AI[k - 1] = state[0];
            GRID_AI_PRIME[k - 1] = state[1];
        }
    }

    private Airy() {
    }

    /** Ai(x). NaN for NaN. */
    public static double ai(double x) {
        return evaluate(x)[0];
    }

    /** Ai'(x). NaN for NaN. */
    public static double aiPrime(double x) {
        return evaluate(x)[1];
    }

    /**
     * Ai(x) and Ai'(x) together, at the cost of one.
     *
     * @return {Ai(x), Ai'(x)}
     */
    public static double[] aiAndPrime(double x) {
        return evaluate(x);
    }

    private static double[] evaluate(double x) {
        if (Double.isNaN(x)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        if (Math.abs(x) >= ASYMPTOTIC_FROM) {
            return asymptotic(x);
        }
        int k = (int) Math.round(x / GRID_STEP) + GRID_HALF;
        double node = gridPoint(k);
        return taylor(node, GRID_AI[k], GRID_AI_PRIME[k], x - node);
    }

    private static double gridPoint(int k) {
        return (k - GRID_HALF) * GRID_STEP;
    }

    /**
     * Value and derivative at x0 + h of the solution of y'' = x y with y(x0) = y0, y'(x0) = y1,
     * by its Taylor series about x0 (coefficients c_j from the recurrence in the class comment).
     */
    private static double[] taylor(double x0, double y0, double y1, double h) {
        double valueScale = Math.abs(y0) + Math.abs(y1 * h);
        double slopeScale = Math.abs(y1) + Math.abs(x0 * y0 * h) + Math.abs(y0 * h);
        double cPrevious = y0;        // c_{j-1}
        double c = y1;                // c_j
        double cNext = x0 * y0 / 2;   // c_{j+1}
        double hPower = h;            // h^j
        double value = y0 + y1 * h;
        double slope = y1;
        double previousTerm = Double.POSITIVE_INFINITY;
        double previousSlopeTerm = Double.POSITIVE_INFINITY;
        for (int j = 1; j < MAX_TERMS; j++) {
            double slopeTerm = (j + 1) * cNext * hPower;
            hPower *= h;
            double term = cNext * hPower;
            value += term;
            slope += slopeTerm;
            if (Math.abs(term) + previousTerm <= SERIES_TOLERANCE * valueScale
                    && Math.abs(slopeTerm) + previousSlopeTerm <= SERIES_TOLERANCE * slopeScale) {
                break;
            }
            previousTerm = Math.abs(term);
            previousSlopeTerm = Math.abs(slopeTerm);
            double cAfter = (x0 * c + cPrevious) / ((j + 2) * (j + 1.0));
            cPrevious = c;
            c = cNext;
            cNext = cAfter;
        }
        return new double[] {value, slope};
    }

    /** Ai and Ai' by the asymptotic expansions, for |x| &gt;= ASYMPTOTIC_FROM. */
    private static double[] asymptotic(double x) {
        double r = Math.abs(x);
        double zeta = 2.0 / 3.0 * r * Math.sqrt(r);
        double quarter = Math.sqrt(Math.sqrt(r));
        boolean decaying = x > 0;
        // decaying: sums of (-1)^k u_k zeta^-k and (-1)^k v_k zeta^-k go into uEven, vEven;
        // oscillating: terms with sign (-1)^floor(k/2) split by the parity of k.
        double uEven = 0;
        double uOdd = 0;
        double vEven = 0;
        double vOdd = 0;
        double u = 1;
        double inversePower = 1;
        double lastMagnitude = Double.POSITIVE_INFINITY;
        for (int k = 0; k < MAX_TERMS; k++) {
            if (k > 0) {
                u *= (6.0 * k - 5) * (6.0 * k - 3) * (6.0 * k - 1) / ((2.0 * k - 1) * 216.0 * k);
                inversePower /= zeta;
            }
            double v = k == 0 ? 1 : -(6.0 * k + 1) / (6.0 * k - 1) * u;
            double uTerm = u * inversePower;
            double vTerm = v * inversePower;
            double magnitude = Math.max(Math.abs(uTerm), Math.abs(vTerm));
            if (magnitude > lastMagnitude) {
                break;
            }
            if (decaying) {
                double sign = k % 2 == 0 ? 1 : -1;
                uEven += sign * uTerm;
                vEven += sign * vTerm;
            } else {
                double sign = (k / 2) % 2 == 0 ? 1 : -1;
                if (k % 2 == 0) {
                    uEven += sign * uTerm;
                    vEven += sign * vTerm;
                } else {
                    uOdd += sign * uTerm;
                    vOdd += sign * vTerm;
                }
            }
            if (magnitude <= SERIES_TOLERANCE) {
                break;
            }
            lastMagnitude = magnitude;
        }
        if (decaying) {
            double decay = Math.exp(-zeta) * ONE_OVER_SQRT_PI / 2;
            return new double[] {decay / quarter * uEven, -decay * quarter * vEven};
        }
        double phase = zeta - Math.PI / 4;
        double cos = Math.cos(phase);
        double sin = Math.sin(phase);
        double ai = ONE_OVER_SQRT_PI / quarter * (cos * uEven + sin * uOdd);
        double aiPrime = ONE_OVER_SQRT_PI * quarter * (sin * vEven - cos * vOdd);
        return new double[] {ai, aiPrime};
    }
}
