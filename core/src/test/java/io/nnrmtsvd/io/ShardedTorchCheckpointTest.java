package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single file, a directory holding one, and a sharded directory with its index, good and bad. */
class ShardedTorchCheckpointTest {
    private static final String SHARD1 = "pytorch_model-00001-of-00002.bin";
    private static final String SHARD2 = "pytorch_model-00002-of-00002.bin";

    @TempDir
    Path dir;

    private Path shardedCopy() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("ck"));
        for (String f : List.of(SHARD1, SHARD2, CheckpointFormat.PYTORCH.indexFile())) {
            Files.copy(TorchFileTest.fixture("sharded/" + f), copy.resolve(f));
        }
        return copy;
    }

    @Test
    void readsAShardedCheckpointWrittenByPyTorch() throws IOException {
        Path sharded = TorchFileTest.fixture("sharded");
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(sharded)) {
            assertTrue(ck.sharded());
            assertEquals(sharded, ck.source());
            assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"),
                    ck.tensors().stream().map(TensorInfo::name).toList());
            assertEquals(2, ck.shards().size());
            assertEquals(sharded.resolve(SHARD2), ck.shardOf("layers.1.bias").path());
            assertEquals(Map.of("total_size", 52L), ck.indexMetadata());
            long bytes = Files.size(sharded.resolve(SHARD1)) + Files.size(sharded.resolve(SHARD2))
                    + Files.size(sharded.resolve(CheckpointFormat.PYTORCH.indexFile()));
            assertEquals(bytes, ck.fileBytes());
            TorchFileTest.assertAsPyTorchReadIt((TorchFile) ck.shards().get(0), TorchFileTest.expected("sharded/" + SHARD1));
            TorchFileTest.assertAsPyTorchReadIt((TorchFile) ck.shards().get(1), TorchFileTest.expected("sharded/" + SHARD2));
            assertEquals(ck.readFloats("layers.1.weight").length, 6);
            assertEquals(Dtype.F16, ck.tensor("layers.1.weight").dtype());
            assertTrue(ck.contains("layers.0.bias"));
            assertFalse(ck.contains("layers.2.bias"));
        }
    }

    @Test
    void aFileOrADirectoryWithOneFileIsUnsharded() throws IOException {
        Path file = TorchFileTest.fixture("dtypes.pt");
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(file)) {
            assertFalse(ck.sharded());
            assertEquals(13, ck.tensors().size());
            assertEquals(Files.size(file), ck.fileBytes());
        }
        Path one = Files.createDirectories(dir.resolve("one"));
        Files.copy(file, one.resolve("weights.pth"));
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(one)) {
            assertEquals(one.resolve("weights.pth"), ck.shards().get(0).path());
        }
        // pytorch_model.bin is preferred to other .bin files, such as Hugging Face's training_args.bin
        Files.copy(TorchFileTest.fixture("evil_os_system.pt"), one.resolve("training_args.bin"));
        Files.copy(TorchFileTest.fixture("params.pt"), one.resolve(CheckpointFormat.PYTORCH.defaultFile()));
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(one)) {
            assertEquals(List.of("p", "q"), ck.tensors().stream().map(TensorInfo::name).toList());
        }
    }

    private String refusal(Path path) {
        return assertThrows(InvalidInputException.class, () -> ShardedCheckpoint.open(path).close()).getMessage();
    }

    @Test
    void anIndexAndItsShardsMustAgree() throws IOException {
        Path ck = shardedCopy();
        Path index = ck.resolve(CheckpointFormat.PYTORCH.indexFile());
        String original = Files.readString(index);

        Files.writeString(index, original.replace("\"layers.1.bias\": \"" + SHARD2 + "\"",
                "\"layers.1.bias\": \"" + SHARD2 + "\", \"layers.9.bias\": \"" + SHARD2 + "\""));
        assertEquals(index + ": tensor \"layers.9.bias\" is not in its shard " + SHARD2, refusal(ck));

        Files.writeString(index, original.replace(",\n    \"layers.1.bias\": \"" + SHARD2 + "\"", ""));
        assertEquals(ck.resolve(SHARD2) + ": tensor \"layers.1.bias\" is not mapped to this shard by "
                + CheckpointFormat.PYTORCH.indexFile(), refusal(ck));

        Files.writeString(index, original.replace(SHARD1, "../model.bin"));
        assertTrue(refusal(ck).startsWith(index + ": shard \"../model.bin\" of tensor"), refusal(ck));

        Files.writeString(index, original.replace(SHARD1, "model.safetensors"));
        assertTrue(refusal(ck).contains("is not a .bin, .pt or .pth file name"), refusal(ck));

        Files.writeString(index, original);
        Files.delete(ck.resolve(SHARD1));
        assertEquals(index + ": shard " + SHARD1 + " (holding tensor \"layers.0.weight\") is missing", refusal(ck));

        Files.copy(TorchFileTest.fixture("evil_os_system.pt"), ck.resolve(SHARD1));
        assertTrue(refusal(ck).contains("names the global posix.system"), refusal(ck));

        Files.writeString(index, "{\"metadata\": {}}");
        assertEquals(index + ": no \"weight_map\"", refusal(ck));
        Files.writeString(index, "{\"weight_map\": {}}");
        assertEquals(index + ": \"weight_map\" names no tensor", refusal(ck));
        Files.writeString(index, "{\"weight_map\": {\"a\": 1}}");
        assertEquals(index + ": the shard of tensor \"a\" is not a string", refusal(ck));
        Files.writeString(index, "{\"weight_map\": [1]}");
        assertEquals(index + ": \"weight_map\" is not a JSON object", refusal(ck));
    }

    @Test
    void aDirectoryWithoutAnIndexNeedsExactlyOneFile() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(empty + ": no .safetensors, .bin, .pt or .pth file and no index (" + ShardedCheckpoint.INDEX_FILE
                + " or " + CheckpointFormat.PYTORCH.indexFile() + ") to say which to read", refusal(empty));
        Files.copy(TorchFileTest.fixture("params.pt"), empty.resolve("a.pt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(TorchFileTest.fixture("params.pt"), empty.resolve("b.pt"), StandardCopyOption.REPLACE_EXISTING);
        assertEquals(empty + ": 2 .bin, .pt or .pth files and no index (" + ShardedCheckpoint.INDEX_FILE + " or "
                + CheckpointFormat.PYTORCH.indexFile() + ") to say which to read", refusal(empty));
        Path missing = dir.resolve("missing");
        assertEquals(missing + ": no such file", refusal(missing));
        Files.writeString(dir.resolve("text.pt"), "not a model", StandardCharsets.UTF_8);
        assertTrue(refusal(dir.resolve("text.pt")).contains("not a PyTorch zip archive"));
    }
}
