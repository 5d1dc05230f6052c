package io.nnrmtsvd.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model checkpoint in PyTorch form, as Hugging Face stores them: either one {@code torch.save}
 * file ({@code pytorch_model.bin}, {@code *.pt}, {@code *.pth}), or a directory holding
 * {@value #INDEX_FILE} — {@code {"metadata": {...}, "weight_map": {tensor name: shard file name}}},
 * the format of {@link ShardedCheckpoint}'s index — and the shard files it names. A directory
 * without an index is its {@value #SINGLE_FILE} if it has one, else its one {@code .bin},
 * {@code .pt} or {@code .pth} file.
 *
 * <p>Opening validates everything before any tensor is read: every shard (see {@link TorchFile},
 * which executes nothing and refuses anything but tensors and dicts), that every shard the index
 * names exists in the directory, that every tensor the index names is in its shard and every
 * tensor of a shard is in the index. Tensors are then read one at a time. Problems are
 * {@link InvalidInputException}s naming the file. The methods mirror {@link ShardedCheckpoint}'s.
 */
public final class TorchCheckpoint implements Closeable {
    /** The index file of a sharded PyTorch checkpoint. */
    public static final String INDEX_FILE = "pytorch_model.bin.index.json";
    /** The file Hugging Face names an unsharded PyTorch checkpoint. */
    public static final String SINGLE_FILE = "pytorch_model.bin";
    private static final List<String> SUFFIXES = List.of(".bin", ".pt", ".pth");

    private final Path source;
    private final boolean sharded;
    private final Map<String, Object> indexMetadata;
    private final List<TorchFile> shards;
    private final Map<String, TorchFile> shardOf;

    private TorchCheckpoint(Path source, boolean sharded, Map<String, Object> indexMetadata, List<TorchFile> shards,
            Map<String, TorchFile> shardOf) {
        this.source = source;
        this.sharded = sharded;
        this.indexMetadata = Collections.unmodifiableMap(indexMetadata);
        this.shards = List.copyOf(shards);
        this.shardOf = shardOf;
    }

    /**
     * Opens a torch.save file or a checkpoint directory.
     *
     * @throws InvalidInputException if it is missing, malformed, or its index and shards disagree
     */
    public static TorchCheckpoint open(Path path) {
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
        if (Files.isRegularFile(path.resolve(SINGLE_FILE))) {
            return single(path, path.resolve(SINGLE_FILE));
        }
        List<Path> files = torchFiles(path);
        if (files.size() == 1) {
            return single(path, files.get(0));
        }
        throw new InvalidInputException(path + ": " + (files.isEmpty() ? "no .bin, .pt or .pth file" : files.size()
                + " .bin, .pt or .pth files") + " and no " + INDEX_FILE + " to say which to read");
    }

    private static boolean isTorchName(String name) {
        return SUFFIXES.stream().anyMatch(name::endsWith);
    }

    private static TorchCheckpoint single(Path source, Path file) {
        TorchFile f = TorchFile.open(file);
        Map<String, TorchFile> shardOf = new LinkedHashMap<>();
        for (TensorInfo t : f.tensors()) {
            shardOf.put(t.name(), f);
        }
        return new TorchCheckpoint(source, false, Map.of(), List.of(f), shardOf);
    }

    private static List<Path> torchFiles(Path dir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (isTorchName(p.getFileName().toString()) && Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw InvalidInputException.unreadable(dir, e);
        }
        return files;
    }

    private static TorchCheckpoint sharded(Path dir, Path index) {
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
        Map<String, List<String>> tensorsByShard = new TreeMap<>();
        for (Map.Entry<String, Object> e : weightMap.entrySet()) {
            String tensor = "tensor \"" + InvalidInputException.printable(e.getKey()) + "\"";
            if (!(e.getValue() instanceof String shard)) {
                throw InvalidInputException.inFile(index, "the shard of " + tensor + " is not a string");
            }
            if (!isTorchName(shard) || shard.contains("/") || shard.contains("\\") || shard.startsWith(".")) {
                throw InvalidInputException.inFile(index, "shard \"" + InvalidInputException.printable(shard) + "\" of "
                        + tensor + " is not a .bin, .pt or .pth file name in the checkpoint's directory");
            }
            tensorsByShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(e.getKey());
        }
        List<TorchFile> shards = new ArrayList<>();
        try {
            Map<String, TorchFile> shardOf = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : tensorsByShard.entrySet()) {
                Path file = dir.resolve(e.getKey());
                if (!Files.isRegularFile(file)) {
                    throw InvalidInputException.inFile(index, "shard " + e.getKey() + " (holding tensor \""
                            + InvalidInputException.printable(e.getValue().get(0)) + "\") is missing");
                }
                TorchFile f = TorchFile.open(file);
                shards.add(f);
                for (String name : e.getValue()) {
                    if (!f.contains(name)) {
                        throw InvalidInputException.inFile(index, "tensor \"" + InvalidInputException.printable(name)
                                + "\" is not in its shard " + e.getKey());
                    }
                }
                for (TensorInfo t : f.tensors()) {
                    if (!e.getKey().equals(weightMap.get(t.name()))) {
                        throw InvalidInputException.inFile(file, "tensor \"" + InvalidInputException.printable(t.name())
                                + "\" is not mapped to this shard by " + INDEX_FILE);
                    }
                    shardOf.put(t.name(), f);
                }
            }
            return new TorchCheckpoint(dir, true, metadata, shards, shardOf);
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
    public List<TorchFile> shards() {
        return shards;
    }

    /** Every tensor, shard by shard, each shard's tensors in pickle order (see {@link TorchFile#tensors()}). */
    public List<TensorInfo> tensors() {
        List<TensorInfo> all = new ArrayList<>();
        for (TorchFile f : shards) {
            all.addAll(f.tensors());
        }
        return all;
    }

    /**
     * The shard holding tensor {@code name}.
     *
     * @throws InvalidInputException if there is no such tensor
     */
    public TorchFile shardOf(String name) {
        TorchFile f = shardOf.get(name);
        if (f == null) {
            throw new InvalidInputException(source + ": no tensor named \"" + InvalidInputException.printable(name) + "\"");
        }
        return f;
    }

    /** Whether a tensor of this name exists. */
    public boolean contains(String name) {
        return shardOf.containsKey(name);
    }

    /** The tensor's entry. */
    public TensorInfo tensor(String name) {
        return shardOf(name).tensor(name);
    }

    /** Where the tensor's elements are in its shard. */
    public TorchTensor layout(String name) {
        return shardOf(name).layout(name);
    }

    /** The values of a floating-point tensor as float (see {@link TorchFile#readFloats}). */
    public float[] readFloats(String name) {
        return shardOf(name).readFloats(name);
    }

    /** The values of a floating-point tensor as double (see {@link TorchFile#readDoubles}). */
    public double[] readDoubles(String name) {
        return shardOf(name).readDoubles(name);
    }

    /** The little-endian bytes of any tensor (see {@link TorchFile#readBytes}). */
    public byte[] readBytes(String name) {
        return shardOf(name).readBytes(name);
    }

    /** Bytes on disk: every shard plus the index. */
    public long fileBytes() {
        long total = 0;
        for (TorchFile f : shards) {
            total += f.fileBytes();
        }
        if (sharded) {
            try {
                total += Files.size(source.resolve(INDEX_FILE));
            } catch (IOException e) {
                throw InvalidInputException.unreadable(source, e);
            }
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (TorchFile f : shards) {
            try {
                f.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void closeAll(List<TorchFile> files) {
        for (TorchFile f : files) {
            try {
                f.close();
            } catch (IOException ignored) {
                // reporting the error that made us give up matters more
            }
        }
    }

    @Override
    public String toString() {
        return "TorchCheckpoint[" + source + ", " + shards.size() + " shards, " + shardOf.size() + " tensors]";
    }
}
