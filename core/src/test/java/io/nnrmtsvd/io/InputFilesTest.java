package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Special files are refused before they are opened, by every reader of this package, within a
 * second and in one line saying what they are; small text inputs are read strictly as UTF-8.
 */
class InputFilesTest {
    @TempDir
    Path dir;

    private static String refusal(Path path) {
        return assertThrows(InvalidInputException.class, () -> InputFiles.requireRegularFile(path)).getMessage();
    }

    @Test
    void saysWhatAPathIsWhenItIsNotARegularFile() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        InputFiles.requireRegularFile(file);
        InputFiles.requireRegularFile(Files.createSymbolicLink(dir.resolve("link"), file));
        assertEquals(dir.resolve("none") + ": no such file", refusal(dir.resolve("none")));
        assertEquals(dir + ": is a directory, not a regular file", refusal(dir));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("gone"));
        assertEquals(dangling + ": is a dangling symbolic link, not a regular file", refusal(dangling));
        Path pipe = SpecialFiles.fifo(dir.resolve("pipe"));
        assertEquals(pipe + ": is a named pipe (FIFO), not a regular file", refusal(pipe));
        Path toPipe = Files.createSymbolicLink(dir.resolve("to-pipe"), pipe);
        assertEquals(toPipe + ": is a named pipe (FIFO), not a regular file", refusal(toPipe));
        Path devNull = Path.of("/dev/null");
        Assumptions.assumeTrue(Files.exists(devNull));
        assertEquals("/dev/null: is a character device, not a regular file", refusal(devNull));
        Path socket = dir.resolve("socket");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertEquals(socket + ": is a socket, not a regular file", refusal(socket));
        }
    }

    @Test
    void everyReaderRefusesANamedPipeWithinASecond() throws Exception {
        Path st = SpecialFiles.fifo(dir.resolve("m.safetensors"));
        SpecialFiles.assertRefusedQuickly(st, () -> SafetensorsFile.open(st).close());
        SpecialFiles.assertRefusedQuickly(st, () -> ShardedCheckpoint.open(st).close());
        Path npy = SpecialFiles.fifo(dir.resolve("m.npy"));
        SpecialFiles.assertRefusedQuickly(npy, () -> NpyFiles.read(npy));
        Path csv = SpecialFiles.fifo(dir.resolve("m.csv"));
        SpecialFiles.assertRefusedQuickly(csv, () -> CsvFiles.read(csv));
        Path json = SpecialFiles.fifo(dir.resolve("m.json"));
        SpecialFiles.assertRefusedQuickly(json, () -> InputFiles.readString(json, 100));
        SpecialFiles.assertRefusedQuickly(json, () -> InputFiles.readBytes(json, 100));
    }

    @Test
    void aCheckpointDirectoryWhoseIndexOrShardIsAPipeIsRefusedNotSkipped() throws Exception {
        Path ck = Files.createDirectory(dir.resolve("ck"));
        SafetensorsWriter.write(ck.resolve("model.safetensors"), Map.of(),
                List.of(SafetensorsWriter.Tensor.ofFloats("w", Dtype.F32, new long[] {1}, new float[] {1})));
        Path index = SpecialFiles.fifo(ck.resolve(ShardedCheckpoint.INDEX_FILE));
        SpecialFiles.assertRefusedQuickly(index, () -> ShardedCheckpoint.open(ck));

        Files.delete(index);
        Files.writeString(index, "{\"weight_map\": {\"w\": \"model.safetensors\", \"v\": \"other.safetensors\"}}");
        Path shard = SpecialFiles.fifo(ck.resolve("other.safetensors"));
        SpecialFiles.assertRefusedQuickly(shard, () -> ShardedCheckpoint.open(ck));

        Path alone = Files.createDirectory(dir.resolve("alone"));
        Path only = SpecialFiles.fifo(alone.resolve("model.safetensors"));
        SpecialFiles.assertRefusedQuickly(only, () -> ShardedCheckpoint.open(alone));
    }

    @Test
    void readStringDecodesStrictlyAndNamesTheFirstBadByte() throws IOException {
        Path good = Files.writeString(dir.resolve("good.json"), "{\"k\": \"caf\u00e9 \ud83d\ude00\"}");
        assertEquals("{\"k\": \"caf\u00e9 \ud83d\ude00\"}", InputFiles.readString(good, 100));
        assertArrayEquals(Files.readAllBytes(good), InputFiles.readBytes(good, 100));

        byte[][] bad = {
            {'a', 'b', (byte) 0xff, 'c'}, // never valid
            {'a', 'b', (byte) 0xc3, '('}, // a lead byte without its continuation
            {'a', 'b', (byte) 0xc0, (byte) 0xaf}, // overlong '/'
            {'a', 'b', (byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate
            {'a', 'b', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
            {'a', 'b', (byte) 0xe2, (byte) 0x82}, // cut short at the end
        };
        for (byte[] content : bad) {
            Path file = Files.write(dir.resolve("bad.json"), content);
            String message = assertThrows(InvalidInputException.class, () -> InputFiles.readString(file, 100))
                    .getMessage();
            assertEquals(file + ": not valid UTF-8 text (bad byte sequence at byte 2)", message);
        }
    }

    @Test
    void readBytesRefusesFilesOverTheLimit() throws IOException {
        Path file = Files.write(dir.resolve("big.json"), "0123456789".getBytes(StandardCharsets.US_ASCII));
        assertEquals(10, InputFiles.readBytes(file, 10).length);
        assertEquals(file + ": larger than the limit of 9 bytes (10 bytes)",
                assertThrows(InvalidInputException.class, () -> InputFiles.readBytes(file, 9)).getMessage());
    }
}
