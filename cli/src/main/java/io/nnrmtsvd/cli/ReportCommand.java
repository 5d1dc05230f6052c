package io.nnrmtsvd.cli;

import io.nnrmtsvd.report.RunReport;
import io.nnrmtsvd.run.RunDirectory;
import io.nnrmtsvd.io.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rmtsvd report}: draws a run's plots and report.html again from its metrics.json. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Draw the plots, CSV data and report.html of a run directory again from its metrics.json.",
        footerHeading = "%nExamples:%n",
        footer = {"  rmtsvd report runs/20261125T101112Z-train"})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A run directory written by train, spectrum, compress or sweep.")
    Path dir;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        Path report = RunReport.render(RunDirectory.existing(dir), ReportOptions.drawing());
        if (common.json) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(Json.toString(Map.of("report", report.toString()), false));
            out.flush();
        } else {
            ReportOptions.announce(spec, report);
        }
        return ExitCodes.OK;
    }
}
