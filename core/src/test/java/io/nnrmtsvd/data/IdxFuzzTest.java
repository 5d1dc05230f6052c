package io.nnrmtsvd.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.FuzzHarness;
import io.nnrmtsvd.io.Mutator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link IdxFiles}, raw and gzip-compressed: mutations of valid image and label files (for
 * gzip, of the content before compression and of the compressed bytes), and files built field by
 * field with flaws chosen at random (wrong magic numbers, negative, zero, huge or overflowing
 * dimensions, short or long data; for gzip also broken headers, checksums and trailers, and
 * concatenated or trailing members). See {@link FuzzHarness}. A compressed input may hold more
 * than its own size, so its allocation bound counts its compressed plus decompressed size.
 */
class IdxFuzzTest {
    private static final long SEED = 0x1D8L;
    private static final int MUTATED = 5_000;
    private static final int STRUCTURED = 5_000;
    private static final List<String> TOKENS = List.of("\u0000\u0000\u0008\u0003", "\u0000\u0000\u0008\u0001",
            "\u007f\u00ff\u00ff\u00ff", "\u0080\u0000\u0000\u0000", "\u001f\u008b\u0008\u0000", "\u0000\u0001\u0000\u0000");

    @TempDir
    Path dir;

    private static byte[] gzip(byte[] content) {
        try {
            return IdxFixtures.gzip(content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The decompressed content (as far as it decompresses), or the input itself if it is not gzip. */
    static byte[] content(byte[] input) {
        if (input.length < 2 || (input[0] & 0xff) != 0x1f || (input[1] & 0xff) != 0x8b) {
            return input;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(input))) {
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0 && out.size() < (64 << 20); n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // as far as it goes
        }
        return out.toByteArray();
    }

    /** The bound counts what a compressed input may legitimately expand to. */
    static long boundSize(byte[] input) {
        byte[] content = content(input);
        return content == input ? input.length : (long) input.length + content.length;
    }

    private record Read(boolean images, IdxFiles.Images image, byte[] labels) {
    }

    private static FuzzHarness.Parse<Read> reader(boolean images) {
        return file -> images ? new Read(true, IdxFiles.readImages(file), null)
                : new Read(false, null, IdxFiles.readLabels(file));
    }

    private static void check(Read r, byte[] input) {
        ByteBuffer content = ByteBuffer.wrap(content(input));
        if (r.images()) {
            IdxFiles.Images im = r.image();
            assertEquals(0x803, content.getInt(0));
            assertEquals(im.count(), content.getInt(4));
            assertEquals(im.rows(), content.getInt(8));
            assertEquals(im.cols(), content.getInt(12));
            assertTrue(im.count() >= 0 && im.rows() >= 1 && im.cols() >= 1);
            assertEquals((long) im.count() * im.rows() * im.cols(), im.pixels().length);
            assertEquals(content.capacity() - 16, im.pixels().length);
        } else {
            assertEquals(0x801, content.getInt(0));
            assertEquals(content.getInt(4), r.labels().length);
            assertEquals(content.capacity() - 8, r.labels().length);
        }
    }

    private static List<byte[]> seeds(SplittableRandom rng) {
        List<byte[]> seeds = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            int count = rng.nextInt(5);
            int rows = 1 + rng.nextInt(4);
            int cols = 1 + rng.nextInt(4);
            byte[] pixels = new byte[count * rows * cols];
            rng.nextBytes(pixels);
            seeds.add(IdxFixtures.idx(0x803, new int[] {count, rows, cols}, pixels));
            byte[] labels = new byte[rng.nextInt(20)];
            rng.nextBytes(labels);
            seeds.add(IdxFixtures.idx(0x801, new int[] {labels.length}, labels));
        }
        return seeds;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void rawInputsParseConsistentlyOrFailCleanly(TestReporter reporter) throws IOException {
        run(reporter, false);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void gzipInputsParseConsistentlyOrFailCleanly(TestReporter reporter) throws IOException {
        run(reporter, true);
    }

    private void run(TestReporter reporter, boolean compressed) throws IOException {
        Path file = dir.resolve("fuzz-idx");
        FuzzHarness harness = new FuzzHarness(compressed ? "idx (gzip)" : "idx (raw)", file);
        long seed = compressed ? SEED + 10 : SEED;
        List<byte[]> seeds = seeds(new SplittableRandom(seed));
        for (byte[] s : seeds) { // warm up
            byte[] input = compressed ? gzip(s) : s;
            harness.run("seed", input, boundSize(input), reader(s[3] == 3), IdxFuzzTest::check);
        }
        Mutator mutator = new Mutator(TOKENS);
        for (int i = 0; i < MUTATED; i++) {
            SplittableRandom rng = Mutator.random(seed, i);
            byte[] s = seeds.get(rng.nextInt(seeds.size()));
            boolean images = rng.nextBoolean();
            String label;
            byte[] input;
            if (!compressed) {
                Mutator.Mutated m = mutator.mutate(s, rng);
                input = m.bytes();
                label = "mutated " + m.label();
            } else if (rng.nextBoolean()) {
                Mutator.Mutated m = mutator.mutate(s, rng);
                input = gzip(m.bytes());
                label = "gzip of mutated " + m.label();
            } else {
                Mutator.Mutated m = mutator.mutate(gzip(s), rng);
                input = m.bytes();
                label = "mutated gzip " + m.label();
            }
            harness.run(label + (images ? " as images" : " as labels") + " #" + i, input, boundSize(input),
                    reader(images), IdxFuzzTest::check);
        }
        for (int i = 0; i < STRUCTURED; i++) {
            SplittableRandom rng = Mutator.random(seed + 1, i);
            StringBuilder label = new StringBuilder("structured #" + i);
            boolean images = rng.nextBoolean();
            byte[] input = structured(rng, label, images, compressed);
            harness.run(label + (images ? " as images" : " as labels"), input, boundSize(input), reader(images),
                    IdxFuzzTest::check);
        }
        harness.finish(reporter, MUTATED + STRUCTURED);
        assertTrue(harness.accepted() > 200, "some generated inputs are valid: " + harness.summary());
    }

    /** Inputs far larger than the fuzz inputs, to check that the bound is linear. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void largeInputsStayWithinTheBound(TestReporter reporter) throws IOException {
        Path file = dir.resolve("large-idx");
        FuzzHarness harness = new FuzzHarness("idx (large)", file);
        byte[] images = IdxFixtures.idx(0x803, new int[] {1000, 28, 28}, new byte[28 * 28 * 1000]);
        byte[] huge = IdxFixtures.idx(0x803, new int[] {Integer.MAX_VALUE / 784, 28, 28}, new byte[1 << 20]);
        byte[][] inputs = {images, gzip(images), huge, gzip(huge), gzip(new byte[4 << 20])};
        for (byte[] input : inputs) {
            harness.run("large input of " + input.length + " bytes", input, boundSize(input), reader(true),
                    IdxFuzzTest::check);
        }
        harness.finish(reporter, inputs.length);
    }

    private static boolean flaw(SplittableRandom rng, StringBuilder label, String what) {
        if (rng.nextInt(12) == 0) {
            label.append(' ').append(what);
            return true;
        }
        return false;
    }

    private static final int[] BAD_DIMS = {-1, 0, Integer.MIN_VALUE, Integer.MAX_VALUE, 65536, 1 << 30, 46341};

    static byte[] structured(SplittableRandom rng, StringBuilder label, boolean images, boolean compressed) {
        int[] dims = images ? new int[] {rng.nextInt(4), 1 + rng.nextInt(4), 1 + rng.nextInt(4)}
                : new int[] {rng.nextInt(16)};
        int magic = images ? 0x803 : 0x801;
        if (flaw(rng, label, "magic")) {
            magic = new int[] {0x802, 0x804, 0x903, 0x0d03, 0x08000003, 0x801, 0x803, -1}[rng.nextInt(8)];
        }
        if (flaw(rng, label, "rank")) {
            dims = java.util.Arrays.copyOf(dims, rng.nextInt(5));
        }
        for (int d = 0; d < dims.length; d++) {
            if (flaw(rng, label, "dim")) {
                dims[d] = BAD_DIMS[rng.nextInt(BAD_DIMS.length)];
            }
        }
        long length = 1;
        for (int d : dims) {
            length *= Math.max(0, d);
        }
        length = Math.min(length, 1 << 12);
        if (flaw(rng, label, "data-length")) {
            length = Math.max(0, length + rng.nextInt(5) - 2);
        }
        byte[] data = new byte[(int) length];
        rng.nextBytes(data);
        byte[] content = IdxFixtures.idx(magic, dims, data);
        if (!compressed) {
            return content;
        }
        byte[] gz = gzip(content);
        if (flaw(rng, label, "gzip-flags")) {
            gz[3] = (byte) (1 << rng.nextInt(8)); // FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT or reserved
        }
        if (flaw(rng, label, "gzip-method")) {
            gz[2] = (byte) rng.nextInt(256);
        }
        if (flaw(rng, label, "gzip-crc")) {
            gz[gz.length - 8] ^= 1;
        }
        if (flaw(rng, label, "gzip-size")) {
            gz[gz.length - 1] ^= (byte) 0x80;
        }
        if (flaw(rng, label, "gzip-truncated")) {
            gz = java.util.Arrays.copyOf(gz, rng.nextInt(gz.length));
        }
        if (flaw(rng, label, "gzip-concatenated")) {
            gz = Mutator.splice(gz, gz.length, 0, gzip(new byte[] {0, 1, 2}));
        }
        if (flaw(rng, label, "gzip-trailing")) {
            byte[] tail = new byte[1 + rng.nextInt(20)];
            rng.nextBytes(tail);
            gz = Mutator.splice(gz, gz.length, 0, tail);
        }
        return gz;
    }
}
