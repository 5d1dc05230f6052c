package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link NpyFiles#read}: mutations of valid files (written by {@link NpyFiles} and built
 * here in every version, dtype and order), and headers built field by field with flaws chosen at
 * random (bad versions, header lengths past the end, unknown, duplicate or missing keys, wrong
 * dtypes, negative, huge or overflowing dimensions, 1-D and 3-D shapes, unterminated strings,
 * escapes, non-ASCII text). See {@link FuzzHarness} for what each input must satisfy.
 */
class NpyFuzzTest {
    private static final long SEED = 0x0A7A11L;
    private static final int INPUTS_PER_CLASS = 5_000;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private static final List<String> TOKENS = List.of("{", "}", "(", ")", "'", "\"", ":", ",", " ", "\n", "-1",
            "99999999999999999999", "9223372036854775807", "4294967296", "L", "True", "False", "None", "'descr'",
            "'shape'", "'fortran_order'", "'<f2'", "'>f8'", "'<i4'", "'|u1'", "\\", "\u00e9", "\u0660", "\u0000");

    @TempDir
    Path dir;

    private static void check(DMatrix m, byte[] input) {
        assertEquals((long) m.rows() * m.cols(), m.data().length);
        ByteBuffer b = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        int major = input[6];
        long headerEnd = major == 1 ? 10 + Short.toUnsignedInt(b.getShort(8)) : 12 + Integer.toUnsignedLong(b.getInt(8));
        long dataBytes = input.length - headerEnd;
        long count = m.data().length;
        assertTrue(dataBytes == 2 * count || dataBytes == 4 * count || dataBytes == 8 * count,
                () -> dataBytes + " data bytes for " + count + " values");
    }

