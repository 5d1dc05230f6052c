package io.nnrmtsvd.cli;

import io.nnrmtsvd.checkpoint.CheckpointCompressor;
import io.nnrmtsvd.checkpoint.CheckpointSpectrum;
import io.nnrmtsvd.checkpoint.FactoredNetworks;
import io.nnrmtsvd.checkpoint.RunDirectory;
import io.nnrmtsvd.checkpoint.TensorResult;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.ModelFiles;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.report.Json;
import io.nnrmtsvd.rmt.Bema;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code spectrum} and {@code compress} on checkpoints of other programs (see {@link CheckpointOptions}). */
final class CheckpointRuns {
    /** A checkpoint layer keeps at least one singular value unless --min-rank says otherwise. */
    private static final int CHECKPOINT_MIN_RANK = 1;

    private CheckpointRuns() {
    }

    /** {@code spectrum} on a checkpoint: one row per tensor, analysed or skipped with the reason. */
    static int spectrum(SpectrumCommand c) throws IOException, InterruptedException {
        AnalysisRunOptions run = c.run;
        int threads = c.common.applyThreads();
        if (run.jobs != null && run.jobs < 1) {
            throw new IllegalArgumentException("--jobs must be at least 1, got " + run.jobs);
        }
        if (c.report.runDir != null && run.resume != null) {
            throw new IllegalArgumentException("--run-dir and --resume: give one (--resume RUN_DIR continues that run)");
        }
        Bema bema = c.fit.bema();
        long budget = run.maxMemoryBytes();
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(c.file)) {
            List<TensorInfo> tensors = new ArrayList<>();
            for (TensorInfo t : ck.tensors()) {
                if (c.tensor == null || t.name().equals(c.tensor)) {
                    tensors.add(t);
                }
            }
            if (tensors.isEmpty()) {
                throw new InvalidInputException(c.file + ": no tensor named '" + c.tensor + "'");
            }
            tensors.sort((a, b) -> TensorNames.NATURAL.compare(a.name(), b.name()));
            RunDirectory dir = openRunDirectory(c, run);
            Map<String, Map<String, Object>> done = dir == null ? Map.of() : dir.finished();
            List<TensorInfo> todo = tensors.stream().filter(t -> !done.containsKey(t.name())).toList();
            if (dir != null && !done.isEmpty()) {
                Progress.log("resuming " + dir.dir() + ": " + (tensors.size() - todo.size()) + " of " + tensors.size()
                        + " tensors done already");
            }
            int jobs = run.jobs != null ? run.jobs
                    : CheckpointSpectrum.defaultJobs(todo, c.checkpoint.selection(), threads, budget);
            OpenBlas.setThreads(Math.max(1, threads / jobs));
            Progress.log(ck + ": OpenBLAS " + OpenBlas.coreName() + ", " + jobs + " jobs of " + OpenBlas.threads()
                    + " BLAS thread(s)");
            CheckpointSpectrum analysis = new CheckpointSpectrum(bema, c.checkpoint.selection(), jobs, budget);
            Map<String, Integer> cutRanks = CheckpointCompressor.recordedRanks(ck);
            Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
            int[] finished = {0};
            try (Progress progress = new Progress("spectrum")) {
                List<TensorResult> results = analysis.run(ck, todo, r -> {
                    Map<String, Object> row = withCutRank(r.json(), cutRanks);
                    if (dir != null) {
                        dir.append(row);
                    }
                    progress.itemsDone(++finished[0], todo.size());
                });
                for (TensorResult r : results) {
                    rows.put(r.tensor().name(), withCutRank(r.json(), cutRanks));
                }
            } finally {
                if (dir != null) {
                    dir.close();
                }
            }
            List<Map<String, Object>> ordered = new ArrayList<>();
            for (TensorInfo t : tensors) {
                ordered.add(done.containsKey(t.name()) ? done.get(t.name()) : rows.get(t.name()));
            }
            PrintWriter out = c.spec.commandLine().getOut();
            if (c.common.json) {
                out.println(Json.toString(ordered, true));
            } else {
                printSpectrumTable(out, ordered);
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    private static RunDirectory openRunDirectory(SpectrumCommand c, AnalysisRunOptions run) {
        if (c.report.runDir == null && run.resume == null) {
            return null;
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("input", c.file.toAbsolutePath().normalize().toString());
        settings.put("tensor", c.tensor);
        settings.put("alpha", c.fit.alpha);
        settings.put("beta", c.fit.beta);
        settings.put("cutoff", c.fit.cutoff);
        settings.put("notebook", c.fit.notebook);
        settings.put("include", c.checkpoint.selection().include());
        settings.put("exclude", c.checkpoint.selection().exclude());
        settings.put("min_dim", c.checkpoint.selection().minDim());
        return run.resume != null ? RunDirectory.resume(run.resume, settings) : RunDirectory.create(c.report.runDir, settings);
    }

    private static Map<String, Object> withCutRank(Map<String, Object> row, Map<String, Integer> cutRanks) {
        Integer k = cutRanks.get((String) row.get("name"));
        if (k != null) {
            row.put("compressed_rank", k);
        }
        return row;
    }

    private static void printSpectrumTable(PrintWriter out, List<Map<String, Object>> rows) {
        out.printf(Locale.ROOT, "%-32s %-14s %-5s %-8s %7s %11s %11s %6s %8s %5s  %s%n", "name", "shape", "dtype",
                "status", "gamma", "sigma2", "lambda+", "spikes", "fit err", "good", "ranks bema/gd/mp/e90");
        int analysed = 0;
        for (Map<String, Object> r : rows) {
            String shape = shapeText(r.get("shape"));
            if (!TensorResult.ANALYSED.equals(r.get("status"))) {
                out.printf(Locale.ROOT, "%-32s %-14s %-5s %-8s %s%s%n", r.get("name"), shape, r.get("dtype"),
                        r.get("status"), r.get("reason"), cutRankNote(r));
                continue;
            }
            analysed++;
            @SuppressWarnings("unchecked")
            Map<String, Object> ranks = (Map<String, Object>) r.get("ranks");
            out.printf(Locale.ROOT, "%-32s %-14s %-5s %-8s %7.4f %11.5g %11.5g %6s %8.4f %5s  %s/%s/%s/%s%s%n",
                    r.get("name"), shape, r.get("dtype"), r.get("status"), number(r.get("gamma")),
                    number(r.get("sigma2")), number(r.get("lambda_plus")), r.get("spikes"), number(r.get("fit_error")),
                    Boolean.TRUE.equals(r.get("good_fit")) ? "yes" : "no", ranks.get("bema"),
                    ranks.get("gavish_donoho"), ranks.get("mp_edge"), ranks.get("energy_90"), cutRankNote(r));
        }
        out.printf(Locale.ROOT, "%d tensors: %d analysed, %d skipped%n", rows.size(), analysed, rows.size() - analysed);
    }

    private static String cutRankNote(Map<String, Object> row) {
        return row.containsKey("compressed_rank") ? "  (cut to rank " + row.get("compressed_rank") + ")" : "";
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String shapeText(Object shape) {
        if (shape instanceof long[] dims) {
            return Arrays.toString(dims).replace(" ", "");
        }
        return String.valueOf(shape).replace(" ", "");
    }

    /** {@code compress} on a checkpoint. */
    static int compress(CompressCommand c) throws IOException {
        c.common.applyThreads();
        PruneAlgorithm algorithm = PruneAlgorithm.parse(c.alg);
        if (algorithm != PruneAlgorithm.SPLIT_TRUNCATE && algorithm != PruneAlgorithm.TRUNCATE) {
            throw new IllegalArgumentException("--alg " + c.alg + ": checkpoints take split-truncate or truncate");
        }
        if (c.layers != null) {
            throw new IllegalArgumentException("--layers: for rmtsvd models; choose checkpoint tensors with --include");
        }
        boolean dense = c.dense || algorithm == PruneAlgorithm.TRUNCATE;
        PruneConfig config = c.pruning.config(algorithm, "0", CHECKPOINT_MIN_RANK, c.seed);
        CheckpointCompressor compressor = new CheckpointCompressor(config, dense, c.checkpoint.selection());
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(c.model)) {
            boolean model = ck.shards().size() == 1 && !ck.sharded() && ModelFiles.isModel(ck.shards().get(0));
            if (c.dataset != null && !model) {
                throw new IllegalArgumentException("--dataset: only for checkpoints of rmtsvd models "
                        + "(layers.{i}.weight), not " + c.model);
            }
            LoadedData data = c.dataset == null ? null : DataOptions.load(c.dataset, c.dataDir);
            Double before = data == null ? null : CompressCommand.accuracy(ModelFiles.load(ck.shards().get(0)), data);
            CheckpointCompressor.Result result;
            try (Progress analysing = new Progress("analyse"); Progress writing = new Progress("write")) {
                result = compressor.compress(ck, c.out, new CheckpointCompressor.Listener() {
                    @Override
                    public void analysed(CheckpointCompressor.LayerReport report, int done, int total) {
                        analysing.itemsDone(done, total);
                    }

                    @Override
                    public void written(String name, int done, int total) {
                        writing.itemsDone(done, total);
                    }
                });
            }
            Double after = null;
            if (data != null) {
                try (ShardedCheckpoint written = ShardedCheckpoint.open(c.out)) {
                    Network network = FactoredNetworks.load(written);
                    after = CompressCommand.accuracy(network, data);
                }
            }
            printCompression(c, dense, result, data == null ? null : data.name(), before, after);
        }
        return ExitCodes.OK;
    }

    private static void printCompression(CompressCommand c, boolean dense, CheckpointCompressor.Result result,
                                         String dataset, Double before, Double after) {
        List<CheckpointCompressor.LayerReport> layers = new ArrayList<>(result.layers());
        layers.sort((a, b) -> TensorNames.NATURAL.compare(a.tensor().name(), b.tensor().name()));
        PrintWriter o = c.spec.commandLine().getOut();
        if (c.common.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("input", c.model.toString());
            doc.put("out", c.out.toString());
            doc.put("dense", dense);
            List<Object> rows = new ArrayList<>();
            for (CheckpointCompressor.LayerReport r : layers) {
                rows.add(layerJson(r));
            }
            doc.put("layers", rows);
            doc.put("parameters_before", result.parametersBefore());
            doc.put("parameters_after", result.parametersAfter());
            doc.put("tensor_bytes_before", result.tensorBytesBefore());
            doc.put("tensor_bytes_after", result.tensorBytesAfter());
            doc.put("file_bytes_before", result.fileBytesBefore());
            doc.put("file_bytes_after", result.fileBytesAfter());
            doc.put("files", result.files().stream().map(Object::toString).toList());
            if (dataset != null) {
                doc.put("dataset", dataset);
                doc.put("test_accuracy_before", before);
                doc.put("test_accuracy_after", after);
            }
            o.println(Json.toString(doc, true));
        } else {
            for (CheckpointCompressor.LayerReport r : layers) {
                String shape = Arrays.toString(r.tensor().shape()).replace(" ", "");
                String head = r.tensor().name() + " " + shape + " " + r.tensor().dtype() + ": " + r.action().label();
                if (r.action() == CheckpointCompressor.Action.FACTORED
                        || r.action() == CheckpointCompressor.Action.TRUNCATED) {
                    o.printf(Locale.ROOT, "%s, rank %d of %d (signal %d), %d -> %d parameters, %d -> %d bytes, "
                                    + "energy kept %.4f, relative error %.4f%n", head, r.rank(),
                            Math.min(r.tensor().shape()[0], r.tensor().shape()[1]), r.signal(), r.parametersBefore(),
                            r.parametersAfter(), r.bytesBefore(), r.bytesAfter(), r.energyKept(), r.relativeError());
                } else {
                    o.println(head + " (" + r.reason() + ")");
                }
            }
            o.printf(Locale.ROOT, "parameters %d -> %d (%.1f%%), tensor bytes %d -> %d, file bytes %d -> %d%n",
                    result.parametersBefore(), result.parametersAfter(),
                    100.0 * result.parametersAfter() / Math.max(1, result.parametersBefore()),
                    result.tensorBytesBefore(), result.tensorBytesAfter(), result.fileBytesBefore(),
                    result.fileBytesAfter());
            if (dataset != null) {
                o.printf(Locale.ROOT, "test accuracy on %s: %.2f%% before, %.2f%% after%n", dataset, 100 * before,
                        100 * after);
            }
            o.println("wrote " + c.out);
        }
        o.flush();
    }

    private static Map<String, Object> layerJson(CheckpointCompressor.LayerReport r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", r.tensor().name());
        row.put("dtype", r.tensor().dtype().name());
        row.put("shape", r.tensor().shape());
        row.put("action", r.action().label());
        row.put("reason", r.reason());
        row.put("rank", r.rank());
        row.put("signal", r.signal());
        if (r.fit() != null) {
            row.put("p", r.fit().p());
            row.put("spikes", r.fit().spikes());
            row.put("fit_error", r.fit().fitError());
            row.put("good_fit", r.fit().goodFit());
        }
        row.put("parameters_before", r.parametersBefore());
        row.put("parameters_after", r.parametersAfter());
        row.put("bytes_before", r.bytesBefore());
        row.put("bytes_after", r.bytesAfter());
        row.put("energy_kept", r.energyKept());
        row.put("relative_error", r.relativeError());
        return row;
    }
}
