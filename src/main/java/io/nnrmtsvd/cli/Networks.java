package io.nnrmtsvd.cli;

import io.nnrmtsvd.nn.Network;
import java.util.SplittableRandom;

/** Builds the network a command asks for, checked against the data it will see. */
final class Networks {
    private Networks() {
    }

    /**
     * A freshly initialised network with the given widths; its initialisation is seeded from a
     * generator split off {@code seed}, independent of the shuffling stream.
     */
    static Network initialize(int[] widths, boolean outputRelu, LoadedData data, long seed) {
        checkWidths(widths, data);
        return Network.initialize(widths, outputRelu, new SplittableRandom(seed).split());
    }

    static void checkWidths(int[] widths, LoadedData data) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("--layers needs at least two widths, e.g. 784,1000,10");
        }
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("--layers widths must be positive, got " + w);
            }
        }
        if (widths[0] != data.train().features()) {
            throw new IllegalArgumentException("--layers starts with " + widths[0] + " but " + data.name()
                    + " has " + data.train().features() + " inputs per example");
        }
        if (widths[widths.length - 1] != data.classes()) {
            throw new IllegalArgumentException("--layers ends with " + widths[widths.length - 1] + " but "
                    + data.name() + " has " + data.classes() + " classes");
        }
    }
}
