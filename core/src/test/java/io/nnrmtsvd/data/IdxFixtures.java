package io.nnrmtsvd.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** IDX files and small synthetic data sets for tests. */
public final class IdxFixtures {
    private IdxFixtures() {
    }

    /** An IDX file: big-endian magic, dimensions, then the data. */
    public static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length).putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    public static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    /**
     * Writes a small MNIST-shaped data set (28 x 28 images, 10 classes) into
     * {@code dataDir/mnist/} under MNIST's file names, for commands given {@code --data-dir}.
     * Class c lights up its own band of rows (plus noise), so a network learns it in an epoch.
     */
    public static void writeTinyMnist(Path dataDir, int train, int test, long seed) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("mnist"));
        SplittableRandom random = new SplittableRandom(seed);
        writeSplit(dir, "train", train, random);
        writeSplit(dir, "t10k", test, random);
    }

    private static void writeSplit(Path dir, String prefix, int count, SplittableRandom random) throws IOException {
        byte[] pixels = new byte[count * 784];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(10);
            labels[i] = (byte) label;
            for (int j = 0; j < 784; j++) {
                int row = j / 28;
                boolean lit = row >= 2 + 2 * label && row < 4 + 2 * label;
                pixels[i * 784 + j] = (byte) (lit ? 200 + random.nextInt(56) : random.nextInt(40));
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), idx(0x803, new int[] {count, 28, 28}, pixels));
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), idx(0x801, new int[] {count}, labels));
    }
}
