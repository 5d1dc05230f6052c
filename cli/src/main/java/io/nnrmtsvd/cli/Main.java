package io.nnrmtsvd.cli;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.Printable;
import io.nnrmtsvd.nn.TrainingDivergedException;
import io.nnrmtsvd.run.ExperimentEngine;
import io.nnrmtsvd.run.RunDirectory;
import io.nnrmtsvd.run.TensorEngine;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/** The {@code rmtsvd} root command: routes to the subcommands. */
@Command(name = "rmtsvd", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Random-matrix-theory guided SVD pruning of fully connected networks.",
        subcommands = {TrainCommand.class, ExperimentCommand.class, SpectrumCommand.class, CompressCommand.class,
                SweepCommand.class, ReportCommand.class, BenchCommand.class, TracyWidomCommand.class,
                CompletionCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  # The paper's experiments (~80 s on 2 cores)",
                "  rmtsvd experiment paper",
                "  # Train the published set-up and save the model",
                "  rmtsvd train --save mlp.safetensors",
                "  # The Marchenko-Pastur fit of every layer",
                "  rmtsvd spectrum mlp.safetensors",
                "  # A command's options and examples",
                "  rmtsvd COMMAND --help"})
public final class Main implements Runnable {
    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a command: the usage, on stdout. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line configured with the project's error handling and exit codes. */
    public static CommandLine commandLine() {
        return commandLine(TensorEngine.LOCAL, ExperimentEngine.LOCAL);
    }

    /**
     * As {@link #commandLine()}, with {@code spectrum} analysing checkpoints on {@code tensors} and
     * {@code experiment overfit} running its jobs on {@code experiments}: how the Spark module runs
     * the same commands on a cluster.
     */
    public static CommandLine commandLine(TensorEngine tensors, ExperimentEngine experiments) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cli = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                if (type == SpectrumCommand.class) {
                    return (K) new SpectrumCommand(tensors);
                }
                if (type == PaperCommand.class) {
                    return (K) new PaperCommand(experiments);
                }
                return type == OverfitCommand.class ? (K) new OverfitCommand(experiments) : defaults.create(type);
            }
        });
        HelpFormat.apply(cli);
        cli.setExecutionExceptionHandler(Main::handleExecutionException);
        cli.setParameterExceptionHandler(Main::handleParameterException);
        cli.setExecutionStrategy(parsed -> {
            Interruption.begin();
            if (!helpRequested(parsed)) {
                CommandLine executed = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
                executed.setOut(TerminalText.wrap(executed.getOut()));
                executed.setErr(TerminalText.wrap(executed.getErr()));
            }
            boolean ok = false;
            try {
                int code = new CommandLine.RunLast().execute(parsed);
                ok = code == ExitCodes.OK;
                return code;
            } catch (OutOfMemoryError | StackOverflowError e) {
                CommandLine executed = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
                executed.getErr().println("rmtsvd: " + ResourceLimits.explain(e));
                if (isVerbose(parsed)) {
                    e.printStackTrace(executed.getErr());
                }
                executed.getErr().flush();
                return ExitCodes.OTHER_ERROR;
            } finally {
                Interruption.end();
                RunDirectory.releaseAll(!ok);
            }
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Whether picocli prints help or a version instead of running a command (help may be coloured). */
    private static boolean helpRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
    }

    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("rmtsvd: " + UsageErrors.line(e));
        err.flush();
        return ExitCodes.BAD_INPUT;
    }

    private static int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        int code;
        if (e instanceof InvalidInputException || e instanceof IllegalArgumentException) {
            code = ExitCodes.BAD_INPUT;
        } else if (e instanceof TrainingDivergedException) {
            code = ExitCodes.DIVERGED;
        } else {
            code = ExitCodes.OTHER_ERROR;
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        err.println("rmtsvd: " + Printable.text(code == ExitCodes.OTHER_ERROR && e.getMessage() == null
                ? "internal error: " + message : firstLine(message), false));
        if (isVerbose(parsed)) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static boolean isVerbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
