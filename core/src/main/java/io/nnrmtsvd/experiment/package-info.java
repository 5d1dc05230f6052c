/**
 * Runs built from the library's parts: training with pruning, baselines from the same initial
 * weights, the controls of a pruned run at equal size ({@link io.nnrmtsvd.experiment.Controls}),
 * the paper's experiments ({@link io.nnrmtsvd.experiment.PaperExperiment}), the overfitting
 * experiment ({@link io.nnrmtsvd.experiment.OverfitExperiment}), seeds and their statistics.
 */
package io.nnrmtsvd.experiment;
