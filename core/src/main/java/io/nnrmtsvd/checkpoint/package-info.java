/**
 * Analysis and compression of whole model checkpoints in safetensors form (one file or a
 * Hugging Face sharded directory, see {@link io.nnrmtsvd.io.ShardedCheckpoint}): which tensors
 * are analysed and why the others are skipped ({@link io.nnrmtsvd.checkpoint.TensorSelection}),
 * spectra of many tensors at once within a memory budget with results appended to a run
 * directory as they finish ({@link io.nnrmtsvd.checkpoint.CheckpointSpectrum},
 * {@link io.nnrmtsvd.checkpoint.RunDirectory}), and factored or truncated output that keeps
 * every other tensor byte for byte ({@link io.nnrmtsvd.checkpoint.CheckpointCompressor}).
 */
package io.nnrmtsvd.checkpoint;
