package io.nnrmtsvd.cli;

import io.nnrmtsvd.report.RunReport;
import io.nnrmtsvd.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rmtsvd report}: draws a run's plots and report.html again from its metrics.json. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Draw the plots, CSV data and report.html of a run directory again from its metrics.json.")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A run directory written by train, spectrum, compress or sweep.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        ReportOptions.announce(spec, RunReport.render(RunDirectory.existing(dir)));
        return ExitCodes.OK;
    }
}
