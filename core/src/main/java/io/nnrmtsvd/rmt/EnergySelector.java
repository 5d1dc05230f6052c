package io.nnrmtsvd.rmt;

import java.util.Objects;
/**
 * Keeps the smallest number k of leading singular values that holds at least a given share of
 * the energy sum s_i^2: sum_{i &lt; k} s_i^2 &gt;= fraction * sum_i s_i^2. An all-zero spectrum
 * gives 0.
 */
public final class EnergySelector implements RankSelector {
    private final double fraction;

    /**
     * Keeps the given share of the energy.
     *
     * @param fraction share of the energy to keep, in (0, 1]
     */
    public EnergySelector(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("energy fraction must be in (0, 1], got " + fraction);
        }
        this.fraction = fraction;
    }

    /** The share of the energy kept. */
    public double fraction() {
        return fraction;
    }

    @Override
    public int select(double[] singularValues, int rows, int cols) {
        GramSpectrum.checkSingularValues(singularValues, rows, cols);
        // Sum in units of the largest value so that 1e±200 neither overflows nor underflows.
        double largest = singularValues[0];
        if (largest == 0) {
            return 0;
        }
        double total = 0;
        for (double s : singularValues) {
            total += (s / largest) * (s / largest);
        }
        double target = fraction * total;
        double running = 0;
        for (int k = 0; k < singularValues.length; k++) {
            double r = singularValues[k] / largest;
            running += r * r;
            if (running >= target) {
                return k + 1;
            }
        }
        return singularValues.length;
    }

    @Override
    public String toString() {
        return "energy:" + fraction;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EnergySelector o && Double.compare(o.fraction, fraction) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(fraction);
    }
}
