package io.nnrmtsvd.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a checkpoint in the layout {@link ShardedCheckpoint} reads, atomically as a whole: a new
 * directory of shard files, with an index when the checkpoint is sharded, built in a hidden
 * temporary directory beside the target ({@link AtomicFiles#temporaryDirectoryFor}) and renamed
 * into place only when every file is complete. A failed or interrupted write leaves nothing at the
 * target.
 */
public final class ShardedWriter {
    private ShardedWriter() {
    }

    /**
     * One shard file.
     *
     * @param fileName name inside the directory, e.g. {@code model-00001-of-00002.safetensors}
     * @param metadata its {@code __metadata__}
     * @param tensors its tensors, in the order written (their bytes are produced as they are written)
     */
    public record Shard(String fileName, Map<String, String> metadata, List<SafetensorsWriter.Tensor> tensors) {
        public Shard {
            metadata = Map.copyOf(metadata);
            tensors = List.copyOf(tensors);
        }
    }

    /**
     * Writes the shards into the new directory {@code out}, and an index naming every tensor's
     * shard when {@code indexMetadata} is given ({@code "total_size"} is set to the tensor bytes).
     *
     * @param out must not exist; its parent must
     * @param indexMetadata the index's {@code "metadata"}, or null for a directory without an index
     * @return the files written, shards first, in the order given
     * @throws IOException if writing fails; nothing is then left at {@code out}
     */
    public static List<Path> writeDirectory(Path out, List<Shard> shards, Map<String, Object> indexMetadata)
            throws IOException {
        Path absolute = out.toAbsolutePath();
        Path temp = AtomicFiles.temporaryDirectoryFor(absolute);
        try {
            List<String> names = new ArrayList<>();
            Map<String, String> weightMap = new TreeMap<>();
            long tensorBytes = 0;
            for (Shard shard : shards) {
                SafetensorsWriter.write(temp.resolve(shard.fileName()), shard.metadata(), shard.tensors());
                names.add(shard.fileName());
                for (SafetensorsWriter.Tensor t : shard.tensors()) {
                    weightMap.put(t.name(), shard.fileName());
                    tensorBytes += t.byteLength();
                }
            }
            if (indexMetadata != null) {
                Map<String, Object> meta = new LinkedHashMap<>(indexMetadata);
                meta.put("total_size", tensorBytes);
                Map<String, Object> index = new LinkedHashMap<>();
                index.put("metadata", meta);
                index.put("weight_map", weightMap);
                String json = Json.toString(index, true) + "\n";
                AtomicFiles.write(temp.resolve(ShardedCheckpoint.INDEX_FILE),
                        o -> o.write(json.getBytes(StandardCharsets.UTF_8)));
                names.add(ShardedCheckpoint.INDEX_FILE);
            }
            AtomicFiles.commitDirectory(temp, absolute);
            return names.stream().map(absolute::resolve).toList();
        } finally {
            AtomicFiles.discard(temp);
        }
    }
}
