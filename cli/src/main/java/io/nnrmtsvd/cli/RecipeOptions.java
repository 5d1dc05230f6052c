package io.nnrmtsvd.cli;

import io.nnrmtsvd.data.DataPreparation;
import io.nnrmtsvd.nn.Initialization;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.nn.WeightPenalty;
import picocli.CommandLine.Option;

/**
 * The follow-up paper's training recipe (arXiv 2310.03165) beside plain training: shared by
 * {@code train} and {@code experiment overfit}. Every option defaults to plain training.
 */
final class RecipeOptions {
    @Option(names = "--init", paramLabel = "INIT",
            description = "Initialisation: uniform (PyTorch's default, weights and biases U(-1/sqrt(in), 1/sqrt(in))) "
                    + "or normal (the follow-up's: weights N(0, 1/in), biases 0) (default: ${DEFAULT-VALUE}).")
    String init = "uniform";

    @Option(names = "--normalize", description = "Normalise inputs as (x - 0.5) / 0.5, as the follow-up does.")
    boolean normalize;

    @Option(names = "--lr-decay", paramLabel = "F",
            description = "Multiply the learning rate by F after every epoch, F in (0, 1]; the follow-up uses 0.96 "
                    + "(default: ${DEFAULT-VALUE}, no decay).")
    double lrDecay = 1;

    @Option(names = "--l1", paramLabel = "W",
            description = "L1 penalty W * sum |p| over all weights and biases in the loss; the follow-up uses 5e-6 "
                    + "(default: ${DEFAULT-VALUE}).")
    double l1;

    @Option(names = "--l2", paramLabel = "W",
            description = "L2 penalty W * sum p^2 over all weights and biases in the loss; the follow-up uses 5e-6 "
                    + "(default: ${DEFAULT-VALUE}).")
    double l2;

    @Option(names = "--train-size", paramLabel = "N",
            description = "Train on N training images drawn at random (seeded by --subset-seed); 0 trains on all. "
                    + "The test set stays whole (default: ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(names = "--subset-seed", paramLabel = "S",
            description = "Seed of the --train-size draw (default: ${DEFAULT-VALUE}).")
    long subsetSeed = 1;

    /** The training configuration with this recipe's decay and penalty. */
    TrainingConfig apply(TrainingConfig training) {
        return training.withRegularisation(lrDecay, new WeightPenalty(l1, l2));
    }

    /** The initialisation. */
    Initialization initialization() {
        return Initialization.parse(init);
    }

    /** What is done to the data before training. */
    DataPreparation data() {
        if (trainSize < 0) {
            throw new IllegalArgumentException("--train-size must be >= 1, got " + trainSize);
        }
        return new DataPreparation(trainSize, subsetSeed, normalize);
    }
}
