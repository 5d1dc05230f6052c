package io.nnrmtsvd.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model checkpoint as Hugging Face stores them, in either format ({@link CheckpointFormat}):
 * one file ({@code .safetensors}, or a {@code torch.save} archive {@code .bin}/{@code .pt}/{@code .pth},
 * told apart by their first bytes), or a directory holding an index —
 * {@code model.safetensors.index.json} or {@code pytorch_model.bin.index.json}, each
 * {@code {"metadata": {...}, "weight_map": {tensor name: shard file name}}} — and the shard files
 * it names. A directory without an index is its one {@code .safetensors} file, else its
 * {@code pytorch_model.bin}, else its one {@code .bin}, {@code .pt} or {@code .pth} file.
 *
 * <p>Opening validates everything before any tensor is read: the index (see {@link ShardIndex}),
 * every shard (see {@link SafetensorsFile} and {@link TorchFile}, which executes nothing), that
 * every shard the index names exists in the directory, that every tensor the index names is in its
 * shard and every tensor of a shard is in the index. This takes time linear in the index and the
 * headers, and tensors are then found by name in constant time. Tensors are read one at a time, so
 * memory is set by the largest tensor read, not by the model. A path that is neither a directory
 * nor a regular file (a named pipe, a device) is refused, as is an index that is not a regular
 * file. Problems are {@link InvalidInputException}s naming the file.
 */
public final class ShardedCheckpoint implements Closeable {
    /** The index file of a sharded safetensors checkpoint. */
    public static final String INDEX_FILE = CheckpointFormat.SAFETENSORS.indexFile();

    private final Path source;
    private final CheckpointFormat format;
    private final ShardIndex index;
    private final List<TensorFile> shards;
    private final TensorFile[] shardByNumber;

    private ShardedCheckpoint(Path source, CheckpointFormat format, ShardIndex index, List<TensorFile> shards,
            TensorFile[] shardByNumber) {
        this.source = source;
        this.format = format;
        this.index = index;
        this.shards = List.copyOf(shards);
        this.shardByNumber = shardByNumber;
    }

    /**
     * Opens a {@code .safetensors} file or a checkpoint directory.
     *
     * @throws InvalidInputException if it is missing, not a regular file or directory,
     *     malformed, or its index and shards disagree
     */
    public static ShardedCheckpoint open(Path path) {
        if (!Files.isDirectory(path)) {
            return single(path, path); // the file's reader says what else the path is
        }
        for (CheckpointFormat format : CheckpointFormat.values()) {
            Path index = path.resolve(format.indexFile());
            if (Files.exists(index, LinkOption.NOFOLLOW_LINKS)) {
                return sharded(path, index, format); // a named pipe or directory of that name is refused, not skipped
            }
        }
        List<Path> safetensors = shardFiles(path, CheckpointFormat.SAFETENSORS);
        if (safetensors.size() == 1) {
            return single(path, safetensors.get(0));
        }
        Path defaultTorch = path.resolve(CheckpointFormat.PYTORCH.defaultFile());
        if (safetensors.isEmpty() && Files.exists(defaultTorch, LinkOption.NOFOLLOW_LINKS)) {
            return single(path, defaultTorch);
        }
        List<Path> torch = shardFiles(path, CheckpointFormat.PYTORCH);
        if (safetensors.isEmpty() && torch.size() == 1) {
            return single(path, torch.get(0));
        }
        int found = safetensors.isEmpty() ? torch.size() : safetensors.size();
        CheckpointFormat format = safetensors.isEmpty() ? CheckpointFormat.PYTORCH : CheckpointFormat.SAFETENSORS;
        throw new InvalidInputException(path + ": " + (found == 0 ? "no .safetensors, .bin, .pt or .pth file"
                : found + " " + format.endings() + " files") + " and no index (" + INDEX_FILE + " or "
                + CheckpointFormat.PYTORCH.indexFile() + ") to say which to read");
    }

    private static ShardedCheckpoint single(Path source, Path file) {
        CheckpointFormat format = CheckpointFormat.of(file);
        return new ShardedCheckpoint(source, format, null, List.of(format.open(file)), null);
    }

    /** The directory's entries with the format's file names other than directories (special files included, to be refused). */
    private static List<Path> shardFiles(Path dir, CheckpointFormat format) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (format.isShardName(p.getFileName().toString()) && !Files.isDirectory(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw InvalidInputException.unreadable(dir, e);
        }
        files.sort(null);
        return files;
    }

