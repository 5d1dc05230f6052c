package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Fuzzes {@link SafetensorsFile}: mutations of valid files written by {@link SafetensorsWriter},
 * and headers built field by field, every dtype (packed ones included) and null metadata among
 * them, with flaws chosen at random (unknown or non-string dtypes, packed tensors ending inside a
 * byte, negative, fractional, huge or overflowing dimensions, overlapping, reversed, gapped or
 * out-of-range offsets, duplicate keys and names, deep nesting, huge numbers, invalid UTF-8,
 * trailing content, wrong header lengths, short or long data sections). See {@link FuzzHarness}
 * for what each input must satisfy.
 */
class SafetensorsFuzzTest {
    private static final long SEED = 0x5AFE7E45L;
    private static final int INPUTS_PER_CLASS = 5_000;

    private static final List<String> TOKENS = List.of("{", "}", "[", "]", "\"", ":", ",", "-1", "0", "1e999",
            "99999999999999999999", "9223372036854775807", "1.5", "null", "true", "\"dtype\"", "\"shape\"",
            "\"data_offsets\"", "\"__metadata__\"", "\"F16\"", "\"F64\"", "\"BF16\"", "\"I64\"", "\"F4\"", "\"F6_E2M3\"",
            "\"F8_E8M0\"", "\\u0000", "\\n",
            "\\ud800", "\u00e9", "\uffff", "\u2028", "/*", "NaN", "[[[[[[[[[[", "]]]]]]]]]]", "        ");

    @TempDir
    Path dir;

    private static final Dtype[] DTYPES = Dtype.values();

    /** Opens the file and reads every tensor, as a loader would. */
    private record Parsed(long dataStart, List<TensorInfo> tensors, Map<String, Object> values) {
    }

