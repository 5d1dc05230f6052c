package io.nnrmtsvd.experiment;

import io.nnrmtsvd.io.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The variants of Experiment A, each trained from the same initial weights as the others. */
public enum Variant {
    /** No pruning. */
    BASELINE,
    /** Split-truncate before every epoch, the first on the random initial weights (as published). */
    PRUNE,
    /** Only the prune before the first epoch: a re-parametrised random start, then plain training. */
    PRUNE_INIT_ONLY,
    /** Prunes from the second epoch on: only trained weights are pruned. */
    PRUNE_TRAINED_ONLY,
    /** As {@link #PRUNE} with the original notebook's slips, ReLU on the output included. */
    NOTEBOOK,
    /** No pruning, with ReLU on the output as the notebook has it: the baseline of {@link #NOTEBOOK}. */
    NOTEBOOK_BASELINE,
    /**
     * Zeroes the smallest weights before every epoch, down to the parameter count {@link #PRUNE}
     * has at that epoch, and once more after the last epoch (to its final count).
     */
    MAGNITUDE,
    /**
     * The random-rank control of {@link #PRUNE}: prunes before the same epochs, every layer to the
     * rank {@link #PRUNE} gave it there and with the same action (split or truncate), but keeps
     * singular values drawn uniformly at random among the layer's live ones instead of the largest
     * (see {@link io.nnrmtsvd.prune.RandomRankPruner}). Same shapes and parameter counts as
     * {@link #PRUNE} at every epoch; only the choice of the kept directions is taken from RMT.
     */
    RANDOM_RANK;

    /** Whether this variant copies {@link #PRUNE}'s course and so needs it to run first. */
    public boolean followsPrune() {
        return this == MAGNITUDE || this == RANDOM_RANK;
    }

    /**
     * The variant this one is compared with, seed by seed: the notebook's own baseline for
     * {@link #NOTEBOOK}, {@link #BASELINE} for the other pruned variants, none for the baselines.
     */
    public java.util.Optional<Variant> reference() {
        return switch (this) {
            case BASELINE, NOTEBOOK_BASELINE -> java.util.Optional.empty();
            case NOTEBOOK -> java.util.Optional.of(NOTEBOOK_BASELINE);
            default -> java.util.Optional.of(BASELINE);
        };
    }

    /** The command-line name, e.g. {@code prune-init-only}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return cliName();
    }

    /** Parses a command-line name. */
    public static Variant parse(String text) {
        for (Variant v : values()) {
            if (v.cliName().equals(text.strip())) {
                return v;
            }
        }
        throw new InvalidInputException("unknown variant '" + text + "'; known: "
                + Arrays.stream(values()).map(Variant::cliName).collect(Collectors.joining(", ")));
    }
}
