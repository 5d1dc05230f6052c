package io.nnrmtsvd.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.checkpoint.CheckpointFixtures;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.io.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's readers open checkpoints through Hadoop (here its local file system) unchanged. */
class HadoopFileSystemTest {
    @TempDir
    Path dir;

    @Test
    void aShardedCheckpointReadsTheSameThroughHadoop() throws Exception {
        Path local = CheckpointFixtures.gpt2(dir.resolve("gpt2"));
        Path remote = HadoopFileSystem.path(local.toUri().toString(), new Configuration());
        assertEquals(local.toUri().getPath().replaceAll("/$", ""), remote.toUri().getPath());
        assertTrue(remote.toString().startsWith("file:/"), remote.toString());
        try (ShardedCheckpoint a = ShardedCheckpoint.open(local); ShardedCheckpoint b = ShardedCheckpoint.open(remote)) {
            assertEquals(a.tensors().size(), b.tensors().size());
            assertEquals(a.shards().size(), b.shards().size());
            for (TensorInfo t : a.tensors()) {
                assertArrayEquals(a.readBytes(t.name()), b.readBytes(t.name()), t.name());
            }
        }
    }

    @Test
    void pathsBehaveAsPaths() {
        Path p = HadoopFileSystem.path("file:///models/llama/model.safetensors", new Configuration());
        assertEquals("model.safetensors", p.getFileName().toString());
        assertEquals(p, p.getParent().resolve("model.safetensors"));
        assertEquals(p, p.getParent().resolve("x/../model.safetensors").normalize());
        assertTrue(p.startsWith(p.getParent()));
        assertEquals("llama/model.safetensors", p.getParent().getParent().relativize(p).toString());
        assertEquals(p, HadoopFileSystem.path("file:///models/llama/model.safetensors", new Configuration()),
                "one view per file system");
    }

    @Test
    void readsArePositionedAndWritesAreRefused() throws Exception {
        Path file = Files.write(dir.resolve("bytes.bin"), new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        Path remote = HadoopFileSystem.path(file.toUri().toString(), new Configuration());
        try (FileChannel channel = FileChannel.open(remote, StandardOpenOption.READ)) {
            assertEquals(10, channel.size());
            ByteBuffer b = ByteBuffer.allocate(3);
            assertEquals(3, channel.read(b, 6));
            assertArrayEquals(new byte[] {6, 7, 8}, b.array());
            assertEquals(0, channel.position(), "a positioned read leaves the position");
            ByteBuffer direct = ByteBuffer.allocateDirect(4);
            assertEquals(1, channel.read(direct, 9));
            assertEquals(-1, channel.read(ByteBuffer.allocate(1), 10));
        }
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.write(remote, new byte[1]));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.delete(remote));
        assertThrows(NoSuchFileException.class, () -> Files.size(remote.resolveSibling("missing.bin")));
        assertFalse(Files.exists(remote.resolveSibling("missing.bin")));
    }

    @Test
    void aMissingCheckpointIsOneLine() {
        Path missing = HadoopFileSystem.path(dir.resolve("nothing").toUri().toString(), new Configuration());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ShardedCheckpoint.open(missing));
        assertTrue(e.getMessage().contains("nothing"), e.getMessage());
        assertEquals(List.of(), List.of(e.getMessage().split("\n")).subList(1, e.getMessage().split("\n").length));
    }
}
