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
import io.nnrmtsvd.run.CheckpointSpectrumRun;
import io.nnrmtsvd.run.RunDirectory;
import io.nnrmtsvd.run.SpectrumSummary;
import io.nnrmtsvd.run.TensorEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
                "  rmtsvd spectrum path/to/model/ --plot 'model.layers.0.*'  # plot them too",
                "  rmtsvd spectrum ckpt-1000/ ckpt-2000/ ckpt-3000/ --run-dir runs/history"})
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

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "A 2-D .npy or .csv matrix, a .safetensors model, "
            + "or a checkpoint of another program: a .safetensors or PyTorch (torch.save) file, or a directory of "
            + "shards with their index. Several checkpoints (a training run's history, a model family) are "
            + "analysed one after another, each into its own run directory inside --run-dir.")
    List<Path> files;

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
        if (files.size() > 1) {
            return severalCheckpoints();
        }
        Path file = files.get(0);
        report.check(spec);
        if (checkpoint.kindOf(file) == InputKind.CHECKPOINT) {
            if (report.runDir != null && run.resume != null) {
                throw new IllegalArgumentException("--run-dir and --resume: give one (--resume RUN_DIR continues that "
                        + "run)");
            }
            if (run.resume != null) {
                report.resume(run.resume);
            }
            List<Map<String, Object>> rows = checkpointSpectrum(file, report);
            PrintWriter out = spec.commandLine().getOut();
            if (common.json) {
                out.println(Json.toString(rows, true));
            } else {
                SpectrumTables.checkpoint(out, rows);
                SpectrumTables.summary(out, SpectrumSummary.of(rows));
            }
            out.flush();
            if (report.enabled()) {
                writeReport(file, rows, report);
            }
            return ExitCodes.OK;
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

    /**
     * Several checkpoints, one after another, each into a run directory of its own named after it
     * inside the chosen (or a new) one; the last line says where they all are.
     */
    private int severalCheckpoints() throws IOException, InterruptedException {
        if (run.resume != null) {
            throw new IllegalArgumentException("--resume continues one run directory: give one checkpoint (each of "
                    + "several has its own run directory inside --run-dir)");
        }
        for (Path f : files) {
            if (checkpoint.kindOf(f) != InputKind.CHECKPOINT) {
                throw new InvalidInputException(f + ": several inputs must all be checkpoints; give a matrix or an "
                        + "rmtsvd model on its own (or --checkpoint to read a model as a checkpoint)");
            }
        }
        RunDirectory parent = report.enabled() ? report.directory(spec) : null;
        PrintWriter out = spec.commandLine().getOut();
        List<Object> documents = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path f : files) {
            ReportOptions child = new ReportOptions();
            child.noReport = !report.enabled();
            if (parent != null) {
                child.runDir = parent.path().resolve(uniqueName(f, names));
            }
            List<Map<String, Object>> rows = checkpointSpectrum(f, child);
            if (common.json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("input", f.toString());
                doc.put("run_dir", child.runDir == null ? null : child.runDir.toString());
                doc.put("rows", rows);
                documents.add(doc);
            } else {
                out.println("== " + Printable.text(f.toString(), false));
                SpectrumTables.checkpoint(out, rows);
                SpectrumTables.summary(out, SpectrumSummary.of(rows));
                out.flush();
            }
            if (child.enabled()) {
                writeReport(f, rows, child);
            }
        }
        if (common.json) {
            out.println(Json.toString(documents, true));
            out.flush();
        }
        if (parent != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("reports: " + parent.path() + " (a run directory for each of the " + files.size()
                    + " checkpoints)");
            err.flush();
        }
        return ExitCodes.OK;
    }

    /**
     * A run directory's name for an input: a directory's name, a file's name without its extension
     * (its directory's name for the standard model.safetensors and pytorch_model.bin), made
     * unique among {@code taken} with -2, -3, ...
     */
    private static String uniqueName(Path input, Set<String> taken) {
        Path absolute = input.toAbsolutePath().normalize();
        Path name = absolute.getFileName();
        String text = name == null ? "checkpoint" : name.toString();
        if (!Files.isDirectory(absolute)) {
            text = text.contains(".") ? text.substring(0, text.lastIndexOf('.')) : text;
            if ((text.equals("model") || text.equals("pytorch_model")) && absolute.getParent() != null
                    && absolute.getParent().getFileName() != null) {
                text = absolute.getParent().getFileName().toString();
            }
        }
        String base = text.replaceAll("[^A-Za-z0-9._-]", "_");
        String candidate = base;
        for (int i = 2; !taken.add(candidate); i++) {
            candidate = base + "-" + i;
        }
        return candidate;
    }

    /** Draws the run directory of one checkpoint's rows. */
    private void writeReport(Path input, List<Map<String, Object>> rows, ReportOptions into) throws IOException {
        into.write(spec, into.metrics(spec, null, rows).spectrumSummary(SpectrumSummary.of(rows).toJson())
                .tensors("Tensors of " + input.getFileName(), rows, checkpoint.plotGlobs()));
    }

    /**
     * A row per tensor of a checkpoint; its journal lives in {@code into}'s run directory, so the
     * run can resume (when {@code into} resumes one).
     */
    private List<Map<String, Object>> checkpointSpectrum(Path file, ReportOptions into)
            throws IOException, InterruptedException {
        if (!into.enabled() && run.resume != null) {
            throw new IllegalArgumentException("--resume continues a run directory; drop --no-report");
        }
        checkpoint.checkPlot(into.enabled());
        int threads = blas.apply();
        CheckpointSpectrumRun.Settings settings = new CheckpointSpectrumRun.Settings(heavyTail.settings(fit.bema()),
                checkpoint.selection(), tensor, run.jobs, run.maxMemoryBytes());
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(file)) {
            Path runDir = into.enabled() ? into.directory(spec).path() : null;
            try (Progress progress = new Progress("spectrum")) {
                return CheckpointSpectrumRun.run(ck, settings, engine, threads, runDir, run.resume != null,
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
                        }).rows();
            }
        }
    }
}
