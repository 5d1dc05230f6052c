package io.nnrmtsvd.cli;

import io.nnrmtsvd.nn.TrainingConfig;
import picocli.CommandLine.Option;

/** The network's widths and the training settings: shared by {@code train} and {@code experiment paper}. */
final class NetworkOptions {
    @Option(names = "--layers", paramLabel = "W,W,...", split = ",", hideParamSyntax = true,
            description = "Layer widths from input to output (default: ${DEFAULT-VALUE}).")
    int[] layers = {784, 1000, 10};

    @Option(names = "--lr", paramLabel = "RATE", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double lr = TrainingConfig.DEFAULT_LEARNING_RATE;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum = TrainingConfig.DEFAULT_MOMENTUM;

    @Option(names = "--batch", paramLabel = "N", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch = TrainingConfig.DEFAULT_BATCH_SIZE;

    @Option(names = "--train-accuracy",
            description = "Also measure accuracy on the whole training set after every epoch.")
    boolean trainAccuracy;

    /** The training configuration with these settings. */
    TrainingConfig config(int epochs, long seed) {
        return new TrainingConfig(epochs, lr, momentum, batch, seed, trainAccuracy);
    }
}
