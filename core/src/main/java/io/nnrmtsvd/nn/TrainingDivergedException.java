package io.nnrmtsvd.nn;

/** The loss became NaN or infinite: training cannot go on. */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int epoch;
    private final int batch;

    public TrainingDivergedException(int epoch, int batch, double loss) {
        super("training diverged at epoch " + epoch + ", batch " + batch + " (loss " + loss
                + "); try a smaller learning rate");
        this.epoch = epoch;
        this.batch = batch;
    }

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }
}
