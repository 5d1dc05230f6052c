/**
 * Model and matrix files: safetensors, NumPy {@code .npy}, CSV. One reader/writer per format;
 * every malformed input ends in {@link io.nnrmtsvd.io.InvalidInputException}.
 */
package io.nnrmtsvd.io;
