package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.io.Printable;
import io.nnrmtsvd.io.ShardedCheckpoint;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The record a compressed checkpoint keeps of what {@link CheckpointCompressor} did, under the
 * metadata key {@value #METADATA_KEY} of every shard (and of the index): which {@code NAME.weight}
 * layers became two factors {@code NAME.down.weight} [k, cols] and {@code NAME.up.weight}
 * [rows, k], with their rank, shape and bias, and which were truncated in place to which rank. A
 * loader rebuilds {@code NAME.weight = NAME.up.weight @ NAME.down.weight}. A convolution's
 * weights [out, in, kh, kw] become a [k, in, kh, kw] convolution followed by a [out, k, 1, 1]
 * one: the same product once each factor is read as the matrix of its first dimension's rows
 * ({@link #downShape}, {@link #upShape}). Compressing a compressed checkpoint again keeps the
 * earlier entries.
 *
 * <p>As JSON: {@code {"format": "rmtsvd-factored/1", "rebuild": text, "factored": {NAME.weight:
 * {"rank", "shape", "down", "up", "bias"}}, "truncated": {NAME.weight: rank}}}.
 *
 * @param factored factored layers by the original weight's name (sorted, unmodifiable)
 * @param truncated truncated layers' ranks by name (sorted, unmodifiable)
 */
public record FactoredFormat(Map<String, Factored> factored, Map<String, Integer> truncated) {
    /** Metadata key of the record. */
    public static final String METADATA_KEY = "rmtsvd_factored";
    /** The format tag inside the record. */
    public static final String FORMAT = "rmtsvd-factored/1";
    /** Suffix of the first factor (applied first to an input). */
    public static final String DOWN = ".down.weight";
    /** Suffix of the second factor. */
    public static final String UP = ".up.weight";
    /** Suffix of the weights that are compressed. */
    public static final String WEIGHT = ".weight";
    private static final String REBUILD = "NAME.weight = NAME.up.weight @ NAME.down.weight, each read as a matrix "
            + "of its first dimension's rows, reshaped to 'shape'; as layers: x -> down x -> up (.) + NAME.bias, "
            + "for a convolution down a [k, in, kh, kw] convolution with the original's stride, padding and "
            + "dilation, up a 1x1 one; truncated layers keep their name and shape";

    /**
     * One factored layer.
     *
     * @param rank k
     * @param shape the original [rows, cols], or a convolution's [out, in, kh, kw]
     * @param down name of the first factor, of {@link #downShape}
     * @param up name of the second factor, of {@link #upShape}
     * @param bias name of the bias, or null for none
     */
    public record Factored(int rank, long[] shape, String down, String up, String bias) {
        public Factored {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Factored f && f.rank == rank && Arrays.equals(f.shape, shape) && f.down.equals(down)
                    && f.up.equals(up) && java.util.Objects.equals(f.bias, bias);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(rank, Arrays.hashCode(shape), down, up, bias);
        }
    }

    public FactoredFormat {
        factored = Collections.unmodifiableMap(new TreeMap<>(factored));
        truncated = Collections.unmodifiableMap(new TreeMap<>(truncated));
    }

    /** A record of nothing. */
    public static FactoredFormat empty() {
        return new FactoredFormat(Map.of(), Map.of());
    }

    /** The factor names of layer {@code weightName} ({@code NAME.weight}): down, then up. */
    public static List<String> factorNamesOf(String weightName) {
        String base = weightName.substring(0, weightName.length() - WEIGHT.length());
        return List.of(base + DOWN, base + UP);
    }

    /** The first factor's shape at rank k: [k, cols] of a matrix, [k, in, kh, kw] of a convolution. */
    public static long[] downShape(long[] shape, int k) {
        long[] down = shape.clone();
        down[0] = k;
        return down;
    }

    /** The second factor's shape at rank k: [rows, k] of a matrix, [out, k, 1, 1] of a convolution. */
    public static long[] upShape(long[] shape, int k) {
        return shape.length == 4 ? new long[] {shape[0], k, 1, 1} : new long[] {shape[0], k};
    }

    /**
     * The record in the checkpoint's metadata (the first shard that has one), or an empty record.
     *
     * @throws InvalidInputException if the record is malformed
     */
    public static FactoredFormat of(ShardedCheckpoint checkpoint) {
        Optional<String> text = checkpoint.metadata(METADATA_KEY);
        if (text.isEmpty()) {
            return empty();
        }
        String where = checkpoint.source() + ": metadata " + METADATA_KEY;
        try {
            return fromJson(Json.parseObject(text.get(), where));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(where + ": " + e.getMessage(), e);
        }
    }

    private static FactoredFormat fromJson(Map<String, Object> json) {
        if (!FORMAT.equals(json.get("format"))) {
            throw new IllegalArgumentException("format is " + json.get("format") + ", expected " + FORMAT);
        }
        Map<String, Factored> factored = new LinkedHashMap<>();
        Map<String, Object> f = JsonFields.object(json.getOrDefault("factored", Map.of()), "'factored'");
        for (Map.Entry<String, Object> e : f.entrySet()) {
            Map<String, Object> entry = JsonFields.object(e.getValue(), "'factored' entry");
            double[] shape = JsonFields.numbers(entry, "shape");
            if (shape.length != 2 && shape.length != 4) {
                throw new IllegalArgumentException("'shape' of " + Printable.name(e.getKey())
                        + " must have two or four dimensions");
            }
            long[] dims = new long[shape.length];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = (long) shape[i];
            }
            Object bias = entry.get("bias");
            if (bias != null && !(bias instanceof String)) {
                throw new IllegalArgumentException("'bias' of " + Printable.name(e.getKey()) + " must be a name or null");
            }
            factored.put(e.getKey(), new Factored(Math.toIntExact(JsonFields.integer(entry, "rank")),
                    dims, JsonFields.text(entry, "down"),
                    JsonFields.text(entry, "up"), (String) bias));
        }
        Map<String, Integer> truncated = new LinkedHashMap<>();
        Map<String, Object> t = JsonFields.object(json.getOrDefault("truncated", Map.of()), "'truncated'");
        for (String name : t.keySet()) {
            truncated.put(name, Math.toIntExact(JsonFields.integer(t, name)));
        }
        return new FactoredFormat(factored, truncated);
    }

    /** This record with more entries (replacing those of the same names). */
    public FactoredFormat with(Map<String, Factored> moreFactored, Map<String, Integer> moreTruncated) {
        Map<String, Factored> f = new LinkedHashMap<>(factored);
        f.putAll(moreFactored);
        Map<String, Integer> t = new LinkedHashMap<>(truncated);
        t.putAll(moreTruncated);
        return new FactoredFormat(f, t);
    }

    /** The record as JSON (see the class comment). */
    public Map<String, Object> toJson() {
        Map<String, Object> f = new LinkedHashMap<>();
        factored.forEach((name, e) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("rank", e.rank());
            entry.put("shape", e.shape());
            entry.put("down", e.down());
            entry.put("up", e.up());
            entry.put("bias", e.bias());
            f.put(name, entry);
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("rebuild", REBUILD);
        json.put("factored", f);
        json.put("truncated", new LinkedHashMap<>(truncated));
        return json;
    }

    /** The rank each tensor was cut to: both factors of a factored layer, and every truncated layer. */
    public Map<String, Integer> ranksByTensor() {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        factored.values().forEach(e -> {
            ranks.put(e.down(), e.rank());
            ranks.put(e.up(), e.rank());
        });
        ranks.putAll(truncated);
        return ranks;
    }

    /** The names of every factor tensor. */
    public Set<String> factorNames() {
        Set<String> names = new HashSet<>();
        factored.values().forEach(e -> {
            names.add(e.down());
            names.add(e.up());
        });
        return names;
    }
}
