package io.nnrmtsvd.rmt;

/** Checks and sums over eigenvalue arrays that the heavy-tail classes share. */
final class Spectra {
    private Spectra() {
    }

    /**
     * Checks that values are finite, non-negative and ascending.
     *
     * @param what the name of one value in messages, e.g. "eigenvalue"
     * @throws IllegalArgumentException naming the first offending index
     */
    static void checkAscending(double[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i]) || values[i] < 0) {
                throw new IllegalArgumentException(what + " " + i + " is " + values[i]
                        + "; they must be finite and non-negative");
            }
            if (i > 0 && values[i] < values[i - 1]) {
                throw new IllegalArgumentException(what + "s must be ascending: [" + (i - 1) + "] = "
                        + values[i - 1] + " > [" + i + "] = " + values[i]);
            }
        }
    }

    /** The sum by Neumaier's compensated summation: error about one rounding of the result. */
    static double sum(double[] values) {
        double sum = 0;
        double compensation = 0;
        for (double value : values) {
            double next = sum + value;
            compensation += Math.abs(sum) >= Math.abs(value) ? (sum - next) + value : (value - next) + sum;
            sum = next;
        }
        return sum + compensation;
    }
}
