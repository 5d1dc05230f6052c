package io.nnrmtsvd.cli;

import io.nnrmtsvd.checkpoint.InputKind;
import io.nnrmtsvd.checkpoint.MatrixSpectrum;
import io.nnrmtsvd.checkpoint.NamedMatrix;
import io.nnrmtsvd.checkpoint.SpectrumSettings;
import io.nnrmtsvd.codec.SpectrumRowJson;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.Printable;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.report.LayerSpectrum;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import io.nnrmtsvd.run.CheckpointSpectrumRun;
import io.nnrmtsvd.run.SpectrumSummary;
import io.nnrmtsvd.run.TensorEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rmtsvd spectrum}: the BEMA fit and selector ranks of every matrix in a file. */
@Command(name = "spectrum", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Marchenko-Pastur fit (BEMA), lambda_plus, spikes and selector ranks of each "
                + "matrix in a .npy, .csv or .safetensors file, or of every tensor of a checkpoint (safetensors or "
                + "PyTorch).",
        footerHeading = "%nExamples:%n",
        footer = {"  rmtsvd spectrum mlp.safetensors        # every layer of a model",
                "  rmtsvd spectrum weights.npy --json     # one matrix, as JSON",
                "  # A checkpoint (a directory, a .safetensors or PyTorch file), a job per core",
                "  rmtsvd spectrum path/to/model/ --run-dir runs/model",
                "  rmtsvd spectrum path/to/model/ --resume runs/model   # after a stop",
                "  rmtsvd spectrum path/to/model/ --plot 'model.layers.0.*'  # plot them too"})
final class SpectrumCommand implements Callable<Integer> {
    /** Where a checkpoint's tensors are analysed: this machine, or a cluster when the Spark module runs us. */
    private final TensorEngine engine;

    @Spec
    CommandSpec spec;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Checkpoints: analyse on Apache Spark, e.g. "
            + "local[2] or spark://host:7077 (needs the Spark module: see docs/SCALE.md).")
    String spark;

    SpectrumCommand() {
        this(TensorEngine.LOCAL);
    }

    SpectrumCommand(TensorEngine engine) {
        this.engine = engine;
    }

    @Parameters(paramLabel = "FILE", description = "A 2-D .npy or .csv matrix, a .safetensors model, or a "
            + "checkpoint of another program: a .safetensors or PyTorch (torch.save) file, or a directory of "
            + "shards with their index.")
    Path file;

    @Option(names = "--tensor", paramLabel = "NAME", description = "Only this tensor of a .safetensors file.")
    String tensor;

    @Mixin
    BemaOptions fit = new BemaOptions(Bema.create());

    @Mixin
    HeavyTailOptions heavyTail;

    @Mixin
    ReportOptions report;

    @Mixin
    CheckpointOptions checkpoint;

    @Mixin
    AnalysisRunOptions run;

    @Mixin
    ThreadOptions blas;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (spark != null) {
            return SparkSubmission.run(spec, spark);
        }
        report.check(spec);
        if (checkpoint.kindOf(file) == InputKind.CHECKPOINT) {
            return checkpointSpectrum();
        }
        List<String> checkpointOnly = new ArrayList<>(checkpoint.given());
        checkpointOnly.addAll(run.given());
        CheckpointOptions.rejectFor(file, checkpointOnly);
        blas.apply();
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": no such file");
        }
        SpectrumSettings settings = heavyTail.settings(fit.bema());
        List<Map<String, Object>> rows = new ArrayList<>();
        List<LayerSpectrum> spectra = new ArrayList<>();
        List<NamedMatrix> matrices = NamedMatrix.readAll(file, tensor);
        try (Progress progress = new Progress("spectrum")) {
            progress.itemsDone(0, matrices.size());
            for (NamedMatrix m : matrices) {
                progress.note(Printable.name(m.name()));
                MatrixSpectrum result;
                try {
                    result = MatrixSpectrum.of(m.matrix(), settings);
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException(file + ": " + m.name() + ": " + e.getMessage(), e);
                }
                rows.add(SpectrumRowJson.row(m.name(), result));
                spectra.add(LayerSpectrum.of(m.name(), result.analysis()));
                progress.itemsDone(rows.size(), matrices.size());
            }
        }
        SpectrumSummary summary = SpectrumSummary.of(rows);
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            out.println(Json.toString(rows, true));
        } else {
            SpectrumTables.matrices(out, rows);
            SpectrumTables.summary(out, summary);
        }
        out.flush();
        if (report.enabled()) {
            report.write(spec, report.metrics(spec, null, rows).spectrumSummary(summary.toJson())
                    .spectra("Spectra of " + file.getFileName(), spectra));
        }
        return ExitCodes.OK;
    }

    /** A row per tensor of a checkpoint; its journal lives in the run directory, so the run can resume. */
    private int checkpointSpectrum() throws IOException, InterruptedException {
        if (report.runDir != null && run.resume != null) {
            throw new IllegalArgumentException("--run-dir and --resume: give one (--resume RUN_DIR continues that run)");
        }
        if (!report.enabled() && run.resume != null) {
            throw new IllegalArgumentException("--resume continues a run directory; drop --no-report");
        }
        checkpoint.checkPlot(report.enabled());
        int threads = blas.apply();
        CheckpointSpectrumRun.Settings settings = new CheckpointSpectrumRun.Settings(heavyTail.settings(fit.bema()),
                checkpoint.selection(), tensor, run.jobs, run.maxMemoryBytes());
        if (run.resume != null) {
            report.resume(run.resume);
        }
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(file)) {
            Path runDir = report.enabled() ? report.directory(spec).path() : null;
            CheckpointSpectrumRun.Outcome outcome;
            try (Progress progress = new Progress("spectrum")) {
                outcome = CheckpointSpectrumRun.run(ck, settings, engine, threads, runDir, run.resume != null,
                        new CheckpointSpectrumRun.Listener() {
                            @Override
                            public void started(TensorEngine.Plan plan, int done, int total) {
                                if (done > 0) {
                                    Progress.log("resuming " + run.resume + ": " + done + " of " + total
                                            + " tensors done already");
                                }
                                Progress.log(file + ": " + Messages.count(total, "tensor") + " in "
                                        + Messages.count(ck.shards().size(), "shard") + ", "
                                        + Messages.count(plan.jobs(), "job") + " of "
                                        + Messages.count(plan.threadsPerJob(), "BLAS thread") + " on " + plan.where()
                                        + " (" + OpenBlas.coreName() + ")");
                            }

                            @Override
                            public void finished(int done, int total) {
                                progress.itemsDone(done, total);
                            }
                        });
            }
            SpectrumSummary summary = SpectrumSummary.of(outcome.rows());
            PrintWriter out = spec.commandLine().getOut();
            if (common.json) {
                out.println(Json.toString(outcome.rows(), true));
            } else {
                SpectrumTables.checkpoint(out, outcome.rows());
                SpectrumTables.summary(out, summary);
            }
            out.flush();
            if (report.enabled()) {
                report.write(spec, report.metrics(spec, null, outcome.rows()).spectrumSummary(summary.toJson())
                        .tensors("Tensors of " + file.getFileName(), outcome.rows(), checkpoint.plotGlobs()));
            }
        }
        return ExitCodes.OK;
    }
}
