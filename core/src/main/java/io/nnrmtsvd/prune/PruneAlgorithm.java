package io.nnrmtsvd.prune;

import io.nnrmtsvd.io.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The ways to prune one layer (SPEC §6; the notebook's alg 0..3), and leaving it alone. */
public enum PruneAlgorithm {
    /** Alg 0: keep the top k singular values; split into two layers when that saves parameters. */
    SPLIT_TRUNCATE,
    /** Alg 1: rank-k truncation in place, never split. */
    TRUNCATE,
    /** Alg 2: halve every singular value at or below s_plus, never split. */
    SHRINK,
    /** Alg 3: keep the signal plus randomly chosen noise singular values; split when it saves. */
    RANDOM_KEEP,
    /** Leave every layer as it is. */
    NONE;

    /** The name used on the command line, e.g. {@code split-truncate}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a command-line name such as {@code split-truncate}. */
    public static PruneAlgorithm parse(String text) {
        for (PruneAlgorithm a : values()) {
            if (a.cliName().equals(text)) {
                return a;
            }
        }
        throw new InvalidInputException("unknown pruning algorithm '" + text + "'; known: "
                + Arrays.stream(values()).map(PruneAlgorithm::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName();
    }
}
