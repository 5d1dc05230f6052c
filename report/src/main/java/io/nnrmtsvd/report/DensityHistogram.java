package io.nnrmtsvd.report;

/**
 * A histogram normalised as a density: bin i covers [edges[i], edges[i + 1]) (the last bin also
 * holds its right edge) and its height is count / (total * width), so that heights times widths
 * sum to the share of all {@code total} values that fall in the range.
 *
 * @param edges bins + 1 edges, lo + i * width
 * @param densities one height per bin
 */
record DensityHistogram(double[] edges, double[] densities) {
    /**
     * Bins the values that lie in [lo, hi].
     *
     * @param values Not modified.
     * @param total what the counts are divided by, usually all values (also those out of range)
     * @throws IllegalArgumentException unless lo &lt; hi are finite, bins &gt;= 1 and total &gt;= 1
     */
    static DensityHistogram of(double[] values, double lo, double hi, int bins, int total) {
        if (!(lo < hi) || !Double.isFinite(lo) || !Double.isFinite(hi) || bins < 1 || total < 1) {
            throw new IllegalArgumentException("need finite lo < hi, bins >= 1 and total >= 1, got [" + lo + ", "
                    + hi + "], " + bins + " bins, total " + total);
        }
        double width = (hi - lo) / bins;
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = lo + i * width;
        }
        long[] counts = new long[bins];
        for (double v : values) {
            if (v >= lo && v <= hi) {
                counts[Math.min(bins - 1, (int) ((v - lo) / width))]++;
            }
        }
        double[] densities = new double[bins];
        for (int i = 0; i < bins; i++) {
            densities[i] = counts[i] / (total * width);
        }
        return new DensityHistogram(edges, densities);
    }

    /**
     * Bins the values that lie in [lo, hi] into bins of equal width on a log axis, for spectra that
     * span decades. A bin's height is its share of all {@code total} values per decade it spans,
     * count / (total * log10(right / left)), so that on a log axis areas are shares as on a linear one.
     *
     * @throws IllegalArgumentException unless 0 &lt; lo &lt; hi are finite, bins &gt;= 1 and total &gt;= 1
     */
    static DensityHistogram perDecade(double[] values, double lo, double hi, int bins, int total) {
        if (!(lo > 0) || !(lo < hi) || !Double.isFinite(hi) || bins < 1 || total < 1) {
            throw new IllegalArgumentException("need finite 0 < lo < hi, bins >= 1 and total >= 1, got [" + lo + ", "
                    + hi + "], " + bins + " bins, total " + total);
        }
        double decades = Math.log10(hi / lo);
        double step = decades / bins;
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = lo * Math.pow(10, i * step);
        }
        edges[bins] = hi;
        long[] counts = new long[bins];
        for (double v : values) {
            if (v >= lo && v <= hi) {
                counts[Math.max(0, Math.min(bins - 1, (int) (Math.log10(v / lo) / step)))]++;
            }
        }
        double[] densities = new double[bins];
        for (int i = 0; i < bins; i++) {
            densities[i] = counts[i] / (total * step);
        }
        return new DensityHistogram(edges, densities);
    }

    /** The tallest bin. */
    double maxDensity() {
        double max = 0;
        for (double d : densities) {
            max = Math.max(max, d);
        }
        return max;
    }
}
