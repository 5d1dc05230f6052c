package io.nnrmtsvd.cli;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.MatrixFiles;
import io.nnrmtsvd.io.SafetensorsFile;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.report.Json;
import io.nnrmtsvd.report.LayerSpectrum;
import io.nnrmtsvd.report.SpectrumJson;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
                + "matrix in a .npy, .csv or .safetensors file, or of every tensor of a checkpoint.")
final class SpectrumCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A 2-D .npy or .csv matrix, a .safetensors model, or a "
            + "checkpoint: a .safetensors file of another program or a directory with model.safetensors.index.json.")
    Path file;

    @Option(names = "--tensor", paramLabel = "NAME", description = "Only this tensor of a .safetensors file.")
    String tensor;

    @Mixin
    BemaOptions fit;

    @Mixin
    ReportOptions report;

    @Mixin
    CheckpointOptions checkpoint;

    @Mixin
    AnalysisRunOptions run;

    @Mixin
    CommonOptions common;

    /** One matrix to analyse. */
    private record NamedMatrix(String name, DMatrix matrix) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        report.check();
        if (checkpoint.appliesTo(file)) {
            return CheckpointRuns.spectrum(this);
        }
        List<String> checkpointOnly = new ArrayList<>(checkpoint.given());
        checkpointOnly.addAll(run.given());
        CheckpointOptions.rejectFor(file, checkpointOnly);
        common.applyThreads();
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": no such file");
        }
        Bema bema = fit.bema();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<LayerSpectrum> spectra = new ArrayList<>();
        for (NamedMatrix m : matrices()) {
            SpectrumAnalysis analysis;
            try {
                analysis = SpectrumAnalysis.of(m.matrix(), bema);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(file + ": " + m.name() + ": " + e.getMessage(), e);
            }
            rows.add(json(m, analysis));
            spectra.add(LayerSpectrum.of(m.name(), analysis));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            out.println(Json.toString(rows, true));
        } else {
            printTable(out, rows);
        }
        out.flush();
        if (report.enabled()) {
            report.write(spec, report.metrics(spec, null, rows).spectra("Spectra of " + file.getFileName(), spectra));
        }
        return ExitCodes.OK;
    }

    private List<NamedMatrix> matrices() throws IOException {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
            if (tensor != null) {
                throw new IllegalArgumentException("--tensor applies to .safetensors files only");
            }
            return List.of(new NamedMatrix(file.getFileName().toString(), MatrixFiles.read(file)));
        }
        List<NamedMatrix> result = new ArrayList<>();
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            List<TensorInfo> chosen = new ArrayList<>();
            for (TensorInfo t : st.tensors()) {
                if (tensor == null ? t.shape().length == 2 && t.dtype().isAnalysable() : t.name().equals(tensor)) {
                    chosen.add(t);
                }
            }
            if (tensor != null && chosen.isEmpty()) {
                throw new InvalidInputException(file + ": no tensor named '" + tensor + "'");
            }
            if (chosen.isEmpty()) {
                throw new InvalidInputException(file + ": no 2-D floating-point tensor to analyse");
            }
            chosen.sort((a, b) -> TensorNames.NATURAL.compare(a.name(), b.name()));
            for (TensorInfo t : chosen) {
                if (t.shape().length != 2 || !t.dtype().isAnalysable()) {
                    throw new InvalidInputException(file + ": tensor " + t.name() + " is " + t.dtype() + " "
                            + java.util.Arrays.toString(t.shape()) + ", not a 2-D floating-point matrix");
                }
                int r = Math.toIntExact(t.shape()[0]);
                int c = Math.toIntExact(t.shape()[1]);
                result.add(new NamedMatrix(t.name(), DMatrix.wrap(r, c, st.readDoubles(t.name()))));
            }
        }
        return result;
    }

    private static Map<String, Object> json(NamedMatrix m, SpectrumAnalysis a) {
        return SpectrumJson.row(m.name(), a);
    }

    private static void printTable(PrintWriter out, List<Map<String, Object>> rows) {
        out.printf(Locale.ROOT, "%-28s %11s %7s %11s %11s %10s %6s %8s %5s %11s  %s%n", "name", "shape", "gamma",
                "sigma2", "lambda+", "s+", "spikes", "fit err", "good", "max eig", "ranks bema/gd/mp/e90");
        for (Map<String, Object> r : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> ranks = (Map<String, Object>) r.get("ranks");
            out.printf(Locale.ROOT, "%-28s %11s %7.4f %11.5g %11.5g %10.5g %6d %8.4f %5s %11.5g  %s/%s/%s/%s%n",
                    r.get("name"), r.get("rows") + "x" + r.get("cols"), r.get("gamma"), r.get("sigma2"),
                    r.get("lambda_plus"), r.get("s_plus"), r.get("spikes"), r.get("fit_error"),
                    (Boolean) r.get("good_fit") ? "yes" : "no", r.get("largest_eigenvalue"),
                    ranks.get("bema"), ranks.get("gavish_donoho"), ranks.get("mp_edge"), ranks.get("energy_90"));
        }
    }
}
