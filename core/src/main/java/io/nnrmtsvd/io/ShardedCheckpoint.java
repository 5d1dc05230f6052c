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

/**
 * A model checkpoint in safetensors form, as Hugging Face stores them: either one
 * {@code .safetensors} file, or a directory holding {@value #INDEX_FILE} —
 * {@code {"metadata": {...}, "weight_map": {tensor name: shard file name}}} — and the shard files
 * it names. A directory without an index but with exactly one {@code .safetensors} file is that
 * file.
 *
 * <p>Opening validates everything before any tensor is read: the index (see {@link ShardIndex}),
 * every shard's header (see {@link SafetensorsFile}, which also catches truncated shards and
 * overlapping or out-of-range offsets), that every shard the index names exists in the directory,
 * that every tensor the index names is in its shard and every tensor of a shard is in the index.
 * This takes time linear in the index and the headers, and tensors are then found by name in
 * constant time. Tensors are read one at a time, so memory is set by the largest tensor read, not
 * by the model. A path that is neither a directory nor a regular file (a named pipe, a device) is
 * refused, as is an index that is not a regular file. Problems are {@link InvalidInputException}s
 * naming the file.
 */
public final class ShardedCheckpoint implements Closeable {
    /** The index file of a sharded checkpoint. */
    public static final String INDEX_FILE = "model.safetensors.index.json";
    private static final String SUFFIX = ".safetensors";

    private final Path source;
    private final ShardIndex index;
    private final List<SafetensorsFile> shards;
    private final SafetensorsFile[] shardByNumber;

    private ShardedCheckpoint(Path source, ShardIndex index, List<SafetensorsFile> shards,
            SafetensorsFile[] shardByNumber) {
        this.source = source;
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
            return single(path, path); // SafetensorsFile.open says what else the path is
        }
        Path index = path.resolve(INDEX_FILE);
        if (Files.exists(index, LinkOption.NOFOLLOW_LINKS)) {
            return sharded(path, index); // a named pipe or directory of that name is refused, not skipped
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
        return new ShardedCheckpoint(source, null, List.of(st), null);
    }

    /** The directory's entries named {@code *.safetensors} other than directories (special files included, to be refused). */
    private static List<Path> safetensorsFiles(Path dir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : entries) {
                if (!Files.isDirectory(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw InvalidInputException.unreadable(dir, e);
        }
        return files;
    }

    private static ShardedCheckpoint sharded(Path dir, Path indexFile) {
        ShardIndex index = ShardIndex.read(indexFile);
        SafetensorsFile[] byNumber = new SafetensorsFile[index.shardCount()];
        List<SafetensorsFile> shards = new ArrayList<>();
        try {
            for (int number : index.shardsByName()) {
                String name = index.shardName(number);
                Path file = dir.resolve(name);
                if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw InvalidInputException.inFile(indexFile, "shard " + InvalidInputException.printable(name)
                            + " (holding tensor \"" + InvalidInputException.printable(index.firstTensor(number))
                            + "\") is missing");
                }
                SafetensorsFile st = SafetensorsFile.open(file);
                shards.add(st);
                byNumber[number] = st;
                checkAgreement(indexFile, index, number, st);
            }
            return new ShardedCheckpoint(dir, index, shards, byNumber);
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
    private static void checkAgreement(Path indexFile, ShardIndex index, int number, SafetensorsFile st) {
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
                + "\" is not mapped to this shard by " + INDEX_FILE);
    }

    /** The file or directory this was opened from. */
    public Path source() {
        return source;
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
     * The shard holding tensor {@code name}; constant time.
     *
     * @throws InvalidInputException if there is no such tensor
     */
    public SafetensorsFile shardOf(String name) {
        SafetensorsFile st = find(name);
        if (st == null) {
            throw new InvalidInputException(source + ": no tensor named \"" + InvalidInputException.printable(name) + "\"");
        }
        return st;
    }

    private SafetensorsFile find(String name) {
        if (index == null) {
            SafetensorsFile st = shards.get(0);
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
            if (sharded()) {
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
        int count = 0;
        for (SafetensorsFile st : shards) {
            count += st.tensors().size();
        }
        return "ShardedCheckpoint[" + source + ", " + shards.size() + " shards, " + count + " tensors]";
    }
}
