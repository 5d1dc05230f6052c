/**
 * Model and matrix files: safetensors ({@link io.nnrmtsvd.io.SafetensorsFile}, {@link
 * io.nnrmtsvd.io.SafetensorsWriter}), PyTorch {@code torch.save} state dicts read without
 * executing their pickle ({@link io.nnrmtsvd.io.TorchFile}; both behind {@link io.nnrmtsvd.io.ShardedCheckpoint}),
 * NumPy {@code .npy} ({@link io.nnrmtsvd.io.NpyFiles}) and delimited text ({@link
 * io.nnrmtsvd.io.CsvFiles}), with {@link io.nnrmtsvd.io.MatrixFiles} choosing by extension. One
 * reader/writer per format. Readers open only regular files (see {@link io.nnrmtsvd.io.InputFiles}),
 * validate a file before allocating for it and report every malformed input as an
 * {@link io.nnrmtsvd.io.InvalidInputException} naming the file; writers go through
 * {@link io.nnrmtsvd.io.AtomicFiles}, so no partial file is ever left behind.
 */
package io.nnrmtsvd.io;
