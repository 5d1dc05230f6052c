package io.nnrmtsvd.prune;

/**
 * What one prune did to one layer (or merged factor pair) of the network.
 *
 * @param index position of the layer in the network before the prune
 * @param rows outputs of the pruned matrix
 * @param cols inputs of the pruned matrix
 * @param fitError BEMA's fit error
 * @param goodFit whether the fit passed the test
 * @param sigma2 BEMA's noise variance
 * @param lambdaPlus BEMA's bulk edge
 * @param spikes signal singular values by BEMA
 * @param signal signal singular values by the configured selector (BEMA's spikes by default)
 * @param keep the keep fraction applied
 * @param rank singular values kept, or min(rows, cols) when the layer was left alone
 * @param action what was done: split, truncate, shrink, random-keep, or unchanged
 * @param reason why, when the layer was left unchanged
 * @param parametersBefore weights and biases before
 * @param parametersAfter weights and biases after
 */
public record LayerReport(int index, int rows, int cols, double fitError, boolean goodFit, double sigma2,
                          double lambdaPlus, int spikes, int signal, double keep, int rank, String action,
                          String reason, long parametersBefore, long parametersAfter) {
}
