package io.nnrmtsvd.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model checkpoint in safetensors form, as Hugging Face stores them: either one
 * {@code .safetensors} file, or a directory holding {@value #INDEX_FILE} —
 * {@code {"metadata": {...}, "weight_map": {tensor name: shard file name}}} — and the shard files
 * it names. A directory without an index but with exactly one {@code .safetensors} file is that
 * file.
 *
 * <p>Opening validates everything before any tensor is read: every shard's header (see
 * {@link SafetensorsFile}, which also catches truncated shards and overlapping or out-of-range
 * offsets), that every shard the index names exists in the directory, that every tensor the index
 * names is in its shard and every tensor of a shard is in the index. Tensors are then read one at
 * a time, so memory is set by the largest tensor read, not by the model. Problems are
 * {@link InvalidInputException}s naming the file.
 */
public final class ShardedCheckpoint implements Closeable {
    /** The index file of a sharded checkpoint. */
    public static final String INDEX_FILE = "model.safetensors.index.json";
    private static final String SUFFIX = ".safetensors";

    private final Path source;
    private final boolean sharded;
    private final Map<String, Object> indexMetadata;
    private final List<SafetensorsFile> shards;
    private final Map<String, SafetensorsFile> shardOf;

    private ShardedCheckpoint(Path source, boolean sharded, Map<String, Object> indexMetadata,
            List<SafetensorsFile> shards, Map<String, SafetensorsFile> shardOf) {
        this.source = source;
        this.sharded = sharded;
        this.indexMetadata = Collections.unmodifiableMap(indexMetadata);
        this.shards = List.copyOf(shards);
        this.shardOf = shardOf;
    }

