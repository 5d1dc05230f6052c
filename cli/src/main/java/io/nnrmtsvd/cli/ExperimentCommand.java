package io.nnrmtsvd.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code rmtsvd experiment}: groups the experiments. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run a reproducible experiment.", subcommands = {PaperCommand.class, OverfitCommand.class})
final class ExperimentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing experiment (e.g. 'paper')");
    }
}
