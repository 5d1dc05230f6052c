/**
 * Fully connected networks and their training: dense layers on off-heap float buffers, forward
 * and backward passes through BLAS sgemm, log-softmax with mean negative log-likelihood, SGD with
 * momentum, with the follow-up paper's recipe as settings ({@link io.nnrmtsvd.nn.Initialization},
 * {@link io.nnrmtsvd.nn.WeightPenalty}, the learning-rate decay of
 * {@link io.nnrmtsvd.nn.TrainingConfig}). This package knows nothing of pruning: {@link io.nnrmtsvd.nn.EpochHook} lets callers
 * change the network between epochs.
 */
package io.nnrmtsvd.nn;
