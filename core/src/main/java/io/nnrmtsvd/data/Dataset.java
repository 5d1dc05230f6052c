package io.nnrmtsvd.data;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.nn.Evaluation;
import io.nnrmtsvd.nn.Examples;
import io.nnrmtsvd.nn.Network;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A data set ready for training and evaluation.
 *
 * @param name the data set's name, e.g. {@code mnist}
 * @param train training examples
 * @param test evaluation examples
 * @param classes number of classes
 */
public record Dataset(String name, Examples train, Examples test, int classes) {
    /**
     * Loads (fetching on first use) the data set {@code name}, see {@link Datasets#load}.
     *
     * @param dataDir the data directory, or null for the default
     * @param log receives one line per progress message
     */
    public static Dataset load(String name, Path dataDir, Consumer<String> log) {
        DatasetSplits splits = Datasets.load(name, dataDir, log);
        return new Dataset(name, examples(splits.train()), examples(splits.test()), splits.train().numClasses());
    }

    private static Examples examples(LabeledImages images) {
        return new Examples(images.pixels(), images.labels(), images.features());
    }

    /** Inputs per example. */
    public int features() {
        return train.features();
    }

    /**
     * Fails unless {@code widths}, input first, describe a network for this data set: one that can be
     * built ({@link Network#checkWidths}), starting with its inputs and ending with its classes.
     *
     * @throws IllegalArgumentException naming the width that does not fit
     */
    public void checkWidths(int[] widths) {
        Network.checkWidths(widths);
        if (widths[0] != features()) {
            throw new IllegalArgumentException("--layers starts with " + widths[0] + " but " + name
                    + " has " + features() + " inputs per example");
        }
        if (widths[widths.length - 1] != classes) {
            throw new IllegalArgumentException("--layers ends with " + widths[widths.length - 1] + " but "
                    + name + " has " + classes + " classes");
        }
    }

    /**
     * The network's accuracy on the test examples.
     *
     * @throws InvalidInputException if the network's inputs or classes are not this data set's
     */
    public double testAccuracy(Network network) {
        if (network.inputSize() != features() || network.outputSize() != classes) {
            throw new InvalidInputException("the model takes " + network.inputSize() + " inputs and gives "
                    + network.outputSize() + " classes, but " + name + " has " + features()
                    + " inputs and " + classes + " classes");
        }
        return Evaluation.of(network, test).accuracy();
    }
}
