package io.nnrmtsvd.rmt;

/**
 * One entry of a matrix with its position.
 *
 * @param row 0-based row (output unit)
 * @param col 0-based column (input unit)
 * @param value the entry
 */
public record MatrixEntry(int row, int col, double value) {
}
