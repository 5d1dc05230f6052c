package io.nnrmtsvd.cli;

import io.nnrmtsvd.report.RunMetrics;
import io.nnrmtsvd.report.RunReport;
import io.nnrmtsvd.run.RunDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Where a command writes its run directory (metrics, plots, report.html), if anywhere. */
final class ReportOptions {
    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Write metrics.json, CSV data, plots and report.html here "
                    + "(default: a new runs/<UTC time>-<command>).")
    Path runDir;

    @Option(names = "--no-report", description = "Write no run directory.")
    boolean noReport;

    private final Instant started = Instant.now();
    private RunDirectory opened;

    /** Fails now on contradicting options or a chosen run directory that cannot be this run's. */
    void check(CommandSpec spec) throws IOException {
        if (noReport && runDir != null) {
            throw new IllegalArgumentException("--run-dir and --no-report contradict each other");
        }
        if (runDir != null) {
            directory(spec); // a chosen directory is taken (checked, created, locked) before any work
        }
    }

    /** Whether a run directory is written. */
    boolean enabled() {
        return !noReport;
    }

    /** Starts the metrics of this run: the command, its exact arguments, version, seed and result. */
    RunMetrics metrics(CommandSpec spec, Long seed, Object result) {
        return RunMetrics.start(spec.name(), spec.commandLine().getParseResult().originalArgs(), Version.current(),
                seed, started, result);
    }

    /** Continues the run in {@code dir}: the run directory is that existing one. */
    void resume(Path dir) throws IOException {
        runDir = dir;
        opened = RunDirectory.existing(dir);
    }

    /** The run directory, created on first use (so files written during the run and the report share it). */
    RunDirectory directory(CommandSpec spec) throws IOException {
        if (opened == null) {
            opened = RunDirectory.open(runDir, spec.name(), started);
        }
        return opened;
    }

    /** Writes the run directory, then names the report as the last line on stderr. */
    void write(CommandSpec spec, RunMetrics metrics) throws IOException {
        announce(spec, RunReport.write(directory(spec), metrics, drawing()));
    }

    /** A progress bar over the report's figures. */
    static RunReport.Listener drawing() {
        Progress progress = new Progress("report");
        return (done, total) -> progress.itemsDone(done, total);
    }

    /** Prints where the report is, on stderr. */
    static void announce(CommandSpec spec, Path report) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("report: " + report);
        err.flush();
    }
}