    private static Parsed parse(Path file) throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (TensorInfo t : st.tensors()) {
                values.put(t.name(), t.dtype().isAnalysable() ? st.readDoubles(t.name()) : st.readBytes(t.name()));
            }
            return new Parsed(st.dataStart(), st.tensors(), values);
        }
    }

    private static void check(Parsed p, byte[] input, Path file) throws IOException {
        long dataLength = input.length - p.dataStart();
        assertEquals(ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN).getLong(0) + 8, p.dataStart());
        long covered = 0;
        for (TensorInfo t : p.tensors()) {
            long count = t.elementCount();
            assertTrue(count >= 0 && t.begin() >= 0 && t.begin() <= t.end() && t.end() <= dataLength, t::toString);
            assertEquals(t.dtype().byteLength(count), t.byteLength(), t::toString);
            Object v = p.values().get(t.name());
            assertEquals(t.dtype().isAnalysable() ? count : t.byteLength(),
                    v instanceof double[] d ? d.length : ((byte[]) v).length, t::toString);
            covered += t.byteLength();
        }
        assertEquals(dataLength, covered, "the tensors cover the data section");
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (TensorInfo t : st.tensors()) {
                assertEquals(t.byteLength(), st.readBytes(t.name()).length);
                if (t.dtype().isAnalysable()) {
                    assertEquals(t.elementCount(), st.readFloats(t.name()).length);
                }
            }
        }
    }

    private List<byte[]> seeds() throws IOException {
        SplittableRandom rng = new SplittableRandom(SEED);
        List<byte[]> seeds = new ArrayList<>();
        for (int s = 0; s < 12; s++) {
            List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
            int n = 1 + rng.nextInt(4);
            for (int i = 0; i < n; i++) {
                Dtype dtype = DTYPES[rng.nextInt(DTYPES.length)];
                long[] shape = new long[rng.nextInt(4)];
                long count = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = rng.nextInt(6);
                    count *= shape[d];
                }
                if (dtype.byteLength(count) < 0) { // a packed dtype: four more elements fill whole bytes
                    shape = Arrays.copyOf(shape, shape.length + 1);
                    shape[shape.length - 1] = 4;
                    count *= 4;
                }
                byte[] data = new byte[(int) dtype.byteLength(count)];
                rng.nextBytes(data);
                tensors.add(new SafetensorsWriter.Tensor("layer." + i + (i % 2 == 0 ? ".weight" : ".bias"), dtype,
                        shape, out -> out.write(ByteBuffer.wrap(data))));
            }
            Map<String, String> metadata = s % 3 == 0 ? Map.of() : Map.of("format", "pt", "k\u00e9y", "v");
            Path file = dir.resolve("seed" + s + ".safetensors");
            SafetensorsWriter.write(file, metadata, tensors);
            seeds.add(Files.readAllBytes(file));
        }
        return seeds;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyInputParsesConsistentlyOrFailsCleanly(TestReporter reporter) throws Exception {
        Path file = dir.resolve("fuzz.safetensors");
        new FuzzHarness("safetensors", file).fuzz(reporter, SEED, seeds(), TOKENS, SafetensorsFuzzTest::structured,
                INPUTS_PER_CLASS, SafetensorsFuzzTest::parse, (p, input) -> check(p, input, file));
    }

    /** Files far larger than the fuzz inputs, valid and not, to check that the bound is linear. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void largeInputsStayWithinTheBound(TestReporter reporter) throws IOException {
        Path file = dir.resolve("large.safetensors");
        FuzzHarness harness = new FuzzHarness("safetensors (large)", file);
        int n = 1 << 20;
        String longName = "n".repeat(n);
        String[] headers = {
            "{\"" + longName + "\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}",
            "{\"__metadata__\":{\"k\":\"" + "\u00e9".repeat(n / 2) + "\"},\"t\":{\"dtype\":\"F16\",\"shape\":["
                    + n + "],\"data_offsets\":[0," + 2 * n + "]}}",
            "{\"t\":{\"dtype\":\"F16\",\"shape\":[" + n + "],\"data_offsets\":[0," + 2 * n + "]}}",
            "{\"t\":{\"dtype\":\"BF16\",\"shape\":[" + n / 2 + ",2],\"data_offsets\":[0," + 2 * n + "]}}",
            "{\"" + longName + "\":{\"dtype\":\"X\"}}",
            "{\"t\":{\"dtype\":\"F32\",\"shape\":[" + "1,".repeat(n / 2) + "1],\"data_offsets\":[0,4]}}",
            "[" + " ".repeat(n) + "]",
        };
        for (String header : headers) {
            byte[] h = header.getBytes(StandardCharsets.UTF_8);
            int dataBytes = header.contains("shape\":[" + n + "]") || header.contains(n / 2 + ",2]") ? 2 * n
                    : header.contains("[1],") ? 2 : header.contains("F32") ? 4 : 0;
            byte[] input = file(h.length, h, new byte[dataBytes]);
            harness.run("large header of " + h.length + " bytes", input, SafetensorsFuzzTest::parse,
                    (p, in) -> check(p, in, file));
        }
        harness.finish(reporter, headers.length);
    }

    private static byte[] file(long headerLength, byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(headerLength).put(header).put(data).array();
    }

    /** One flaw in about this many choices, so that a fair share of inputs stay valid. */
    private static boolean flaw(SplittableRandom rng, StringBuilder label, String what) {
        if (rng.nextInt(40) == 0) {
            label.append(' ').append(what);
            return true;
        }
        return false;
    }

    private static final String[] BAD_NAMES = {"", "__metadata__", "a\nb", "tab\there", "nul\u0000", "\u001b[31mred",
        "\u2028sep", "x".repeat(300), "quote\"d", "back\\slash"};
    private static final String[] BAD_DTYPES = {"\"F33\"", "\"f32\"", "\"\"", "7", "null", "[\"F32\"]", "{}",
        "\"F32\" ", "\"F 32\""};
    private static final String[] BAD_NUMBERS = {"-1", "-9223372036854775808", "9223372036854775807",
        "9223372036854775808", "99999999999999999999999", "1.5", "1e3", "1e999999", "-0", "\"3\"", "[2]", "null",
        "4611686018427387904", "0x10", "01"};

    private static byte[] structured(SplittableRandom rng, StringBuilder label) {
        int count = rng.nextInt(5);
        StringBuilder json = new StringBuilder("{");
        List<String> names = new ArrayList<>();
        if (rng.nextInt(4) == 0) {
            json.append(metadata(rng, label));
        }
        long offset = 0;
        for (int i = 0; i < count; i++) {
            String name = "t" + i;
            if (flaw(rng, label, "bad-name")) {
                name = BAD_NAMES[rng.nextInt(BAD_NAMES.length)];
            } else if (i > 0 && flaw(rng, label, "duplicate-name")) {
                name = names.get(rng.nextInt(names.size()));
            }
            names.add(name);
            Dtype dtype = DTYPES[rng.nextInt(DTYPES.length)];
            String dtypeText = "\"" + dtype.name() + "\"";
            if (flaw(rng, label, "bad-dtype")) {
                dtypeText = BAD_DTYPES[rng.nextInt(BAD_DTYPES.length)];
            }
            int rank = rng.nextInt(4);
            List<String> dims = new ArrayList<>();
            long elements = 1;
            for (int d = 0; d < rank; d++) {
                int dim = rng.nextInt(5);
                elements *= dim;
                dims.add(Integer.toString(dim));
            }
            if (flaw(rng, label, "bad-dim")) {
                dims.add(rng.nextInt(dims.size() + 1), BAD_NUMBERS[rng.nextInt(BAD_NUMBERS.length)]);
            }
            if (flaw(rng, label, "overflowing-shape")) {
                dims.clear();
                dims.addAll(List.of("4294967296", "4294967296", "2"));
            }
            String shape = "[" + String.join(",", dims) + "]";
            long length = dtype.byteLength(elements);
            if (length < 0) { // a packed dtype whose elements end inside a byte: refused
                label.append(" partial-byte");
                length = elements * dtype.bitSize() / 8;
            }
            long begin = offset;
            long end = offset + length;
            if (flaw(rng, label, "overlap")) {
                begin = Math.max(0, begin - 1 - rng.nextInt(8));
                end = begin + length;
            }
            if (flaw(rng, label, "gap")) {
                begin += 1 + rng.nextInt(8);
                end = begin + length;
            }
            if (flaw(rng, label, "reversed")) {
                long t = begin;
                begin = end + 1;
                end = t;
            }
            if (flaw(rng, label, "out-of-range")) {
                end = rng.nextBoolean() ? Long.MAX_VALUE : end + (1L << 40);
            }
            String offsets = "[" + begin + "," + end + "]";
            if (flaw(rng, label, "bad-offsets")) {
                offsets = switch (rng.nextInt(4)) {
                    case 0 -> "[" + begin + "]";
                    case 1 -> "[" + begin + "," + end + "," + end + "]";
                    case 2 -> "[" + BAD_NUMBERS[rng.nextInt(BAD_NUMBERS.length)] + "," + end + "]";
                    default -> "{}";
                };
            }
            offset = Math.max(offset, end);
            List<String> fields = new ArrayList<>(List.of("\"dtype\":" + dtypeText, "\"shape\":" + shape,
                    "\"data_offsets\":" + offsets));
            if (flaw(rng, label, "missing-field")) {
                fields.remove(rng.nextInt(fields.size()));
            }
            if (flaw(rng, label, "duplicate-field")) {
                fields.add(fields.get(rng.nextInt(fields.size())));
            }
            if (flaw(rng, label, "unknown-field")) {
                fields.add("\"extra\":" + (rng.nextBoolean() ? "1" : "{\"a\":[[[[[[[[[[[[1]]]]]]]]]]]]}"));
            }
            shuffle(fields, rng);
            json.append(json.length() > 1 ? "," : "").append(quote(name)).append(":{")
                    .append(String.join(",", fields)).append('}');
        }
        if (flaw(rng, label, "deep-nesting")) {
            json.append(json.length() > 1 ? "," : "").append("\"deep\":").append("[".repeat(2000))
                    .append("]".repeat(2000));
        }
        json.append('}');
        if (flaw(rng, label, "trailing")) {
            json.append(rng.nextBoolean() ? "{}" : " x");
        }
        if (rng.nextBoolean()) {
            json.append(" ".repeat((8 - json.length() % 8) % 8));
        }
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        if (flaw(rng, label, "invalid-utf8")) {
            byte[][] bad = {{(byte) 0xc3, 0x28}, {(byte) 0xff}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xe2}};
            header = Mutator.splice(header, rng.nextInt(header.length + 1), 0, bad[rng.nextInt(bad.length)]);
        }
        long headerLength = header.length;
        if (flaw(rng, label, "header-length")) {
            long[] lengths = {0, 1, headerLength - 1, headerLength + 1, headerLength + 8, Long.MAX_VALUE, -1,
                SafetensorsFile.MAX_HEADER_BYTES + 1, 1L << 32, Integer.MAX_VALUE};
            headerLength = lengths[rng.nextInt(lengths.length)];
        }
        long dataLength = offset;
        if (flaw(rng, label, "data-length")) {
            dataLength = Math.max(0, dataLength + rng.nextInt(17) - 8);
        }
        byte[] data = new byte[(int) Math.min(dataLength, 1 << 16)];
        rng.nextBytes(data);
        return file(headerLength, header, data);
    }

    private static String metadata(SplittableRandom rng, StringBuilder label) {
        List<String> entries = new ArrayList<>(List.of("\"format\":\"pt\"", "\"note\":\"caf\u00e9 \\\"q\\\" \\n\""));
        if (flaw(rng, label, "metadata-value")) {
            entries.add("\"n\":" + new String[] {"1", "null", "{}", "[\"a\"]", "true"}[rng.nextInt(5)]);
        }
        if (flaw(rng, label, "metadata-duplicate")) {
            entries.add("\"format\":\"np\"");
        }
        if (flaw(rng, label, "metadata-not-object")) {
            return "\"__metadata__\":[1]";
        }
        if (rng.nextInt(8) == 0) {
            return "\"__metadata__\":null"; // valid: no metadata
        }
        shuffle(entries, rng);
        return "\"__metadata__\":{" + String.join(",", entries) + "}";
    }

    private static String quote(String name) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : name.toCharArray()) {
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.append('"').toString();
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
