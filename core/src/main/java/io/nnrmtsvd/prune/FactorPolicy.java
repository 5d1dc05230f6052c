package io.nnrmtsvd.prune;

import io.nnrmtsvd.io.InvalidInputException;
import java.util.Locale;

/**
 * What a repeated prune does with the two factors an earlier split left (a first factor is a
 * layer with neither bias nor activation, feeding the second).
 */
public enum FactorPolicy {
    /** Treat each factor as a layer of its own, as the original notebook does. */
    SEPARATE,
    /** Leave factors untouched. */
    SKIP,
    /**
     * Multiply a factor pair back into one matrix and prune that, so a layer is at most two
     * factors however often it is pruned (SPEC §6, the sound choice when the fit test is off).
     */
    MERGE;

    /** The name used on the command line and in JSON, e.g. {@code merge}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code separate}, {@code skip} or {@code merge}.
     *
     * @throws InvalidInputException for any other text
     */
    public static FactorPolicy parse(String text) {
        for (FactorPolicy f : values()) {
            if (f.cliName().equals(text)) {
                return f;
            }
        }
        throw new InvalidInputException("--factors must be separate, skip or merge, got " + text);
    }

    @Override
    public String toString() {
        return cliName();
    }
}
