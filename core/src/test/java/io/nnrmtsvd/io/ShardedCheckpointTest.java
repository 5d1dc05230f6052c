package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index of a sharded checkpoint: what it must hold, how strictly it is read, and look-ups. */
class ShardedCheckpointTest {
    private static final String A = "model-00001-of-00002.safetensors";
    private static final String B = "model-00002-of-00002.safetensors";
    private static final String WEIGHT_MAP = "\"weight_map\": {\"a.w\": \"" + A + "\", \"a.b\": \"" + A
            + "\", \"b.w\": \"" + B + "\"}";

    @TempDir
    Path dir;

    @BeforeEach
    void writeShards() throws IOException {
        SafetensorsWriter.write(dir.resolve(A), Map.of(), List.of(tensor("a.w", 2), tensor("a.b", 1)));
        SafetensorsWriter.write(dir.resolve(B), Map.of(), List.of(tensor("b.w", 3)));
    }

    private static SafetensorsWriter.Tensor tensor(String name, int n) {
        return SafetensorsWriter.Tensor.ofFloats(name, Dtype.F32, new long[] {n}, new float[n]);
    }

    private Path index(String json) throws IOException {
        return Files.writeString(dir.resolve(ShardedCheckpoint.INDEX_FILE), json);
    }

    private String refusal(String json) throws IOException {
        index(json);
        String message = assertThrows(InvalidInputException.class, () -> ShardedCheckpoint.open(dir).close())
                .getMessage();
        assertFalse(message.contains("\n"), message);
        return message;
    }

    private void assertRefused(String json, String expected) throws IOException {
        String message = refusal(json);
        assertTrue(message.contains(expected), () -> "expected \"" + expected + "\" in: " + message);
    }

    @Test
    void findsEachTensorInItsShard() throws IOException {
        index("{\"metadata\": {\"total_size\": 24, \"note\": [1, {\"x\": null}]}, \"format\": \"pt\", "
                + WEIGHT_MAP + "}");
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(dir)) {
            assertTrue(ck.sharded());
            assertEquals(Map.of("total_size", 24L, "note", List.of(1L, java.util.Collections.singletonMap("x", null))),
                    ck.indexMetadata());
            assertEquals(List.of(A, B), ck.shards().stream().map(s -> s.path().getFileName().toString()).toList());
            assertEquals(List.of("a.w", "a.b", "b.w"), ck.tensors().stream().map(TensorInfo::name).toList());
            assertEquals(dir.resolve(B), ck.shardOf("b.w").path());
            assertEquals(3, ck.readFloats("b.w").length);
            assertTrue(ck.contains("a.b"));
            assertFalse(ck.contains("c"));
            assertEquals(dir + ": no tensor named \"c\\u001b\"",
                    assertThrows(InvalidInputException.class, () -> ck.tensor("c\u001b")).getMessage());
        }
        index("{\"metadata\": null, " + WEIGHT_MAP + "}");
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(dir)) {
            assertEquals(Map.of(), ck.indexMetadata());
        }
    }

    @Test
    void refusesIndexesThatDisagreeWithTheirShards() throws IOException {
        assertRefused("{\"weight_map\": {\"a.w\": \"" + A + "\", \"a.b\": \"" + A + "\", \"b.w\": \"" + B
                + "\", \"ghost\": \"" + B + "\"}}", "tensor \"ghost\" is not in its shard " + B);
        assertRefused("{\"weight_map\": {\"a.w\": \"" + A + "\", \"b.w\": \"" + B + "\"}}",
                A + ": tensor \"a.b\" is not mapped to this shard by " + ShardedCheckpoint.INDEX_FILE);
        assertRefused("{\"weight_map\": {\"a.w\": \"" + A + "\", \"a.b\": \"" + B + "\", \"b.w\": \"" + B + "\"}}",
                A + ": tensor \"a.b\" is not mapped to this shard");
        assertRefused("{\"weight_map\": {\"x\": \"missing.safetensors\"}}",
                "shard missing.safetensors (holding tensor \"x\") is missing");
        assertRefused("{\"weight_map\": {\"x\": \"../" + A + "\"}}", "is not a .safetensors file name");
    }

    @Test
    void readsTheIndexAsStrictlyAsJson() throws IOException {
        assertRefused("{\"metadata\": {}}", "no \"weight_map\"");
        assertRefused("{\"weight_map\": {}}", "\"weight_map\" names no tensor");
        assertRefused("{\"weight_map\": null}", "\"weight_map\" names no tensor");
        assertRefused("{\"weight_map\": []}", "\"weight_map\" is not a JSON object");
        assertRefused("{\"weight_map\": {\"a.w\": 1}}", "the shard of tensor \"a.w\" is not a string");
        assertRefused("{\"metadata\": [], " + WEIGHT_MAP + "}", "\"metadata\" is not a JSON object");
        assertRefused("{" + WEIGHT_MAP + ", \"weight_map\": {}}", "key \"weight_map\" appears twice");
        assertRefused("{\"weight_map\": {\"a.w\": \"" + A + "\", \"a.w\": \"" + A + "\"}}",
                "tensor \"a.w\" appears twice in \"weight_map\"");
        assertRefused("{\"metadata\": {\"k\": 1, \"k\": 2}, " + WEIGHT_MAP + "}", "Duplicate");
        assertRefused("{\"other\": [{\"k\": 1, \"k\": 2}], " + WEIGHT_MAP + "}", "Duplicate");
        assertRefused("{" + WEIGHT_MAP + "} {}", "content after the JSON document");
        assertRefused("{" + WEIGHT_MAP + ", \"n\": 1" + "0".repeat(100) + "}", "not valid JSON");
        assertRefused("{\"deep\": " + "[".repeat(100) + "]".repeat(100) + ", " + WEIGHT_MAP + "}", "not valid JSON");
        assertRefused("{\"metadata\": {\"note\": \"" + "x".repeat(ShardIndex.MAX_OTHER_CHARS) + "\"}, "
                + WEIGHT_MAP + "}", "characters of JSON outside \"weight_map\"");
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < ShardIndex.MAX_TOP_LEVEL_KEYS; i++) {
            many.append("\"k").append(i).append("\": 0, ");
        }
        assertRefused(many + WEIGHT_MAP + "}", "more than 64 top-level keys");
        StringBuilder shards = new StringBuilder("{\"weight_map\": {\"t\": \"0.safetensors\"");
        for (int i = 1; i <= ShardIndex.MAX_SHARDS; i++) {
            shards.append(", \"t").append(i).append("\": \"").append(i).append(".safetensors\"");
        }
        assertRefused(shards + "}}", "names more than 10000 shard files");

        Path index = dir.resolve(ShardedCheckpoint.INDEX_FILE);
        byte[] bytes = ("{" + WEIGHT_MAP + "}").getBytes(StandardCharsets.UTF_8);
        bytes[20] = (byte) 0xfe;
        Files.write(index, bytes);
        assertEquals(index + ": not valid UTF-8 text (bad byte sequence at byte 20)",
                assertThrows(InvalidInputException.class, () -> ShardedCheckpoint.open(dir)).getMessage());
        Files.delete(index);
        Files.createDirectory(index);
        assertEquals(index + ": is a directory, not a regular file",
                assertThrows(InvalidInputException.class, () -> ShardedCheckpoint.open(dir)).getMessage());
    }
}
