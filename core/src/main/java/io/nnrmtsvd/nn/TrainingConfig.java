package io.nnrmtsvd.nn;

import java.util.Objects;

/**
 * How to train: the published set-up's values are the defaults (SPEC §7: SGD lr 0.08, momentum
 * 0.9, mini-batch 128, no learning-rate decay, no penalty).
 *
 * @param epochs number of passes over the training set
 * @param learningRate SGD step size of the first epoch
 * @param momentum SGD momentum coefficient mu
 * @param batchSize mini-batch size; the last batch of an epoch may be smaller
 * @param seed seeds the per-epoch shuffling
 * @param measureTrainAccuracy also evaluate the whole training set after every epoch (one more
 *     forward pass over it)
 * @param learningRateDecay factor in (0, 1] applied to the learning rate after every epoch: epoch
 *     e trains with learningRate * decay^(e - 1), whatever the prunes in between (the follow-up
 *     paper's recipe uses 0.96; 1 is no decay)
 * @param penalty L1 and L2 penalties in the loss ({@link WeightPenalty#NONE} for none)
 */
public record TrainingConfig(int epochs, double learningRate, double momentum, int batchSize, long seed,
                             boolean measureTrainAccuracy, double learningRateDecay, WeightPenalty penalty) {
    public static final double DEFAULT_LEARNING_RATE = 0.08;
    public static final double DEFAULT_MOMENTUM = 0.9;
    public static final int DEFAULT_BATCH_SIZE = 128;
    /** The follow-up paper's learning-rate decay per epoch. */
    public static final double FOLLOW_UP_DECAY = 0.96;

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
        if (!(learningRateDecay > 0 && learningRateDecay <= 1)) {
            throw new IllegalArgumentException("--lr-decay must be in (0, 1], got " + learningRateDecay);
        }
        Objects.requireNonNull(penalty, "penalty");
    }

    /** A configuration without decay or penalty. */
    public TrainingConfig(int epochs, double learningRate, double momentum, int batchSize, long seed,
                          boolean measureTrainAccuracy) {
        this(epochs, learningRate, momentum, batchSize, seed, measureTrainAccuracy, 1, WeightPenalty.NONE);
    }

    /** A configuration that does not measure training accuracy, without decay or penalty. */
    public TrainingConfig(int epochs, double learningRate, double momentum, int batchSize, long seed) {
        this(epochs, learningRate, momentum, batchSize, seed, false);
    }

    /** The same configuration, measuring training accuracy or not. */
    public TrainingConfig withTrainAccuracy(boolean measure) {
        return new TrainingConfig(epochs, learningRate, momentum, batchSize, seed, measure, learningRateDecay,
                penalty);
    }

    /** The same configuration with another seed. */
    public TrainingConfig withSeed(long newSeed) {
        return new TrainingConfig(epochs, learningRate, momentum, batchSize, newSeed, measureTrainAccuracy,
                learningRateDecay, penalty);
    }

    /** The same configuration with another learning-rate decay and penalty. */
    public TrainingConfig withRegularisation(double decay, WeightPenalty newPenalty) {
        return new TrainingConfig(epochs, learningRate, momentum, batchSize, seed, measureTrainAccuracy, decay,
                newPenalty);
    }

    /** The learning rate of epoch {@code epoch} (1-based): learningRate * decay^(epoch - 1). */
    public double learningRateAt(int epoch) {
        return learningRateDecay == 1 ? learningRate : learningRate * Math.pow(learningRateDecay, epoch - 1);
    }

    /** The published set-up with the given epochs and seed. */
    public static TrainingConfig published(int epochs, long seed) {
        return new TrainingConfig(epochs, DEFAULT_LEARNING_RATE, DEFAULT_MOMENTUM, DEFAULT_BATCH_SIZE, seed);
    }
}
