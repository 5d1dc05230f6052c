package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.OutputFiles;
import io.nnrmtsvd.io.Printable;
import io.nnrmtsvd.io.SafetensorsFile;
import io.nnrmtsvd.io.SafetensorsWriter;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.io.ShardedWriter;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.io.TensorNames;
import io.nnrmtsvd.linalg.GramSvd;
import io.nnrmtsvd.linalg.Reconstruction;
import io.nnrmtsvd.linalg.Svd;
import io.nnrmtsvd.prune.LayerSurgery;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.prune.RankDecision;
import io.nnrmtsvd.rmt.BemaFit;
import io.nnrmtsvd.rmt.GramSpectrum;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compresses a checkpoint one layer at a time. Each selected 2-D tensor {@code NAME.weight}
 * [rows, cols] (for {@code nn.Linear}, [out, in]), or convolution [out, in, kh, kw] as the matrix
 * [out, in kh kw], is analysed and handled as the one rank decision
 * of pruning says ({@link RankDecision}; the configuration's algorithm is not used): left
 * unchanged, factored (unless {@code dense}) or truncated in place. The factors are
 * {@code NAME.down.weight} [k, cols] = sqrt(S_k) V_k^T and {@code NAME.up.weight} [rows, k] =
 * U_k sqrt(S_k), with {@code NAME.weight = up @ down} (a convolution's as {@link FactoredFormat}
 * shapes them); the bias {@code NAME.bias}, if any, stays
 * under its name and belongs after {@code up}. Every other tensor is copied byte for byte.
 *
 * <p>Factors and truncations keep the layer's dtype ({@link io.nnrmtsvd.io.Dtype#round}); the
 * reported error is that of the stored, rounded values. The output is sharded as the input: a
 * file for a file, a new directory with the same shard names (and an index when the input has
 * one) for a directory, written atomically ({@link ShardedWriter}). Every shard's metadata, and
 * the index's, gains the {@link FactoredFormat} record.
 *
 * <p>Two passes: the spectrum of every layer first (one layer in memory at a time), then the
 * output. Each changed layer's top-k singular triples come from its Gram matrix ({@link GramSvd});
 * factors computed in the first pass are kept for the second within {@link HeldFactors}.
 */
public final class CheckpointCompressor {
    /**
     * The whole outcome.
     *
     * @param tensors one outcome per tensor of the input, shard by shard in header order
     * @param files the files written (shards, then the index if any)
     */
    public record Result(List<CompressedTensor> tensors, long parametersBefore, long parametersAfter,
                         long tensorBytesBefore, long tensorBytesAfter, long fileBytesBefore, long fileBytesAfter,
                         List<Path> files) {
        /** The tensors in natural name order ({@link TensorNames#NATURAL}), as people read them. */
        public List<CompressedTensor> byName() {
            return tensors.stream().sorted((a, b) -> TensorNames.NATURAL.compare(a.tensor().name(),
                    b.tensor().name())).toList();
        }
    }

    /** Progress of the two passes. */
    public interface Listener {
        /** Pass 1 finished tensor {@code done} of {@code total}. */
        void analysed(CompressedTensor tensor, int done, int total);

        /** Pass 2 wrote tensor {@code done} of {@code total}. */
        void written(String name, int done, int total);
    }

    private final PruneConfig config;
    private final boolean dense;
    private final TensorSelection selection;

    /**
     * @param config rank rule, BEMA settings and minimum rank (its algorithm is not used)
     * @param dense truncate every layer in place instead of factoring
     */
    public CheckpointCompressor(PruneConfig config, boolean dense, TensorSelection selection) {
        this.config = config;
        this.dense = dense;
        this.selection = selection;
    }

    /** A planned change; holds the computed values between the two passes. */
    private static final class Plan {
        final TensorInfo tensor;
        final int rank;
        final CompressedTensor.Action action;
        float[] down;
        float[] up;
        float[] truncated;
        double relativeError;

        Plan(TensorInfo tensor, int rank, CompressedTensor.Action action) {
            this.tensor = tensor;
            this.rank = rank;
            this.action = action;
        }

        int rows() {
            return (int) TensorSelection.matrixShape(tensor)[0];
        }

        int cols() {
            return (int) TensorSelection.matrixShape(tensor)[1];
        }

        long factorFloats() {
            return (long) rank * (rows() + cols());
        }

        /** The largest magnitude of the computed values (infinite or NaN if any is). */
        double largestMagnitude() {
            double largest = 0;
            for (float[] values : new float[][] {down, up, truncated}) {
                if (values != null) {
                    for (float v : values) {
                        if (!Float.isFinite(v)) {
                            return Math.abs(v);
                        }
                        largest = Math.max(largest, Math.abs(v));
                    }
                }
            }
            return largest;
        }
    }

    /**
     * Compresses {@code in} into {@code out}: a file when {@code in} was opened from a file, else a
     * directory, which must not exist yet.
     *
     * @throws InvalidInputException if {@code out} is not acceptable or reading fails
     * @throws UncheckedIOException if writing fails; nothing is left at {@code out}
     */
    public Result compress(ShardedCheckpoint in, Path out, Listener listener) {
        in.safetensorsShards(); // refuses other formats before any work
        boolean toDirectory = Files.isDirectory(in.source());
        checkOutput(in, out, toDirectory);
        FactoredFormat earlier = FactoredFormat.of(in);
        Set<String> earlierFactors = earlier.factorNames();
        HeldFactors held = new HeldFactors(HeldFactors.DEFAULT_FLOATS);
        List<TensorInfo> all = in.tensors();
        List<CompressedTensor> outcomes = new ArrayList<>();
        Map<String, Plan> plans = new LinkedHashMap<>();
        for (TensorInfo t : all) {
            CompressedTensor outcome = plan(in, t, earlierFactors, plans, held);
            outcomes.add(outcome);
            listener.analysed(outcome, outcomes.size(), all.size());
        }
        FactoredFormat record = record(earlier, plans.values(), in);
        List<Path> files = write(in, out, toDirectory, plans, record, listener);
        List<CompressedTensor> tensors = new ArrayList<>();
        for (CompressedTensor c : outcomes) {
            Plan p = plans.get(c.tensor().name());
            tensors.add(p == null ? c : c.withRelativeError(p.relativeError));
        }
        long fileBytesAfter = 0;
        try {
            for (Path f : files) {
                fileBytesAfter += Files.size(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(tensors, tensors.stream().mapToLong(CompressedTensor::parametersBefore).sum(),
                tensors.stream().mapToLong(CompressedTensor::parametersAfter).sum(),
                tensors.stream().mapToLong(CompressedTensor::bytesBefore).sum(),
                tensors.stream().mapToLong(CompressedTensor::bytesAfter).sum(), in.fileBytes(), fileBytesAfter,
                files);
    }

    private static void checkOutput(ShardedCheckpoint in, Path out, boolean toDirectory) {
        List<Path> inputs = new ArrayList<>(List.of(in.source()));
        in.shards().forEach(st -> inputs.add(st.path()));
        if (toDirectory) {
            OutputFiles.checkNewDirectory(out, inputs);
        } else {
            OutputFiles.checkWritable(out, inputs);
        }
    }

    /** Pass 1 for one tensor: its outcome, and a plan when it will change. */
    private CompressedTensor plan(ShardedCheckpoint in, TensorInfo t, Set<String> earlierFactors,
                                  Map<String, Plan> plans, HeldFactors held) {
        Optional<String> skip = selection.skipReason(t);
        if (skip.isEmpty() && !t.name().endsWith(FactoredFormat.WEIGHT)) {
            skip = Optional.of("not a NAME" + FactoredFormat.WEIGHT + " tensor");
        }
        if (skip.isEmpty() && earlierFactors.contains(t.name())) {
            skip = Optional.of("factor of an earlier compression");
        }
        if (skip.isEmpty()) {
            for (String factor : FactoredFormat.factorNamesOf(t.name())) {
                if (in.contains(factor)) {
                    skip = Optional.of(Printable.name(factor) + " exists already");
                }
            }
        }
        if (skip.isPresent()) {
            return CompressedTensor.copied(t, skip.get());
        }
        long[] matrix = TensorSelection.matrixShape(t);
        int cols = (int) matrix[1];
        float[] values = in.readFloats(t.name());
        Optional<String> nonFinite = CheckpointSpectrum.nonFinite(values, cols);
        if (nonFinite.isPresent()) {
            return CompressedTensor.copied(t, nonFinite.get());
        }
        // One Gram reduction serves the spectrum and, while they fit in memory, the factors.
        try (GramSvd gram = GramSvd.of(values, (int) matrix[0], cols)) {
            return plan(t, values, gram, plans, held);
        }
    }

    /** Pass 1 for a finite tensor: the spectrum, the decision, and the factors if they are held. */
    private CompressedTensor plan(TensorInfo t, float[] values, GramSvd gram, Map<String, Plan> plans,
                                  HeldFactors held) {
        long count = t.elementCount();
        long bytes = t.byteLength();
        long[] matrix = TensorSelection.matrixShape(t);
        int rows = (int) matrix[0];
        int cols = (int) matrix[1];
        SpectrumAnalysis analysis;
        try {
            analysis = SpectrumAnalysis.of(GramSpectrum.ofGramEigenvalues(gram.eigenvalues(), rows, cols,
                    config.bema().scaling()), config.bema());
        } catch (IllegalArgumentException | ArithmeticException e) {
            return CompressedTensor.copied(t, "cannot analyse: " + e.getMessage());
        }
        BemaFit fit = analysis.fit();
        double[] s = analysis.singularValues();
        RankDecision decision = RankDecision.of(config, fit, s, rows, cols, config.keepAt(0, 1), !dense);
        if (decision.action() == RankDecision.Action.UNCHANGED) {
            int signal = fit.goodFit() ? decision.signal() : fit.spikes();
            return new CompressedTensor(t, CompressedTensor.Action.UNCHANGED, decision.reason(), fit, signal,
                    decision.rank(), count, count, bytes, bytes, 1, 0);
        }
        int k = decision.rank();
        CompressedTensor.Action action = decision.action() == RankDecision.Action.SPLIT
                ? CompressedTensor.Action.FACTORED : CompressedTensor.Action.TRUNCATED;
        Plan plan = new Plan(t, k, action);
        // Entries of the factors are at most sqrt(s_1), of the truncation at most s_1: past the
        // dtype's range they may round to infinity, so compute them now to know.
        double bound = action == CompressedTensor.Action.FACTORED ? Math.sqrt(s[0]) : s[0];
        if (bound >= t.dtype().largestFinite()
                || action == CompressedTensor.Action.FACTORED && held.reserve(plan.factorFloats())) {
            fill(plan, values, gram.top(k)); // from this reduction: the writing pass need not redo it
            double largest = plan.largestMagnitude();
            if (!(largest <= t.dtype().largestFinite())) {
                return new CompressedTensor(t, CompressedTensor.Action.UNCHANGED, String.format(Locale.ROOT,
                        "its rank-%d %s would overflow %s (largest value %.4g > %.6g)", k,
                        action == CompressedTensor.Action.FACTORED ? "factors" : "truncation", t.dtype(), largest,
                        t.dtype().largestFinite()), fit, decision.signal(), Math.min(rows, cols), count, count,
                        bytes, bytes, 1, 0);
            }
        }
        plans.put(t.name(), plan);
        long after = action == CompressedTensor.Action.FACTORED ? plan.factorFloats() : count;
        return new CompressedTensor(t, action, "", fit, decision.signal(), k, count, after, bytes,
                after * t.dtype().byteSize(), energyKept(s, k), Double.NaN);
    }

    private static double energyKept(double[] s, int k) {
        double kept = 0;
        double total = 0;
        for (int i = 0; i < s.length; i++) {
            total += s[i] * s[i];
            kept += i < k ? s[i] * s[i] : 0;
        }
        return total == 0 ? 1 : kept / total;
    }

    /** The earlier record plus this compression's entries. */
    private static FactoredFormat record(FactoredFormat earlier, Iterable<Plan> plans, ShardedCheckpoint in) {
        Map<String, FactoredFormat.Factored> factored = new LinkedHashMap<>();
        Map<String, Integer> truncated = new LinkedHashMap<>();
        for (Plan p : plans) {
            String name = p.tensor.name();
            if (p.action == CompressedTensor.Action.FACTORED) {
                List<String> factors = FactoredFormat.factorNamesOf(name);
                String bias = name.substring(0, name.length() - FactoredFormat.WEIGHT.length()) + ".bias";
                factored.put(name, new FactoredFormat.Factored(p.rank, p.tensor.shape(), factors.get(0),
                        factors.get(1), in.contains(bias) ? bias : null));
            } else {
                truncated.put(name, p.rank);
            }
        }
        return earlier.with(factored, truncated);
    }

    /** Pass 2: writes every shard and the index, atomically as a whole. */
    private static List<Path> write(ShardedCheckpoint in, Path out, boolean toDirectory, Map<String, Plan> plans,
                                    FactoredFormat record, Listener listener) {
        String recordJson = Json.toString(record.toJson(), false);
        Progress progress = new Progress(listener, in.tensors().size());
        try {
            if (!toDirectory) {
                SafetensorsFile st = in.safetensorsShards().get(0);
                SafetensorsWriter.write(out, metadata(st, recordJson), tensors(in, st, plans, progress));
                return List.of(out);
            }
            List<ShardedWriter.Shard> shards = new ArrayList<>();
            for (SafetensorsFile st : in.safetensorsShards()) {
                shards.add(new ShardedWriter.Shard(st.path().getFileName().toString(), metadata(st, recordJson),
                        tensors(in, st, plans, progress)));
            }
            Map<String, Object> index = null;
            if (in.sharded()) {
                index = new LinkedHashMap<>(in.indexMetadata());
                index.put(FactoredFormat.METADATA_KEY, record.toJson());
            }
            return ShardedWriter.writeDirectory(out, shards, index);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** Counts written tensors for the listener. */
    private static final class Progress {
        private final Listener listener;
        private final int total;
        private int written;

        Progress(Listener listener, int total) {
            this.listener = listener;
            this.total = total;
        }

        void written(String name) {
            listener.written(name, ++written, total);
        }
    }

    private static Map<String, String> metadata(SafetensorsFile st, String recordJson) {
        Map<String, String> meta = new LinkedHashMap<>(st.metadata());
        meta.put(FactoredFormat.METADATA_KEY, recordJson);
        return meta;
    }

    /** The output tensors of one shard, in the order of the input's data; their values are computed as written. */
    private static List<SafetensorsWriter.Tensor> tensors(ShardedCheckpoint in, SafetensorsFile st,
                                                          Map<String, Plan> plans, Progress progress) {
        List<TensorInfo> byOffset = new ArrayList<>(st.tensors());
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin));
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (TensorInfo t : byOffset) {
            Plan p = plans.get(t.name());
            if (p == null) {
                SafetensorsWriter.Tensor copy = SafetensorsWriter.Tensor.copyOf(st, t.name());
                tensors.add(new SafetensorsWriter.Tensor(t.name(), t.dtype(), t.shape(), o -> {
                    copy.bytes().writeTo(o);
                    progress.written(t.name());
                }));
            } else if (p.action == CompressedTensor.Action.FACTORED) {
                List<String> names = FactoredFormat.factorNamesOf(t.name());
                long[] downShape = FactoredFormat.downShape(t.shape(), p.rank);
                long[] upShape = FactoredFormat.upShape(t.shape(), p.rank);
                tensors.add(new SafetensorsWriter.Tensor(names.get(0), t.dtype(), downShape, o -> {
                    compute(in, p);
                    SafetensorsWriter.Tensor.ofFloats(names.get(0), t.dtype(), downShape, p.down).bytes().writeTo(o);
                    p.down = null;
                }));
                tensors.add(new SafetensorsWriter.Tensor(names.get(1), t.dtype(), upShape, o -> {
                    compute(in, p);
                    SafetensorsWriter.Tensor.ofFloats(names.get(1), t.dtype(), upShape, p.up).bytes().writeTo(o);
                    p.up = null;
                    progress.written(t.name());
                }));
            } else {
                tensors.add(new SafetensorsWriter.Tensor(t.name(), t.dtype(), t.shape(), o -> {
                    compute(in, p);
                    SafetensorsWriter.Tensor.ofFloats(t.name(), t.dtype(), t.shape(), p.truncated).bytes().writeTo(o);
                    p.truncated = null;
                    progress.written(t.name());
                }));
            }
        }
        return tensors;
    }

    /** Computes the stored values of a planned layer once, and their error. */
    private static void compute(ShardedCheckpoint in, Plan p) {
        if (p.down != null || p.up != null || p.truncated != null) {
            return;
        }
        float[] w = in.readFloats(p.tensor.name());
        fill(p, w, GramSvd.top(w, p.rows(), p.cols(), p.rank));
    }

    /** Sets the stored values of a planned layer from its top singular triples, and their error. */
    private static void fill(Plan p, float[] w, Svd top) {
        if (p.action == CompressedTensor.Action.FACTORED) {
            LayerSurgery.Factors f = LayerSurgery.factors(top, LayerSurgery.firstIndices(p.rank));
            p.down = p.tensor.dtype().round(f.down());
            p.up = p.tensor.dtype().round(f.up());
            p.relativeError = Reconstruction.relativeError(w, p.rows(), p.cols(), p.up, p.down, p.rank);
        } else {
            p.truncated = p.tensor.dtype().round(LayerSurgery.rebuiltWeights(top, top.s()));
            p.relativeError = Reconstruction.relativeError(w, p.truncated);
        }
    }
}
