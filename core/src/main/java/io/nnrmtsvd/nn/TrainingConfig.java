package io.nnrmtsvd.nn;

/**
 * How to train: the published set-up's values are the defaults (SPEC §7: SGD lr 0.08, momentum
 * 0.9, mini-batch 128).
 *
 * @param epochs number of passes over the training set
 * @param learningRate SGD step size
 * @param momentum SGD momentum coefficient mu
 * @param batchSize mini-batch size; the last batch of an epoch may be smaller
 * @param seed seeds the per-epoch shuffling
 * @param measureTrainAccuracy also evaluate the whole training set after every epoch (one more
 *     forward pass over it)
 */
public record TrainingConfig(int epochs, double learningRate, double momentum, int batchSize, long seed,
                             boolean measureTrainAccuracy) {
    public static final double DEFAULT_LEARNING_RATE = 0.08;
    public static final double DEFAULT_MOMENTUM = 0.9;
    public static final int DEFAULT_BATCH_SIZE = 128;

    public TrainingConfig {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
    }

    /** A configuration that does not measure training accuracy. */
    public TrainingConfig(int epochs, double learningRate, double momentum, int batchSize, long seed) {
        this(epochs, learningRate, momentum, batchSize, seed, false);
    }

    /** The same configuration, measuring training accuracy or not. */
    public TrainingConfig withTrainAccuracy(boolean measure) {
        return new TrainingConfig(epochs, learningRate, momentum, batchSize, seed, measure);
    }

    /** The published set-up with the given epochs and seed. */
    public static TrainingConfig published(int epochs, long seed) {
        return new TrainingConfig(epochs, DEFAULT_LEARNING_RATE, DEFAULT_MOMENTUM, DEFAULT_BATCH_SIZE, seed);
    }
}
