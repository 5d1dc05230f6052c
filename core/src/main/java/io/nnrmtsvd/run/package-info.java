/**
 * Runs as the command line makes them, as library calls: the directory a run writes into
 * ({@link io.nnrmtsvd.run.RunDirectory}) and, for long work, the journal that lets it resume
 * ({@link io.nnrmtsvd.run.Journal}); training with snapshots and its resumption
 * ({@link io.nnrmtsvd.run.TrainingRun}, {@link io.nnrmtsvd.run.TrainingSnapshots}); the spectra of a
 * checkpoint's tensors ({@link io.nnrmtsvd.run.CheckpointSpectrumRun}); the overfitting experiment
 * over seeds, journalled job by job ({@link io.nnrmtsvd.run.OverfitRun}). The top of the core module:
 * it may use every other package, and none uses it.
 */
package io.nnrmtsvd.run;
