package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.io.AtomicFiles;
import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.HalfFloats;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.JsonTrees;
import io.nnrmtsvd.io.SafetensorsFile;
import io.nnrmtsvd.io.SafetensorsWriter;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.DoubleBlas;
import io.nnrmtsvd.linalg.GramSvd;
import io.nnrmtsvd.linalg.Svd;
import io.nnrmtsvd.prune.LayerSurgery;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.report.Json;
import io.nnrmtsvd.rmt.BemaFit;
import io.nnrmtsvd.rmt.GramSpectrum;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Compresses a checkpoint one layer at a time. Each selected 2-D tensor {@code NAME.weight}
 * [rows, cols] (for {@code nn.Linear}, [out, in]) gets the rank k of the prune configuration
 * (SPEC §5: the selector's or BEMA's signal count plus the kept share of noise, at least the
 * minimum rank); a layer whose BEMA fit is worse than the cutoff, or that would keep every
 * singular value, stays as it is. Where k (rows + cols) &lt; rows cols, and unless {@code dense},
 * the layer becomes two factors {@code NAME.down.weight} [k, cols] = sqrt(S_k) V_k^T and
 * {@code NAME.up.weight} [rows, k] = U_k sqrt(S_k), with {@code NAME.weight = up @ down}; the
 * bias {@code NAME.bias}, if any, stays under its name and belongs after {@code up} (for
 * {@code nn.Linear}: {@code Linear(cols, k, bias=False)} with {@code down}, then
 * {@code Linear(k, rows)} with {@code up} and the bias). Otherwise it is replaced by its rank-k
 * truncation in place. Every other tensor is copied byte for byte.
 *
 * <p>Factors and truncations keep the layer's dtype (F16 and BF16 rounded to nearest even); the
 * reported error is that of the stored, rounded values. The output is sharded as the input: a
 * file for a file, a directory with the same shard names and a new {@value ShardedCheckpoint#INDEX_FILE}
 * for a directory. Each shard's {@code __metadata__} (and the index's {@code "metadata"}) gains
 * {@value #METADATA_KEY}: JSON naming every factored layer, its rank, shape, factors and bias,
 * and every truncated layer with its rank. Output is written to a temporary file or directory and
 * renamed into place only when complete.
 *
 * <p>Two passes: the spectrum of every layer first (one layer in memory at a time), then the
 * output, where each changed layer is read again and cut by its top-k singular triples from the
 * Gram matrix ({@link GramSvd}).
 */
public final class CheckpointCompressor {
    /** Metadata key of the record of factored and truncated layers. */
    public static final String METADATA_KEY = "rmtsvd_factored";
    /** The format tag inside that record. */
    public static final String FORMAT = "rmtsvd-factored/1";
    /** Suffix of the first factor (applied first to an input). */
    public static final String DOWN = ".down.weight";
    /** Suffix of the second factor. */
    public static final String UP = ".up.weight";
    private static final String WEIGHT = ".weight";
    private static final int ERROR_BLOCK_ROWS = 256;
    /**
     * Factors computed while analysing (from the same Gram reduction) are kept for the writing
     * pass up to this many floats (256 MiB); a layer beyond it is read and reduced again when it
     * is written, so memory follows the largest layer, not the model.
     */
    private static final long HELD_FACTOR_FLOATS = 64L << 20;

    /** What was done to a tensor. */
    public enum Action {
        /** Replaced by two factors. */
        FACTORED,
        /** Replaced in place by a truncation. */
        TRUNCATED,
        /** Analysed and left as it was. */
        UNCHANGED,
        /** Not analysed; copied byte for byte. */
        COPIED;

        /** Lower-case name for reports. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One tensor's outcome.
     *
     * @param fit the BEMA fit; {@code null} when not analysed
     * @param signal signal singular values; 0 when not analysed
     * @param rank singular values kept; p when unchanged, 0 when not analysed
     * @param energyKept share of the squared singular values kept; NaN when not analysed
     * @param relativeError ||W - stored||_F / ||W||_F of the values written; 0 when the tensor was
     *     copied or left unchanged
     */
    public record LayerReport(TensorInfo tensor, Action action, String reason, BemaFit fit, int signal, int rank,
                              long parametersBefore, long parametersAfter, long bytesBefore, long bytesAfter,
                              double energyKept, double relativeError) {
    }

    /**
     * The whole outcome.
     *
     * @param layers one report per tensor of the input, shard by shard in header order
     * @param files the files written (shards, then the index if any)
     */
    public record Result(List<LayerReport> layers, long parametersBefore, long parametersAfter,
                         long tensorBytesBefore, long tensorBytesAfter, long fileBytesBefore, long fileBytesAfter,
                         List<Path> files) {
    }

    /** Progress of the two passes. */
    public interface Listener {
        /** Pass 1 finished tensor {@code done} of {@code total}. */
        void analysed(LayerReport report, int done, int total);

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

    /** A planned change; holds the computed values between writing the two factors. */
    private static final class Plan {
        final TensorInfo tensor;
        final int rank;
        final Action action;
        float[] down;
        float[] up;
        float[] truncated;
        double relativeError;

        Plan(TensorInfo tensor, int rank, Action action) {
            this.tensor = tensor;
            this.rank = rank;
            this.action = action;
        }

        int rows() {
            return (int) tensor.shape()[0];
        }

        int cols() {
            return (int) tensor.shape()[1];
        }

        String base() {
            return tensor.name().substring(0, tensor.name().length() - WEIGHT.length());
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
        boolean toDirectory = Files.isDirectory(in.source());
        checkOutput(in, out, toDirectory);
        Map<String, Object> earlier = earlierRecord(in);
        Set<String> earlierFactors = factorNames(earlier);
        List<TensorInfo> all = in.tensors();
        Map<String, LayerReport> reports = new LinkedHashMap<>();
        Map<String, Plan> plans = new LinkedHashMap<>();
        int done = 0;
        for (TensorInfo t : all) {
            LayerReport r = plan(in, t, earlierFactors, plans);
            reports.put(t.name(), r);
            listener.analysed(r, ++done, all.size());
        }
        Map<String, Object> record = record(earlier, plans.values(), in);
        List<Path> files = write(in, out, toDirectory, plans, record, listener);
        List<LayerReport> finalReports = new ArrayList<>();
        for (LayerReport r : reports.values()) {
            Plan p = plans.get(r.tensor().name());
            finalReports.add(p == null ? r : new LayerReport(r.tensor(), r.action(), r.reason(), r.fit(), r.signal(),
                    r.rank(), r.parametersBefore(), r.parametersAfter(), r.bytesBefore(), r.bytesAfter(),
                    r.energyKept(), p.relativeError));
        }
        long fileBytesAfter = 0;
        try {
            for (Path f : files) {
                fileBytesAfter += Files.size(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long paramsBefore = finalReports.stream().mapToLong(LayerReport::parametersBefore).sum();
        long paramsAfter = finalReports.stream().mapToLong(LayerReport::parametersAfter).sum();
        long bytesBefore = finalReports.stream().mapToLong(LayerReport::bytesBefore).sum();
        long bytesAfter = finalReports.stream().mapToLong(LayerReport::bytesAfter).sum();
        return new Result(finalReports, paramsBefore, paramsAfter, bytesBefore, bytesAfter, in.fileBytes(),
                fileBytesAfter, files);
    }

    private static void checkOutput(ShardedCheckpoint in, Path out, boolean toDirectory) {
        Path absolute = out.toAbsolutePath().normalize();
        if (absolute.equals(in.source().toAbsolutePath().normalize())) {
            throw new InvalidInputException(out + ": the output must not be the input");
        }
        Path parent = absolute.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new InvalidInputException(out + ": directory " + parent + " does not exist");
        }
        if (toDirectory && Files.exists(out)) {
            throw new InvalidInputException(out + ": already exists; the output of a checkpoint directory is a "
                    + "new directory");
        }
        if (!toDirectory && Files.isDirectory(out)) {
            throw new InvalidInputException(out + ": is a directory; the output of a .safetensors file is a file");
        }
    }

    /** Pass 1 for one tensor: the report, and a plan when it will change. */
    private LayerReport plan(ShardedCheckpoint in, TensorInfo t, Set<String> earlierFactors, Map<String, Plan> plans) {
        long count = t.elementCount();
        long bytes = t.byteLength();
        Optional<String> skip = selection.skipReason(t);
        if (skip.isEmpty() && !t.name().endsWith(WEIGHT)) {
            skip = Optional.of("not a NAME.weight tensor");
        }
        if (skip.isEmpty() && earlierFactors.contains(t.name())) {
            skip = Optional.of("factor of an earlier compression");
        }
        if (skip.isEmpty()) {
            String base = t.name().substring(0, t.name().length() - WEIGHT.length());
            for (String factor : List.of(base + DOWN, base + UP)) {
                if (in.contains(factor)) {
                    skip = Optional.of(factor + " exists already");
                }
            }
        }
        if (skip.isPresent()) {
            return new LayerReport(t, Action.COPIED, skip.get(), null, 0, 0, count, count, bytes, bytes, Double.NaN, 0);
        }
        int cols = (int) t.shape()[1];
        float[] values = in.readFloats(t.name());
        Optional<String> nonFinite = CheckpointSpectrum.nonFinite(values, cols);
        if (nonFinite.isPresent()) {
            return new LayerReport(t, Action.COPIED, nonFinite.get(), null, 0, 0, count, count, bytes, bytes,
                    Double.NaN, 0);
        }
        // One Gram reduction serves the spectrum and, while they fit in memory, the factors.
        try (GramSvd gram = GramSvd.of(values, (int) t.shape()[0], cols)) {
            return plan(t, values, gram, plans);
        }
    }

    /** Pass 1 for a finite 2-D tensor: the spectrum, the rank, the action, and the factors if they are held. */
    private LayerReport plan(TensorInfo t, float[] values, GramSvd gram, Map<String, Plan> plans) {
        long count = t.elementCount();
        long bytes = t.byteLength();
        int rows = (int) t.shape()[0];
        int cols = (int) t.shape()[1];
        int p = Math.min(rows, cols);
        SpectrumAnalysis analysis;
        try {
            analysis = SpectrumAnalysis.of(GramSpectrum.ofGramEigenvalues(gram.eigenvalues(), rows, cols,
                    config.bema().scaling()), config.bema());
        } catch (IllegalArgumentException | ArithmeticException e) {
            return new LayerReport(t, Action.COPIED, "cannot analyse: " + e.getMessage(), null, 0, 0, count, count,
                    bytes, bytes, Double.NaN, 0);
        }
        BemaFit fit = analysis.fit();
        double[] s = analysis.singularValues();
        if (!fit.goodFit()) {
            return new LayerReport(t, Action.UNCHANGED, String.format(Locale.ROOT,
                    "bad fit (error %.4f >= cutoff %s)", fit.fitError(), fit.cutoff()), fit, fit.spikes(), p,
                    count, count, bytes, bytes, 1, 0);
        }
        int signal = config.signal(fit, s, rows, cols);
        int k = config.rank(p, signal, config.keepAt(0, 1));
        if (k == p) {
            return new LayerReport(t, Action.UNCHANGED, "keeps all " + p + " singular values", fit, signal, p,
                    count, count, bytes, bytes, 1, 0);
        }
        Action action = !dense && k > 0 && LayerSurgery.splitSaves(rows, cols, k) ? Action.FACTORED : Action.TRUNCATED;
        Plan plan = new Plan(t, k, action);
        if (action == Action.FACTORED && heldFactorFloats(plans) + (long) k * (rows + cols) <= HELD_FACTOR_FLOATS) {
            fill(plan, values, gram.top(k)); // from this reduction: the writing pass need not redo it
        }
        plans.put(t.name(), plan);
        long after = action == Action.FACTORED ? (long) k * (rows + cols) : count;
        return new LayerReport(t, action, "", fit, signal, k, count, after, bytes, after * t.dtype().byteSize(),
                energyKept(s, k), Double.NaN);
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

    /**
     * The rank each tensor of a compressed checkpoint was cut to, from its {@value #METADATA_KEY}
     * record: both factors of a factored layer and every truncated layer; empty for other
     * checkpoints.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Integer> recordedRanks(ShardedCheckpoint in) {
        Map<String, Object> record = earlierRecord(in);
        Map<String, Integer> ranks = new LinkedHashMap<>();
        if (record.get("factored") instanceof Map<?, ?> factored) {
            for (Object value : factored.values()) {
                if (value instanceof Map<?, ?> m && ((Map<String, Object>) m).get("rank") instanceof Number k) {
                    ranks.put(String.valueOf(m.get("down")), k.intValue());
                    ranks.put(String.valueOf(m.get("up")), k.intValue());
                }
            }
        }
        if (record.get("truncated") instanceof Map<?, ?> truncated) {
            for (Map.Entry<?, ?> e : truncated.entrySet()) {
                if (e.getValue() instanceof Number k) {
                    ranks.put(String.valueOf(e.getKey()), k.intValue());
                }
            }
        }
        return ranks;
    }

    /** The record of an earlier compression found in the input's metadata, or an empty one. */
    static Map<String, Object> earlierRecord(ShardedCheckpoint in) {
        for (SafetensorsFile st : in.shards()) {
            String text = st.metadata().get(METADATA_KEY);
            if (text != null) {
                return JsonTrees.parseObject(text, st.path() + ": metadata " + METADATA_KEY);
            }
        }
        return new LinkedHashMap<>();
    }

    @SuppressWarnings("unchecked")
    private static Set<String> factorNames(Map<String, Object> record) {
        Set<String> names = new HashSet<>();
        if (record.get("factored") instanceof Map<?, ?> factored) {
            for (Object entry : factored.values()) {
                if (entry instanceof Map<?, ?> m) {
                    names.add(String.valueOf(((Map<String, Object>) m).get("down")));
                    names.add(String.valueOf(((Map<String, Object>) m).get("up")));
                }
            }
        }
        return names;
    }

    /** The metadata record: earlier entries plus this compression's. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> record(Map<String, Object> earlier, Iterable<Plan> plans, ShardedCheckpoint in) {
        Map<String, Object> factored = new TreeMap<>();
        Map<String, Object> truncated = new TreeMap<>();
        if (earlier.get("factored") instanceof Map<?, ?> m) {
            factored.putAll((Map<String, Object>) m);
        }
        if (earlier.get("truncated") instanceof Map<?, ?> m) {
            truncated.putAll((Map<String, Object>) m);
        }
        for (Plan p : plans) {
            if (p.action == Action.FACTORED) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("rank", p.rank);
                entry.put("shape", p.tensor.shape());
                entry.put("down", p.base() + DOWN);
                entry.put("up", p.base() + UP);
                entry.put("bias", in.contains(p.base() + ".bias") ? p.base() + ".bias" : null);
                factored.put(p.tensor.name(), entry);
            } else {
                truncated.put(p.tensor.name(), p.rank);
            }
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("format", FORMAT);
        record.put("rebuild", "NAME.weight = NAME.up.weight @ NAME.down.weight; as layers: x -> down x -> up (.) "
                + "+ NAME.bias; truncated layers keep their name and shape");
        record.put("factored", factored);
        record.put("truncated", truncated);
        return record;
    }

    /** Pass 2: writes every shard and the index, atomically as a whole. */
    private List<Path> write(ShardedCheckpoint in, Path out, boolean toDirectory, Map<String, Plan> plans,
                             Map<String, Object> record, Listener listener) {
        String recordJson = Json.toString(record, false);
        int total = in.tensors().size();
        int[] written = {0};
        try {
            if (!toDirectory) {
                SafetensorsFile st = in.shards().get(0);
                SafetensorsWriter.write(out, metadata(st, recordJson), tensors(in, st, plans, listener, written, total));
                return List.of(out);
            }
            Path absolute = out.toAbsolutePath();
            Path temp = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + ".");
            if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            try {
                List<String> names = new ArrayList<>();
                Map<String, String> weightMap = new TreeMap<>();
                long tensorBytes = 0;
                for (SafetensorsFile st : in.shards()) {
                    String shardName = st.path().getFileName().toString();
                    List<SafetensorsWriter.Tensor> tensors = tensors(in, st, plans, listener, written, total);
                    SafetensorsWriter.write(temp.resolve(shardName), metadata(st, recordJson), tensors);
                    names.add(shardName);
                    for (SafetensorsWriter.Tensor t : tensors) {
                        weightMap.put(t.name(), shardName);
                        tensorBytes += t.byteLength();
                    }
                }
                if (in.sharded()) {
                    Map<String, Object> meta = new LinkedHashMap<>(in.indexMetadata());
                    meta.put("total_size", tensorBytes);
                    meta.put(METADATA_KEY, record);
                    Map<String, Object> index = new LinkedHashMap<>();
                    index.put("metadata", meta);
                    index.put("weight_map", weightMap);
                    String json = Json.toString(index, true) + "\n";
                    AtomicFiles.write(temp.resolve(ShardedCheckpoint.INDEX_FILE),
                            o -> o.write(json.getBytes(StandardCharsets.UTF_8)));
                    names.add(ShardedCheckpoint.INDEX_FILE);
                }
                AtomicFiles.moveAtomically(temp, absolute);
                return names.stream().map(absolute::resolve).toList();
            } finally {
                deleteTree(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> metadata(SafetensorsFile st, String recordJson) {
        Map<String, String> meta = new LinkedHashMap<>(st.metadata());
        meta.put(METADATA_KEY, recordJson);
        return meta;
    }

    /** The output tensors of one shard, in the order of the input's data. */
    private List<SafetensorsWriter.Tensor> tensors(ShardedCheckpoint in, SafetensorsFile st, Map<String, Plan> plans,
                                                   Listener listener, int[] written, int total) {
        List<TensorInfo> byOffset = new ArrayList<>(st.tensors());
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin));
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (TensorInfo t : byOffset) {
            Plan p = plans.get(t.name());
            if (p == null) {
                SafetensorsWriter.Tensor copy = SafetensorsWriter.Tensor.copyOf(st, t.name());
                tensors.add(new SafetensorsWriter.Tensor(t.name(), t.dtype(), t.shape(), o -> {
                    copy.bytes().writeTo(o);
                    listener.written(t.name(), ++written[0], total);
                }));
            } else if (p.action == Action.FACTORED) {
                tensors.add(new SafetensorsWriter.Tensor(p.base() + DOWN, t.dtype(), new long[] {p.rank, p.cols()},
                        o -> {
                            compute(in, p);
                            SafetensorsWriter.Tensor.ofFloats("down", t.dtype(), new long[] {p.rank, p.cols()}, p.down)
                                    .bytes().writeTo(o);
                            p.down = null;
                        }));
                tensors.add(new SafetensorsWriter.Tensor(p.base() + UP, t.dtype(), new long[] {p.rows(), p.rank},
                        o -> {
                            compute(in, p);
                            SafetensorsWriter.Tensor.ofFloats("up", t.dtype(), new long[] {p.rows(), p.rank}, p.up)
                                    .bytes().writeTo(o);
                            p.up = null;
                            listener.written(t.name(), ++written[0], total);
                        }));
            } else {
                tensors.add(new SafetensorsWriter.Tensor(t.name(), t.dtype(), t.shape(), o -> {
                    compute(in, p);
                    SafetensorsWriter.Tensor.ofFloats(t.name(), t.dtype(), t.shape(), p.truncated).bytes().writeTo(o);
                    p.truncated = null;
                    listener.written(t.name(), ++written[0], total);
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

    /** Floats of the factors that pass 1 computed and pass 2 has not written yet. */
    private static long heldFactorFloats(Map<String, Plan> plans) {
        long floats = 0;
        for (Plan p : plans.values()) {
            floats += (p.down == null ? 0 : p.down.length) + (p.up == null ? 0 : p.up.length);
        }
        return floats;
    }

    /** Sets the stored values of a planned layer from its top singular triples, and their error. */
    private static void fill(Plan p, float[] w, Svd top) {
        Dtype dtype = p.tensor.dtype();
        if (p.action == Action.FACTORED) {
            LayerSurgery.Factors f = LayerSurgery.factors(top, LayerSurgery.firstIndices(p.rank));
            p.down = roundTo(dtype, f.down());
            p.up = roundTo(dtype, f.up());
            p.relativeError = relativeError(w, p.rows(), p.cols(), p.up, p.down, p.rank);
        } else {
            p.truncated = roundTo(dtype, LayerSurgery.rebuiltWeights(top, top.s()));
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < w.length; i++) {
                double d = (double) w[i] - p.truncated[i];
                diff += d * d;
                norm += (double) w[i] * w[i];
            }
            p.relativeError = norm == 0 ? 0 : Math.sqrt(diff / norm);
        }
    }

    /** The values as the dtype stores them (F16 and BF16 rounded to nearest even); modifies and returns them. */
    private static float[] roundTo(Dtype dtype, float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (dtype) {
                case F16 -> HalfFloats.f16ToFloat(HalfFloats.floatToF16(values[i]));
                case BF16 -> HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(values[i]));
                default -> values[i];
            };
        }
        return values;
    }

    /** ||W - up down||_F / ||W||_F in double, block of rows by block of rows. */
    private static double relativeError(float[] w, int rows, int cols, float[] up, float[] down, int k) {
        DMatrix d = DMatrix.copyOf(k, cols, down);
        double diff = 0;
        double norm = 0;
        for (int from = 0; from < rows; from += ERROR_BLOCK_ROWS) {
            int height = Math.min(ERROR_BLOCK_ROWS, rows - from);
            DMatrix u = DMatrix.copyOf(height, k, Arrays.copyOfRange(up, from * k, (from + height) * k));
            double[] product = DoubleBlas.multiply(u, false, d, false, 1.0).data();
            for (int i = 0; i < product.length; i++) {
                double x = w[from * cols + i];
                diff += (x - product[i]) * (x - product[i]);
                norm += x * x;
            }
        }
        return norm == 0 ? 0 : Math.sqrt(diff / norm);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
