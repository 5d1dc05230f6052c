/**
 * Analysis and compression of the files users bring: what a file holds
 * ({@link io.nnrmtsvd.checkpoint.InputKind}), the matrices of a model or matrix file
 * ({@link io.nnrmtsvd.checkpoint.NamedMatrix}), and whole checkpoints of other programs in
 * safetensors form (one file or a Hugging Face sharded directory, see
 * {@link io.nnrmtsvd.io.ShardedCheckpoint}): which tensors are analysed and why the others are
 * skipped ({@link io.nnrmtsvd.checkpoint.TensorSelection}), spectra of many tensors at once within
 * a memory budget ({@link io.nnrmtsvd.checkpoint.CheckpointSpectrum}), and factored or truncated
 * output that keeps every other tensor byte for byte
 * ({@link io.nnrmtsvd.checkpoint.CheckpointCompressor}, recorded as
 * {@link io.nnrmtsvd.checkpoint.FactoredFormat}).
 */
package io.nnrmtsvd.checkpoint;
