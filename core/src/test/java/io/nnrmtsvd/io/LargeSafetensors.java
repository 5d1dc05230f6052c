package io.nnrmtsvd.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Safetensors files and checkpoints of very many tensors, written directly (much faster than
 * through {@link SafetensorsWriter}) for tests of time and memory at scale.
 */
public final class LargeSafetensors {
    private LargeSafetensors() {
    }

    /**
     * Writes a safetensors file: the length of {@code header}, {@code header} (UTF-8), then
     * {@code data}.
     *
     * @return the header's length in bytes
     */
    public static long write(Path file, CharSequence header, byte[] data) throws IOException {
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            out.write(h);
            out.write(data);
        }
        return h.length;
    }

    /** The name of tensor {@code i} in {@link #zeroSizeTensors}: {@code model.layers.{i}.mlp.weight}. */
    public static String name(int i) {
        return "model.layers." + i + ".mlp.weight";
    }

    /** A header of {@code n} F32 tensors of shape [0, 4], all at offsets [0, 0]: no data at all. */
    public static StringBuilder zeroSizeTensors(int n) {
        StringBuilder s = new StringBuilder(90 * n).append('{');
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "\"" : ",\"").append(name(i))
                    .append("\":{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[0,0]}");
        }
        return s.append('}');
    }

    /**
     * A checkpoint directory of {@code n} zero-size tensors ({@link #zeroSizeTensors}) in one shard
     * with its index.
     *
     * @return the directory
     */
    public static Path shardedZeroSize(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        String shard = "model-00001-of-00001.safetensors";
        write(dir.resolve(shard), zeroSizeTensors(n), new byte[0]);
        StringBuilder index = new StringBuilder(60 * n).append("{\"metadata\":{\"total_size\":0},\"weight_map\":{");
        for (int i = 0; i < n; i++) {
            index.append(i == 0 ? "\"" : ",\"").append(name(i)).append("\":\"").append(shard).append('"');
        }
        Files.writeString(dir.resolve(ShardedCheckpoint.INDEX_FILE), index.append("}}"));
        return dir;
    }

    /**
     * An rmtsvd model of {@code layers} layers of one input and one output, each with a bias:
     * tensors {@code layers.{i}.weight} [1, 1] and {@code layers.{i}.bias} [1], F32, weight 0.5 and
     * bias {@code i}.
     */
    public static void tinyLayerModel(Path file, int layers) throws IOException {
        StringBuilder s = new StringBuilder(100 * layers).append("{\"__metadata__\":{\"relu\":\"")
                .append("0".repeat(layers)).append("\"}");
        ByteBuffer data = ByteBuffer.allocate(8 * layers).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < layers; i++) {
            long at = 8L * i;
            s.append(",\"layers.").append(i).append(".weight\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[")
                    .append(at).append(',').append(at + 4).append("]},\"layers.").append(i)
                    .append(".bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[").append(at + 4).append(',')
                    .append(at + 8).append("]}");
            data.putFloat(0.5f).putFloat(i);
        }
        write(file, s.append('}'), data.array());
    }
}
