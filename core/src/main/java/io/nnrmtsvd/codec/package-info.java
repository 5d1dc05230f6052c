/**
 * One JSON codec per result type, used alike for {@code --json}, {@code metrics.json}, run
 * journals and training snapshots, so a result reads the same wherever it is written. A codec
 * turns a library value into plain JSON values for {@link io.nnrmtsvd.io.Json} and, for the types
 * that are read back (snapshots, journals), reads them strictly: every field is checked and a bad
 * one is an {@link java.lang.IllegalArgumentException} naming it.
 *
 * <p>Keys are lower case with underscores. Non-finite numbers are written as {@code null} and read
 * back as NaN.
 */
package io.nnrmtsvd.codec;
