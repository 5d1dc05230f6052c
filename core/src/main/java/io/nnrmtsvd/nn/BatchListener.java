package io.nnrmtsvd.nn;

/** Told after every training mini-batch, e.g. to draw a progress bar. */
@FunctionalInterface
public interface BatchListener {
    /** A listener that ignores everything. */
    BatchListener NONE = (epoch, done, total) -> { };

    /**
     * @param epoch 1-based epoch
     * @param done batches finished in this epoch
     * @param total batches in this epoch
     */
    void batchDone(int epoch, int done, int total);
}
