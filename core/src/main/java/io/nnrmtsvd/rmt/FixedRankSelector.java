package io.nnrmtsvd.rmt;

import java.util.Objects;
/** Keeps a fixed number of singular values, or all of them when the matrix has fewer. */
public final class FixedRankSelector implements RankSelector {
    private final int rank;

    /**
     * Keeps {@code rank} singular values.
     *
     * @param rank &gt;= 0
     */
    public FixedRankSelector(int rank) {
        if (rank < 0) {
            throw new IllegalArgumentException("rank must be >= 0, got " + rank);
        }
        this.rank = rank;
    }

    /** The requested rank. */
    public int rank() {
        return rank;
    }

    @Override
    public int select(double[] singularValues, int rows, int cols) {
        GramSpectrum.checkSingularValues(singularValues, rows, cols);
        return Math.min(rank, singularValues.length);
    }

    @Override
    public String toString() {
        return "rank:" + rank;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FixedRankSelector o && o.rank == rank;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rank);
    }
}
