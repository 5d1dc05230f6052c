package io.nnrmtsvd.cli;

import io.nnrmtsvd.checkpoint.InputKind;
import io.nnrmtsvd.checkpoint.TensorSelection;
import io.nnrmtsvd.report.TensorPlotSelection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Options for checkpoints of other programs, shared by {@code spectrum} and {@code compress}: which
 * tensors to analyse, and {@code --checkpoint} to read an rmtsvd model as one (see {@link InputKind}).
 */
final class CheckpointOptions {
    @Option(names = "--checkpoint",
            description = "Treat a .safetensors file as a checkpoint even if it is an rmtsvd model "
                    + "(directories and files of other programs always are).")
    boolean force;

    @Option(names = "--include", paramLabel = "GLOB",
            description = "Checkpoints: only tensors whose names match a glob (* and ?; repeatable).")
    List<String> include;

    @Option(names = "--exclude", paramLabel = "GLOB",
            description = "Checkpoints: skip tensors whose names match a glob (repeatable).")
    List<String> exclude;

    @Option(names = "--min-dim", paramLabel = "N",
            description = "Checkpoints: skip 2-D tensors with a dimension below N (default: "
                    + TensorSelection.DEFAULT_MIN_DIM + ").")
    Integer minDim;

    @Option(names = "--plot", paramLabel = "GLOB",
            description = "Checkpoints: also draw the spectra of tensors whose names match a glob in the report "
                    + "(repeatable; up to " + TensorPlotSelection.LIMIT + " more beside those chosen by rule).")
    List<String> plot;

    /** What {@code input} holds, with these options. */
    InputKind kindOf(Path input) {
        return InputKind.of(input, force);
    }

    /** The tensor selection the options describe. */
    TensorSelection selection() {
        return new TensorSelection(include == null ? List.of() : include, exclude == null ? List.of() : exclude,
                minDim == null ? TensorSelection.DEFAULT_MIN_DIM : minDim);
    }

    /** The {@code --plot} globs; empty when none were given. */
    List<String> plotGlobs() {
        return plot == null ? List.of() : plot;
    }

    /** Fails if {@code --plot} was given for a run that writes no report. */
    void checkPlot(boolean reportEnabled) {
        if (!reportEnabled && plot != null) {
            throw new IllegalArgumentException("--plot draws into the report; drop --no-report");
        }
    }

    /** The names of the options given, to reject them where they do not apply. */
    List<String> given() {
        List<String> names = new ArrayList<>();
        if (force) {
            names.add("--checkpoint");
        }
        if (include != null) {
            names.add("--include");
        }
        if (exclude != null) {
            names.add("--exclude");
        }
        if (minDim != null) {
            names.add("--min-dim");
        }
        if (plot != null) {
            names.add("--plot");
        }
        return names;
    }

    /** Fails if checkpoint-only options were given for {@code input}, which is not a checkpoint. */
    static void rejectFor(Path input, List<String> given) {
        if (!given.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", given) + ": for checkpoints only (a directory, "
                    + "or a .safetensors file that is not an rmtsvd model, or one given with --checkpoint), not " + input);
        }
    }
}
