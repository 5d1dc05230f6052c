package io.nnrmtsvd.rmt;

/**
 * The Kolmogorov–Smirnov distance of one power-law candidate (SPEC section 9), computed exactly
 * without visiting every point of the tail.
 *
 * <p>For sorted logarithms l_0 &lt;= ... &lt;= l_{m-1} of the data, a candidate start j with tail
 * size n = m - j and exponent alpha, the distance is
 * D = max_{k = j ... m-1} |G(k)|, G(k) = F(k) - e(k), F(k) = 1 - exp(-(alpha - 1)(l_k - l_j))
 * (the fitted distribution function at x_k) and e(k) = (k - j) / n (WeightWatcher's empirical
 * distribution function, which uses only the lower step).
 *
 * <p>Method: branch and bound over halves of the index range. F and e are both non-decreasing in
 * k, so on an interval [lo, hi] every G(k) lies in [F(lo) - e(hi), F(hi) - e(lo)], and
 * |G(k)| &lt;= max(F(hi) - e(lo), e(hi) - F(lo)). An interval whose bound does not exceed the
 * largest |G| seen so far cannot raise the maximum and is skipped; the others are split at their
 * midpoint, the half with the larger bound first. The result is the same number a full pass
 * computes (each G(k) is evaluated by the same expression; the bound is compared with a margin
 * of {@value #ROUNDING_MARGIN} so that round-off in the bound can never skip a larger value).
 * Cost: the intervals opened are those where the deviation comes within their width of the
 * maximum, about O(sqrt n) evaluations for a smooth or noisy deviation instead of n.
 * {@link #exceeds} asks the cheaper question the fit needs for most candidates, whether D is
 * above a level: it stops at the first point above it and never opens an interval whose bound
 * is below it, so a candidate far from the best is dismissed in O(log n) evaluations. Each search
 * first evaluates the point where the previous one found its largest deviation: the deviations of
 * neighbouring candidates peak at nearly the same eigenvalue, so that one point often settles
 * the question at once (an extra point evaluated by the same expression; the result is the same).
 *
 * <p>An instance holds one spectrum's logarithms and scratch space, and remembers that point; it
 * is meant for one fit on one thread.
 */
final class PowerLawDistances {
    /** Upper bound on the rounding error of a bound, far below any distance that matters. */
    static final double ROUNDING_MARGIN = 1e-14;
    /** Intervals this short are evaluated point by point: splitting them costs more than it saves. */
    private static final int DIRECT = 8;

    private final double[] logs;
    private final double[] stack;
    /** Where the last search found its largest |G|, -1 before the first. */
    private int lastPeak = -1;

    /**
     * @param logs Not modified (kept, not copied). ln x_k, ascending, at least 2.
     */
    PowerLawDistances(double[] logs) {
        this.logs = logs;
        int depth = 2 + 32 - Integer.numberOfLeadingZeros(Math.max(1, logs.length));
        this.stack = new double[4 * (depth + 2)];
    }

    /**
     * D for the tail that starts at {@code j}.
     *
     * @param j first index of the tail, 0 &lt;= j &lt; logs.length - 1
     * @param alpha the tail's exponent, finite and &gt; 1
     */
    double distance(int j, double alpha) {
        return search(j, alpha, -1);
    }

    /**
     * Whether D &gt; {@code level} for the tail that starts at {@code j}: the search stops at the
     * first |G(k)| above the level and never opens an interval whose bound is below it, so
     * deciding that a candidate cannot beat the best so far is much cheaper than its D.
     *
     * @param level &gt;= 0
     */
    boolean exceeds(int j, double alpha, double level) {
        return search(j, alpha, level) > level;
    }

    /**
     * The largest |G(k)| found by branch and bound. With level &lt; 0 it is D exactly; with level
     * &gt;= 0 the search returns as soon as it finds a value above the level and skips intervals
     * whose bound is at or below the level, so the result exceeds the level exactly when D does.
     */
    private double search(int j, double alpha, double level) {
        int last = logs.length - 1;
        int n = last - j + 1;
        double slope = alpha - 1;
        double origin = logs[j];
        double fLast = fitted(logs[last], origin, slope);
        double max = Math.abs(fLast - (double) (last - j) / n);
        int peak = last;
        if (lastPeak > j && lastPeak < last) {
            double g = Math.abs(fitted(logs[lastPeak], origin, slope) - (double) (lastPeak - j) / n);
            if (g > max) {
                max = g;
                peak = lastPeak;
            }
        }
        // the interval stack holds (lo, hi, F(lo), F(hi)); F(j) = 0 and e(j) = 0, so G(j) = 0
        int top = push(j, last, 0, fLast, 0);
        while (top > 0 && !(level >= 0 && max > level)) {
            double fHi = stack[--top];
            double fLo = stack[--top];
            int hi = (int) stack[--top];
            int lo = (int) stack[--top];
            if (hi - lo < 2 || bound(lo, hi, fLo, fHi, j, n) + ROUNDING_MARGIN <= Math.max(max, level)) {
                continue;
            }
            if (hi - lo <= DIRECT) {
                for (int k = lo + 1; k < hi; k++) {
                    double g = Math.abs(fitted(logs[k], origin, slope) - (double) (k - j) / n);
                    if (g > max) {
                        max = g;
                        peak = k;
                    }
                }
                continue;
            }
            int mid = (lo + hi) >>> 1;
            double fMid = fitted(logs[mid], origin, slope);
            double g = Math.abs(fMid - (double) (mid - j) / n);
            if (g > max) {
                max = g;
                peak = mid;
            }
            // push the more promising half last, so that it is examined first and raises max early
            if (bound(lo, mid, fLo, fMid, j, n) >= bound(mid, hi, fMid, fHi, j, n)) {
                top = push(mid, hi, fMid, fHi, top);
                top = push(lo, mid, fLo, fMid, top);
            } else {
                top = push(lo, mid, fLo, fMid, top);
                top = push(mid, hi, fMid, fHi, top);
            }
        }
        lastPeak = peak;
        return max;
    }

    /** The same D by a full pass over the tail: the reference the tests hold the fast one to. */
    static double distanceByFullPass(double[] logs, int j, double alpha) {
        int last = logs.length - 1;
        int n = last - j + 1;
        double max = 0;
        for (int k = j; k <= last; k++) {
            max = Math.max(max, Math.abs(fitted(logs[k], logs[j], alpha - 1) - (double) (k - j) / n));
        }
        return max;
    }

    /** The fitted distribution function 1 - (x / x_min)^(1 - alpha) in logarithms. */
    static double fitted(double log, double origin, double slope) {
        return 1 - Math.exp(-slope * (log - origin));
    }

    private static double bound(int lo, int hi, double fLo, double fHi, int j, int n) {
        return Math.max(fHi - (double) (lo - j) / n, (double) (hi - j) / n - fLo);
    }

    private int push(int lo, int hi, double fLo, double fHi, int top) {
        stack[top] = lo;
        stack[top + 1] = hi;
        stack[top + 2] = fLo;
        stack[top + 3] = fHi;
        return top + 4;
    }
}
