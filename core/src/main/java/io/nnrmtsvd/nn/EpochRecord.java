package io.nnrmtsvd.nn;

/**
 * What one epoch produced.
 *
 * @param epoch 1-based
 * @param trainLoss mean training loss over the epoch's mini-batches, weighted by batch size
 * @param testLoss mean loss on the evaluation set
 * @param testAccuracy fraction of the evaluation set classified correctly, in [0, 1]
 * @param trainAccuracy fraction of the training set classified correctly after the epoch, or NaN
 *     when not measured
 * @param seconds wall time of training plus evaluation
 * @param parameters the network's parameter count during the epoch
 * @param widths the network's widths during the epoch, e.g. 784-1000-10
 */
public record EpochRecord(int epoch, double trainLoss, double testLoss, double testAccuracy, double trainAccuracy,
                          double seconds, long parameters, String widths) {
}
