package io.nnrmtsvd.rmt;

/**
 * A rule that decides how many singular values of a layer to keep, given its SVD's singular
 * values. One class per rule; {@link RankSelectors#parse} builds them from text. Each
 * implementation's {@code toString()} is the text that parses back to it.
 */
@FunctionalInterface
public interface RankSelector {
    /**
     * The number of leading singular values to keep.
     *
     * @param singularValues Not modified. The min(rows, cols) singular values of the
     *     rows x cols matrix, descending, finite and non-negative.
     * @param rows rows of the matrix (outputs)
     * @param cols columns of the matrix (inputs)
     * @return k in [0, min(rows, cols)]
     * @throws IllegalArgumentException if the singular values do not fit that description, or
     *     the rule cannot be applied to them (stated by the implementation)
     */
    int select(double[] singularValues, int rows, int cols);
}
