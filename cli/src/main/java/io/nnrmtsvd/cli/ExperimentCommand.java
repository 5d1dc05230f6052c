package io.nnrmtsvd.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code rmtsvd experiment}: groups the experiments. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run a reproducible experiment.", subcommands = {PaperCommand.class, OverfitCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  rmtsvd experiment paper --seeds 10",
                "  rmtsvd experiment overfit --run-dir runs/overfit"})
final class ExperimentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without an experiment: the usage, on stdout. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
