package io.nnrmtsvd.rmt;

/**
 * A histogram over equal-width bins between the smallest and the largest value, binned exactly as
 * numpy's {@code histogram(values, bins)} bins them, so that bin counts and edges can be compared
 * with Python references bit for bit: edge_i = first + i (last - first) / bins for i &lt; bins,
 * edge_bins = last; value x falls in bin i when edge_i &lt;= x &lt; edge_{i+1}, the last bin
 * closed. When all values are equal the range is widened to [x - 0.5, x + 0.5], as numpy does.
 *
 * @param edges the bins + 1 edges, ascending
 * @param counts the number of values in each bin
 */
record EqualBins(double[] edges, long[] counts) {

    /**
     * Bins finite values over their own range.
     *
     * @param values Not modified. At least one, all finite.
     * @param bins number of bins, &gt;= 1
     */
    static EqualBins of(double[] values, int bins) {
        double first = Double.POSITIVE_INFINITY;
        double last = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            first = Math.min(first, value);
            last = Math.max(last, value);
        }
        return over(values, first, last, bins);
    }

    /**
     * Bins the values that lie in [first, last] (others are left out) over that range.
     *
     * @param values Not modified.
     * @param bins number of bins, &gt;= 1
     */
    static EqualBins over(double[] values, double first, double last, int bins) {
        if (bins < 1 || !Double.isFinite(first) || !Double.isFinite(last) || first > last) {
            throw new IllegalArgumentException("need bins >= 1 and a finite range, got " + bins + " bins over ["
                    + first + ", " + last + "]");
        }
        if (first == last) {
            first -= 0.5;
            last += 0.5;
        }
        double width = last - first;
        double step = width / bins;
        double[] edges = new double[bins + 1];
        for (int i = 0; i < bins; i++) {
            edges[i] = i * step + first;
        }
        edges[bins] = last;
        long[] counts = new long[bins];
        for (double x : values) {
            if (!(x >= first && x <= last)) {
                continue;
            }
            // numpy's guess from the scaled offset, then a correction against the edges themselves
            int i = (int) ((x - first) / width * bins);
            if (i == bins) {
                i--;
            }
            if (x < edges[i]) {
                i--;
            } else if (x >= edges[i + 1] && i != bins - 1) {
                i++;
            }
            counts[i]++;
        }
        return new EqualBins(edges, counts);
    }

    /** The first bin holding the most values. */
    int fullest() {
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return best;
    }
}