    private static ShardedCheckpoint sharded(Path dir, Path indexFile, CheckpointFormat format) {
        ShardIndex index = ShardIndex.read(indexFile, format);
        TensorFile[] byNumber = new TensorFile[index.shardCount()];
        List<TensorFile> shards = new ArrayList<>();
        try {
            for (int number : index.shardsByName()) {
                String name = index.shardName(number);
                Path file = dir.resolve(name);
                if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw InvalidInputException.inFile(indexFile, "shard " + InvalidInputException.printable(name)
                            + " (holding tensor \"" + InvalidInputException.printable(index.firstTensor(number))
                            + "\") is missing");
                }
                TensorFile st = format.open(file);
                shards.add(st);
                byNumber[number] = st;
                checkAgreement(indexFile, index, number, st);
            }
            return new ShardedCheckpoint(dir, format, index, shards, byNumber);
        } catch (RuntimeException e) {
            closeAll(shards);
            throw e;
        }
    }

    /**
     * Checks that shard {@code number} holds exactly the tensors the index maps to it: each of its
     * tensors is mapped to it and it holds as many as the index maps there. Linear in the shard;
     * only an error costs a pass over the whole index, to name the tensor it lacks.
     */
    private static void checkAgreement(Path indexFile, ShardIndex index, int number, TensorFile st) {
        TensorInfo unmapped = null;
        for (TensorInfo t : st.tensors()) {
            if (index.shardOf(t.name()) != number) {
                unmapped = t;
                break;
            }
        }
        if (unmapped == null && st.tensors().size() == index.tensorCount(number)) {
            return;
        }
        String missing = index.missingFrom(number, st);
        if (missing != null) {
            throw InvalidInputException.inFile(indexFile, "tensor \"" + InvalidInputException.printable(missing)
                    + "\" is not in its shard " + InvalidInputException.printable(index.shardName(number)));
        }
        throw InvalidInputException.inFile(st.path(), "tensor \"" + InvalidInputException.printable(unmapped.name())
                + "\" is not mapped to this shard by " + indexFile.getFileName());
    }

    /** The file or directory this was opened from. */
    public Path source() {
        return source;
    }

    /** The format of the shards. */
    public CheckpointFormat format() {
        return format;
    }

    /** Whether this is a directory with an index and shards. */
    public boolean sharded() {
        return index != null;
    }

    /** The index's {@code "metadata"} object (empty for a single file). Unmodifiable. */
    public Map<String, Object> indexMetadata() {
        return index == null ? Map.of() : Collections.unmodifiableMap(index.metadata());
    }

    /** The shard files, ordered by file name (one for a single file). */
    public List<TensorFile> shards() {
        return shards;
    }

    /**
     * The shards as safetensors files, for what only that format allows (copying tensors' bytes
     * into new safetensors shards).
     *
     * @throws InvalidInputException naming the format otherwise
     */
    public List<SafetensorsFile> safetensorsShards() {
        if (format != CheckpointFormat.SAFETENSORS) {
            String file = shards.size() == 1 ? "'" + shards.get(0).path().getFileName() + "'" : "SHARD";
            throw new InvalidInputException(source + ": is a PyTorch checkpoint, and this needs safetensors; "
                    + "convert its state dict" + (shards.size() == 1 ? "" : "s shard by shard") + ": in Python, "
                    + "safetensors.torch.save_file(torch.load(" + file + ", weights_only=True), 'model.safetensors') "
                    + "(rmtsvd spectrum reads it as it is)");
        }
        return shards.stream().map(SafetensorsFile.class::cast).toList();
    }

    /** The value of metadata {@code key} in the first shard that has it. */
    public Optional<String> metadata(String key) {
        for (TensorFile shard : shards) {
            String value = shard.metadata().get(key);
            if (value != null) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** Every tensor, shard by shard, each shard's tensors in header order. */
    public List<TensorInfo> tensors() {
        List<TensorInfo> all = new ArrayList<>();
        for (TensorFile st : shards) {
            all.addAll(st.tensors());
        }
        return all;
    }

    /**
     * The shard holding tensor {@code name}; constant time.
     *
     * @throws InvalidInputException if there is no such tensor
     */
    public TensorFile shardOf(String name) {
        TensorFile st = find(name);
        if (st == null) {
            throw new InvalidInputException(source + ": no tensor named \"" + InvalidInputException.printable(name) + "\"");
        }
        return st;
    }

    private TensorFile find(String name) {
        if (index == null) {
            TensorFile st = shards.get(0);
            return st.contains(name) ? st : null;
        }
        int number = index.shardOf(name);
        return number < 0 ? null : shardByNumber[number];
    }

    /** Whether a tensor of this name exists; constant time. */
    public boolean contains(String name) {
        return find(name) != null;
    }

    /** The tensor's entry; constant time. */
    public TensorInfo tensor(String name) {
        return shardOf(name).tensor(name);
    }

    /** The values of a floating-point tensor as float (see {@link TensorFile#readFloats}). */
    public float[] readFloats(String name) {
        return shardOf(name).readFloats(name);
    }

    /** The bytes of any tensor (see {@link TensorFile#readBytes}). */
    public byte[] readBytes(String name) {
        return shardOf(name).readBytes(name);
    }

    /** Bytes on disk: every shard plus the index. */
    public long fileBytes() {
        long total = 0;
        try {
            for (TensorFile st : shards) {
                total += Files.size(st.path());
            }
            if (sharded()) {
                total += Files.size(source.resolve(format.indexFile()));
            }
        } catch (IOException e) {
            throw InvalidInputException.unreadable(source, e);
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (TensorFile st : shards) {
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

    private static void closeAll(List<TensorFile> files) {
        for (TensorFile st : files) {
            try {
                st.close();
            } catch (IOException ignored) {
                // reporting the error that made us give up matters more
            }
        }
    }

    @Override
    public String toString() {
        int count = 0;
        for (TensorFile st : shards) {
            count += st.tensors().size();
        }
        return "ShardedCheckpoint[" + source + ", " + shards.size() + " shards, " + count + " tensors]";
    }
}
