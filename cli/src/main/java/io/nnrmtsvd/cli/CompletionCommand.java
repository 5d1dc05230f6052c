package io.nnrmtsvd.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rmtsvd completion}: prints the bash/zsh completion script of every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a bash/zsh completion script for rmtsvd's commands and options (picocli's generator).",
        footerHeading = "%nExamples:%n",
        footer = {"  source <(rmtsvd completion)      # in this shell, bash or zsh",
                "  # in every new bash:",
                "  rmtsvd completion > ~/.local/share/bash-completion/completions/rmtsvd"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("rmtsvd", spec.root().commandLine()));
        out.flush();
        return ExitCodes.OK;
    }
}
