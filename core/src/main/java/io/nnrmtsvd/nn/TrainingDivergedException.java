package io.nnrmtsvd.nn;

/**
 * Training blew up: a mini-batch loss became NaN or infinite, or grew beyond any loss a learning
 * network reaches (see {@link Trainer#DIVERGENCE_FACTOR}). Training cannot go on.
 */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int epoch;
    private final int batch;
    private final double loss;

    public TrainingDivergedException(int epoch, int batch, double loss) {
        super("training diverged at epoch " + epoch + ", batch " + batch + " (loss " + loss
                + "); try a smaller learning rate");
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
    }

    /** The mini-batch loss that showed it. */
    public double loss() {
        return loss;
    }

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }
}