    /**
     * Opens a {@code .safetensors} file or a checkpoint directory.
     *
     * @throws InvalidInputException if it is missing, malformed, or its index and shards disagree
     */
    public static ShardedCheckpoint open(Path path) {
        if (Files.isRegularFile(path)) {
            return single(path, path);
        }
        if (!Files.isDirectory(path)) {
            throw new InvalidInputException(path + ": no such file or directory");
        }
        Path index = path.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return sharded(path, index);
        }
        List<Path> files = safetensorsFiles(path);
        if (files.size() == 1) {
            return single(path, files.get(0));
        }
        throw new InvalidInputException(path + ": " + (files.isEmpty() ? "no .safetensors file" : files.size()
                + " .safetensors files") + " and no " + INDEX_FILE + " to say which to read");
    }

    private static ShardedCheckpoint single(Path source, Path file) {
        SafetensorsFile st = SafetensorsFile.open(file);
        Map<String, SafetensorsFile> shardOf = new LinkedHashMap<>();
        for (TensorInfo t : st.tensors()) {
            shardOf.put(t.name(), st);
        }
        return new ShardedCheckpoint(source, false, Map.of(), List.of(st), shardOf);
    }

    private static List<Path> safetensorsFiles(Path dir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : entries) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw InvalidInputException.unreadable(dir, e);
        }
        return files;
    }

    private static ShardedCheckpoint sharded(Path dir, Path index) {
        String text;
        try {
            if (Files.size(index) > SafetensorsFile.MAX_HEADER_BYTES) {
                throw InvalidInputException.inFile(index, "larger than " + SafetensorsFile.MAX_HEADER_BYTES + " bytes");
            }
            text = Files.readString(index, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw InvalidInputException.unreadable(index, e);
        }
        Map<String, Object> root = Json.parseObject(text, index.toString());
        Map<String, Object> metadata = objectOrEmpty(index, root.get("metadata"), "\"metadata\"");
        if (!root.containsKey("weight_map")) {
            throw InvalidInputException.inFile(index, "no \"weight_map\"");
        }
        Map<String, Object> weightMap = objectOrEmpty(index, root.get("weight_map"), "\"weight_map\"");
        if (weightMap.isEmpty()) {
            throw InvalidInputException.inFile(index, "\"weight_map\" names no tensor");
        }
        Map<String, List<String>> tensorsByShard = new TreeMap<>(Comparator.naturalOrder());
        for (Map.Entry<String, Object> e : weightMap.entrySet()) {
            if (!(e.getValue() instanceof String shard)) {
                throw InvalidInputException.inFile(index, "the shard of tensor \"" + e.getKey() + "\" is not a string");
            }
            if (!shard.endsWith(SUFFIX) || shard.contains("/") || shard.contains("\\") || shard.startsWith(".")) {
                throw InvalidInputException.inFile(index, "shard \"" + shard + "\" of tensor \"" + e.getKey()
                        + "\" is not a .safetensors file name in the checkpoint's directory");
            }
            tensorsByShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(e.getKey());
        }
        List<SafetensorsFile> shards = new ArrayList<>();
        try {
            Map<String, SafetensorsFile> shardOf = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : tensorsByShard.entrySet()) {
                Path file = dir.resolve(e.getKey());
                if (!Files.isRegularFile(file)) {
                    throw InvalidInputException.inFile(index, "shard " + e.getKey() + " (holding tensor \""
                            + e.getValue().get(0) + "\") is missing");
                }
                SafetensorsFile st = SafetensorsFile.open(file);
                shards.add(st);
                for (String name : e.getValue()) {
                    if (st.tensors().stream().noneMatch(t -> t.name().equals(name))) {
                        throw InvalidInputException.inFile(index, "tensor \"" + name + "\" is not in its shard "
                                + e.getKey());
                    }
                }
                for (TensorInfo t : st.tensors()) {
                    if (!e.getKey().equals(weightMap.get(t.name()))) {
                        throw InvalidInputException.inFile(file, "tensor \"" + t.name() + "\" is not mapped to this "
                                + "shard by " + INDEX_FILE);
                    }
                    shardOf.put(t.name(), st);
                }
            }
            return new ShardedCheckpoint(dir, true, metadata, shards, shardOf);
        } catch (RuntimeException e) {
            closeAll(shards);
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectOrEmpty(Path index, Object value, String what) {
        if (value == null) {
            return new LinkedHashMap<>();
        }
        if (!(value instanceof Map)) {
            throw InvalidInputException.inFile(index, what + " is not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    /** The file or directory this was opened from. */
    public Path source() {
        return source;
    }

    /** Whether this is a directory with an index and shards. */
    public boolean sharded() {
        return sharded;
    }

    /** The index's {@code "metadata"} object (empty for a single file). Unmodifiable. */
    public Map<String, Object> indexMetadata() {
        return indexMetadata;
    }

    /** The shard files, ordered by file name (one for a single file). */
    public List<SafetensorsFile> shards() {
        return shards;
    }

    /** Every tensor, shard by shard, each shard's tensors in header order. */
    public List<TensorInfo> tensors() {
        List<TensorInfo> all = new ArrayList<>();
        for (SafetensorsFile st : shards) {
            all.addAll(st.tensors());
        }
        return all;
    }

    /**
     * The shard holding tensor {@code name}.
     *
     * @throws InvalidInputException if there is no such tensor
     */
    public SafetensorsFile shardOf(String name) {
        SafetensorsFile st = shardOf.get(name);
        if (st == null) {
            throw new InvalidInputException(source + ": no tensor named \"" + name + "\"");
        }
        return st;
    }

    /** Whether a tensor of this name exists. */
    public boolean contains(String name) {
        return shardOf.containsKey(name);
    }

    /** The tensor's entry. */
    public TensorInfo tensor(String name) {
        return shardOf(name).tensor(name);
    }

    /** The values of a floating-point tensor as float (see {@link SafetensorsFile#readFloats}). */
    public float[] readFloats(String name) {
        return shardOf(name).readFloats(name);
    }

    /** Bytes on disk: every shard plus the index. */
    public long fileBytes() {
        long total = 0;
        try {
            for (SafetensorsFile st : shards) {
                total += Files.size(st.path());
            }
            if (sharded) {
                total += Files.size(source.resolve(INDEX_FILE));
            }
        } catch (IOException e) {
            throw InvalidInputException.unreadable(source, e);
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsFile st : shards) {
            try {
                st.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void closeAll(List<SafetensorsFile> files) {
        for (SafetensorsFile st : files) {
            try {
                st.close();
            } catch (IOException ignored) {
                // reporting the error that made us give up matters more
            }
        }
    }

    @Override
    public String toString() {
        return "ShardedCheckpoint[" + source + ", " + shards.size() + " shards, " + shardOf.size() + " tensors]";
    }
}
