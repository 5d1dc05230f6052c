package io.nnrmtsvd.rmt;

/**
 * Gauss–Legendre quadrature on [-1, 1] with m nodes, exact for polynomials of degree 2m - 1.
 * Each node is the root of the Legendre polynomial P_m found by Newton's method from the
 * estimate cos(pi (i + 3/4) / (m + 1/2)), with P_m and P_m' from the three-term recurrence;
 * weight 2 / ((1 - x^2) P_m'(x)^2). Nodes and weights are accurate to a few ulps for m up to a
 * few hundred.
 */
final class GaussLegendre {
    private static final int NEWTON_ITERATIONS = 100;

    private final double[] nodes;
    private final double[] weights;

    /**
     * Computes the rule.
     *
     * @param m number of nodes, at least 1
     */
    GaussLegendre(int m) {
        if (m < 1) {
            throw new IllegalArgumentException("need at least one node, got " + m);
        }
        nodes = new double[m];
        weights = new double[m];
        for (int i = 0; i < (m + 1) / 2; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (m + 0.5));
            double derivative = 0;
            for (int iteration = 0; iteration < NEWTON_ITERATIONS; iteration++) {
                double previous = 1;
                double current = x;
                for (int k = 2; k <= m; k++) {
                    double next = ((2 * k - 1) * x * current - (k - 1) * previous) / k;
                    previous = current;
                    current = next;
                }
                // P_m'(x) = m (x P_m - P_{m-1}) / (x^2 - 1)
                derivative = m * (x * current - previous) / (x * x - 1);
                double step = current / derivative;
                x -= step;
                if (Math.abs(step) <= 1e-15) {
                    break;
                }
            }
            double weight = 2 / ((1 - x * x) * derivative * derivative);
            nodes[i] = -x;
            nodes[m - 1 - i] = x;
            weights[i] = weight;
            weights[m - 1 - i] = weight;
        }
        if (m % 2 == 1) {
            nodes[m / 2] = 0;
        }
    }

    /** Number of nodes. */
    int size() {
        return nodes.length;
    }

    /** Node i mapped to [lo, hi], ascending in i. */
    double node(int i, double lo, double hi) {
        return lo + (hi - lo) * (nodes[i] + 1) / 2;
    }

    /** Weight i for the interval [lo, hi]. */
    double weight(int i, double lo, double hi) {
        return weights[i] * (hi - lo) / 2;
    }
}
