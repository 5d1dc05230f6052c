/**
 * Runs built from the library's parts: training with pruning, baselines from the same initial
 * weights, the paper's experiments, seeds and their statistics.
 */
package io.nnrmtsvd.experiment;