    private static byte[] npy(int major, String header, byte[] data) {
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int prefix = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(prefix + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        return b.put(h).put(data).array();
    }

    private List<byte[]> seeds() throws IOException {
        SplittableRandom rng = new SplittableRandom(SEED);
        List<byte[]> seeds = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            int rows = rng.nextInt(5);
            int cols = 1 + rng.nextInt(5);
            DMatrix m = DMatrix.wrap(rows, cols, rng.doubles(rows * cols).toArray());
            Path file = dir.resolve("seed" + s + ".npy");
            if (s % 2 == 0) {
                NpyFiles.writeFloat64(file, m);
            } else {
                NpyFiles.writeFloat32(file, m);
            }
            seeds.add(Files.readAllBytes(file));
        }
        String[] descrs = {"<f2", ">f2", "<f4", ">f4", "<f8", ">f8"};
        for (int s = 0; s < 8; s++) {
            String descr = descrs[rng.nextInt(descrs.length)];
            int rows = rng.nextInt(4);
            int cols = rng.nextInt(4);
            String header = "{'descr': '" + descr + "', 'fortran_order': " + (rng.nextBoolean() ? "True" : "False")
                    + ", 'shape': (" + rows + ", " + cols + "), }\n";
            byte[] data = new byte[rows * cols * (descr.charAt(2) - '0')];
            rng.nextBytes(data);
            seeds.add(npy(1 + rng.nextInt(3), header, data));
        }
        return seeds;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyInputParsesConsistentlyOrFailsCleanly(TestReporter reporter) throws Exception {
        new FuzzHarness("npy", dir.resolve("fuzz.npy")).fuzz(reporter, SEED, seeds(), TOKENS,
                NpyFuzzTest::structured, INPUTS_PER_CLASS, NpyFiles::read, NpyFuzzTest::check);
    }

    /** Files far larger than the fuzz inputs, valid and not, to check that the bound is linear. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void largeInputsStayWithinTheBound(TestReporter reporter) throws IOException {
        Path file = dir.resolve("large.npy");
        FuzzHarness harness = new FuzzHarness("npy (large)", file);
        int n = 1 << 20;
        byte[][] inputs = {
            npy(1, "{'descr': '<f2', 'fortran_order': True, 'shape': (1024, 1024), }\n", new byte[2 * n]),
            npy(1, "{'descr': '>f2', 'fortran_order': False, 'shape': (1024, 1024), }\n", new byte[2 * n]),
            npy(2, "{'descr': '" + "x".repeat(n) + "', 'fortran_order': False, 'shape': (0, 0), }\n", new byte[0]),
            npy(3, "{'descr': '" + "\u00e9".repeat(n / 2) + "', 'fortran_order': False, 'shape': (0, 0), }\n",
                    new byte[0]),
            npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (" + "1, ".repeat(n / 3) + "), }\n",
                    new byte[8]),
            npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (" + "9".repeat(n) + ", 1), }\n",
                    new byte[8]),
            npy(2, "{'" + "k".repeat(n) + "': 1}\n", new byte[0]),
            npy(2, "{" + " ".repeat(n) + "}\n", new byte[0]),
        };
        for (byte[] input : inputs) {
            harness.run("large input of " + input.length + " bytes", input, NpyFiles::read, NpyFuzzTest::check);
        }
        harness.finish(reporter, inputs.length);
    }

    private static boolean flaw(SplittableRandom rng, StringBuilder label, String what) {
        if (rng.nextInt(30) == 0) {
            label.append(' ').append(what);
            return true;
        }
        return false;
    }

    private static final String[] BAD_DESCRS = {"<i4", "|u1", "<f16", "f8", "=f8", "<c8", "", "<f8 ", "\u00e9f8",
        "O", "<U3"};
    private static final String[] BAD_DIMS = {"-1", "99999999999999999999", "9223372036854775807", "4294967296",
        "2147483648", "1.5", "None", "0x10", "3L", "\u0663", "+2"};

    private static byte[] structured(SplittableRandom rng, StringBuilder label) {
        String[] descrs = {"<f2", ">f2", "<f4", ">f4", "<f8", ">f8"};
        String descr = descrs[rng.nextInt(descrs.length)];
        int size = descr.charAt(2) - '0';
        if (flaw(rng, label, "bad-descr")) {
            descr = BAD_DESCRS[rng.nextInt(BAD_DESCRS.length)];
        }
        int rows = rng.nextInt(5);
        int cols = rng.nextInt(5);
        List<String> dims = new ArrayList<>(List.of(Integer.toString(rows), Integer.toString(cols)));
        if (flaw(rng, label, "bad-dim")) {
            dims.set(rng.nextInt(2), BAD_DIMS[rng.nextInt(BAD_DIMS.length)]);
        }
        if (flaw(rng, label, "overflowing-shape")) {
            dims.set(0, "4294967296");
            dims.set(1, "4294967296");
        }
        if (flaw(rng, label, "rank")) {
            if (rng.nextBoolean()) {
                dims.remove(1);
            } else {
                dims.add("2");
            }
        }
        String shape = "(" + String.join(", ", dims) + (dims.size() == 1 || rng.nextBoolean() ? ",)" : ")");
        if (flaw(rng, label, "bad-tuple")) {
            shape = new String[] {"(", "()", "(,)", "(1 2)", "[1, 2]", "((1, 2))", "(1,,2)"}[rng.nextInt(7)];
        }
        String quote = rng.nextBoolean() ? "'" : "\"";
        List<String> fields = new ArrayList<>(List.of(quote + "descr" + quote + ": '" + descr + "'",
                "'fortran_order': " + (rng.nextBoolean() ? "True" : "False"), "'shape': " + shape));
        if (flaw(rng, label, "missing-key")) {
            fields.remove(rng.nextInt(fields.size()));
        }
        if (flaw(rng, label, "duplicate-key")) {
            fields.add(fields.get(rng.nextInt(fields.size())));
        }
        if (flaw(rng, label, "unknown-key")) {
            fields.add("'extra': " + new String[] {"1", "'x'", "{}", "__import__('os')"}[rng.nextInt(4)]);
        }
        if (flaw(rng, label, "bad-bool")) {
            fields.set(1, "'fortran_order': " + new String[] {"true", "1", "'True'", "Tru"}[rng.nextInt(4)]);
        }
        if (flaw(rng, label, "unterminated")) {
            fields.set(0, "'descr': '" + descr);
        }
        if (flaw(rng, label, "escape")) {
            fields.set(0, "'descr': '<f\\x38'");
        }
        for (int i = fields.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            String t = fields.get(i);
            fields.set(i, fields.get(j));
            fields.set(j, t);
        }
        String header = "{" + String.join(", ", fields) + (rng.nextBoolean() ? ", }" : "}");
        if (flaw(rng, label, "trailing")) {
            header += " x";
        }
        header += " ".repeat(rng.nextInt(64)) + "\n";
        int major = 1 + rng.nextInt(3);
        int minor = 0;
        if (flaw(rng, label, "version")) {
            major = new int[] {0, 4, 255, 1}[rng.nextInt(4)];
            minor = major == 1 ? 1 : 0;
        }
        long data = (long) rows * cols * size;
        if (flaw(rng, label, "data-length")) {
            data = Math.max(0, data + rng.nextInt(9) - 4);
        }
        byte[] content = new byte[(int) data];
        rng.nextBytes(content);
        byte[] file = npy(major == 1 || major > 3 || major == 0 ? 1 : major, header, content);
        file[6] = (byte) major;
        file[7] = (byte) minor;
        if (flaw(rng, label, "header-length")) {
            ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            int[] lengths = {0, 1, 0xffff, -1, Integer.MAX_VALUE, file.length};
            if (file[6] == 1 || major == 0 || major > 3) {
                b.putShort(8, (short) lengths[rng.nextInt(lengths.length)]);
            } else {
                b.putInt(8, lengths[rng.nextInt(lengths.length)]);
            }
        }
        return file;
    }
}
