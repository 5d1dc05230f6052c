package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static float[] randomFloats(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 4 - 2);
        }
        return v;
    }

    /** A file made of an 8-byte little-endian length, the header text, and the data. */
    private static byte[] fileBytes(long headerLength, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(headerLength).put(header).put(data).array();
    }

    private static byte[] fileBytes(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return fileBytes(h.length, h, new byte[dataBytes]);
    }

    private String rejection(byte[] content) throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, content);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SafetensorsFile.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private void assertRejected(String header, int dataBytes, String expected) throws IOException {
        String message = rejection(fileBytes(header, dataBytes));
        assertTrue(message.contains(expected), () -> "expected \"" + expected + "\" in: " + message);
    }

    @Test
    void writesAndReadsBackEveryFloatDtype() throws IOException {
        SplittableRandom rng = new SplittableRandom(3);
        float[] f32 = randomFloats(rng, 12);
        float[] f16 = randomFloats(rng, 6);
        float[] bf16 = randomFloats(rng, 5);
        double[] f64 = rng.doubles(8).toArray();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("ünïcode", "välue \"quoted\"");
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, metadata, List.of(
                SafetensorsWriter.Tensor.ofFloats("layer.0.weight", Dtype.F32, new long[] {3, 4}, f32),
                SafetensorsWriter.Tensor.ofFloats("half", Dtype.F16, new long[] {2, 3}, f16),
                SafetensorsWriter.Tensor.ofFloats("brain", Dtype.BF16, new long[] {5}, bf16),
                SafetensorsWriter.Tensor.ofDoubles("spectrum", Dtype.F64, new long[] {8}, f64),
                SafetensorsWriter.Tensor.ofFloats("empty", Dtype.F32, new long[] {0, 7}, new float[0]),
                SafetensorsWriter.Tensor.ofFloats("scalar", Dtype.F32, new long[] {}, new float[] {2.5f})));

        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(metadata, st.metadata());
            assertEquals(List.of("layer.0.weight", "half", "brain", "spectrum", "empty", "scalar"),
                    st.tensors().stream().map(TensorInfo::name).toList());
            assertEquals(0, st.dataStart() % 8, "header padded to a multiple of 8");
            TensorInfo w = st.tensor("layer.0.weight");
            assertEquals(Dtype.F32, w.dtype());
            assertArrayEquals(new long[] {3, 4}, w.shape());
            assertEquals(48, w.byteLength());
            assertArrayEquals(f32, st.readFloats("layer.0.weight"));
            for (int i = 0; i < f16.length; i++) {
                assertEquals(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f16[i])), st.readFloats("half")[i]);
                assertEquals(f16[i], st.readDoubles("half")[i], 1e-3 * Math.abs(f16[i]));
            }
            for (int i = 0; i < bf16.length; i++) {
                assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(bf16[i])), st.readFloats("brain")[i]);
            }
            assertArrayEquals(f64, st.readDoubles("spectrum"));
            float[] narrowed = st.readFloats("spectrum");
            for (int i = 0; i < f64.length; i++) {
                assertEquals((float) f64[i], narrowed[i]);
            }
            double[] widened = st.readDoubles("layer.0.weight");
            for (int i = 0; i < f32.length; i++) {
                assertEquals(f32[i], widened[i]);
            }
            assertEquals(0, st.readFloats("empty").length);
            assertArrayEquals(new long[] {}, st.tensor("scalar").shape());
            assertArrayEquals(new float[] {2.5f}, st.readFloats("scalar"));
        }
    }

    @Test
    void readsTensorsLargerThanOneChunk() throws IOException {
        float[] values = randomFloats(new SplittableRandom(5), 700_001);
        Path file = dir.resolve("big.safetensors");
        SafetensorsWriter.write(file, Map.of(), List.of(
                SafetensorsWriter.Tensor.ofFloats("big", Dtype.F16, new long[] {values.length}, values),
                SafetensorsWriter.Tensor.ofFloats("big32", Dtype.F32, new long[] {values.length}, values)));
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertArrayEquals(values, st.readFloats("big32"));
            float[] halves = st.readFloats("big");
            assertEquals(HalfFloats.f16ToFloat(HalfFloats.floatToF16(values[654_321])), halves[654_321]);
            assertEquals(HalfFloats.f16ToFloat(HalfFloats.floatToF16(values[700_000])), halves[700_000]);
        }
    }

    @Test
    void unsupportedDtypesAreListedAndCopiedByteForByte() throws IOException {
        byte[] raw = new byte[3 * 8];
        new SplittableRandom(9).nextBytes(raw);
        Path first = dir.resolve("ints.safetensors");
        SafetensorsWriter.write(first, Map.of(), List.of(
                new SafetensorsWriter.Tensor("steps", Dtype.I64, new long[] {3},
                        out -> out.write(ByteBuffer.wrap(raw))),
                SafetensorsWriter.Tensor.ofFloats("w", Dtype.F32, new long[] {2}, new float[] {1, 2})));
        Path second = dir.resolve("copy.safetensors");
        try (SafetensorsFile st = SafetensorsFile.open(first)) {
            assertEquals(Dtype.I64, st.tensor("steps").dtype());
            assertFalse(st.tensor("steps").dtype().isAnalysable());
            assertArrayEquals(raw, st.readBytes("steps"));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> st.readFloats("steps"));
            assertTrue(e.getMessage().contains("I64, which is unsupported for analysis"), e.getMessage());
            e = assertThrows(InvalidInputException.class, () -> st.readDoubles("nope"));
            assertTrue(e.getMessage().contains("no tensor named \"nope\""), e.getMessage());
            SafetensorsWriter.write(second, Map.of("copied", "yes"), List.of(
                    SafetensorsWriter.Tensor.copyOf(st, "w"), SafetensorsWriter.Tensor.copyOf(st, "steps")));
        }
        try (SafetensorsFile copy = SafetensorsFile.open(second)) {
            assertArrayEquals(raw, copy.readBytes("steps"));
            assertArrayEquals(new float[] {1, 2}, copy.readFloats("w"));
            assertEquals(Map.of("copied", "yes"), copy.metadata());
        }
    }

    /**
     * The rules of the reference implementation (huggingface/safetensors, safetensors/src/tensor.rs):
     * "__metadata__" may be null; F4 takes 4 bits and F6_* 6 bits an element, and a tensor's
     * elements × bits must be a whole number of bytes, elements × bits / 8 of them.
     */
    @Test
    void acceptsNullMetadataAndEveryDtypeOfTheReferenceImplementation() throws IOException {
        String[] accepted = {"BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0",
            "F8_E4M3FNUZ", "F8_E5M2FNUZ", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "I64", "U64", "F64", "C64"};
        int[] bits = {8, 4, 6, 6, 8, 8, 8, 8, 8, 8, 8, 16, 16, 16, 16, 32, 32, 32, 64, 64, 64, 64};
        StringBuilder header = new StringBuilder("{\"__metadata__\": null");
        int offset = 0;
        for (int i = 0; i < accepted.length; i++) {
            int bytes = 12 * bits[i] / 8; // shape [3, 4]: 12 elements, whole bytes for every dtype
            header.append(", \"t").append(i).append("\": {\"dtype\": \"").append(accepted[i])
                    .append("\", \"shape\": [3, 4], \"data_offsets\": [").append(offset).append(", ")
                    .append(offset + bytes).append("]}");
            offset += bytes;
        }
        byte[] data = new byte[offset];
        new SplittableRandom(11).nextBytes(data);
        Path file = dir.resolve("all.safetensors");
        byte[] h = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        Files.write(file, fileBytes(h.length, h, data));
        Path copy = dir.resolve("copy.safetensors");
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(Map.of(), st.metadata());
            for (int i = 0; i < accepted.length; i++) {
                TensorInfo t = st.tensor("t" + i);
                assertEquals(accepted[i], t.dtype().name());
                assertEquals(bits[i], t.dtype().bitSize());
                assertEquals(12L * bits[i] / 8, t.byteLength());
                assertEquals(List.of("F16", "BF16", "F32", "F64").contains(accepted[i]), t.dtype().isAnalysable());
            }
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> st.readFloats("t1"));
            assertTrue(e.getMessage().contains("F4, which is unsupported for analysis"), e.getMessage());
            SafetensorsWriter.write(copy, Map.of(), st.tensors().stream()
                    .map(t -> SafetensorsWriter.Tensor.copyOf(st, t.name())).toList());
        }
        try (SafetensorsFile again = SafetensorsFile.open(copy)) {
            assertArrayEquals(data, java.util.Arrays.copyOfRange(Files.readAllBytes(copy), (int) again.dataStart(),
                    (int) Files.size(copy)), "every tensor copied byte for byte");
            assertEquals(Dtype.F4, again.tensor("t1").dtype());
        }
    }

    @Test
    void packedTensorsMustFillWholeBytes() throws IOException {
        assertRejected("{\"a\": {\"dtype\": \"F4\", \"shape\": [3], \"data_offsets\": [0, 1]}}", 1,
                "tensor \"a\": F4 shape [3] holds 12 bits, not a whole number of bytes");
        assertRejected("{\"a\": {\"dtype\": \"F6_E3M2\", \"shape\": [2, 1], \"data_offsets\": [0, 1]}}", 1,
                "F6_E3M2 shape [2, 1] holds 12 bits, not a whole number of bytes");
        assertRejected("{\"a\": {\"dtype\": \"F4\", \"shape\": [4], \"data_offsets\": [0, 1]}}", 1,
                "F4 shape [4] needs 2 bytes but data_offsets [0, 1] span 1");
        assertRejected("{\"a\": {\"dtype\": \"F6_E2M3\", \"shape\": [3074457345618258603],"
                + " \"data_offsets\": [0, 1]}}", 1, "shape is too large");
        assertEquals(3, Dtype.F6_E2M3.byteLength(4));
        assertEquals(-1, Dtype.F6_E2M3.byteLength(5));
        assertEquals(-1, Dtype.F64.byteLength(Long.MAX_VALUE / 8));
        assertEquals(2, Dtype.BF16.byteSize());
        assertThrows(IllegalStateException.class, Dtype.F4::byteSize);
        assertThrows(IllegalArgumentException.class, () -> new SafetensorsWriter.Tensor("odd", Dtype.F4,
                new long[] {3}, out -> out.write(ByteBuffer.allocate(2))));
    }

    @Test
    void aTensorWritingTheWrongByteCountLeavesNoFile() throws IOException {
        Path file = dir.resolve("short.safetensors");
        IOException e = assertThrows(IOException.class, () -> SafetensorsWriter.write(file, Map.of(), List.of(
                new SafetensorsWriter.Tensor("x", Dtype.F32, new long[] {4},
                        out -> out.write(ByteBuffer.allocate(12))))));
        assertTrue(e.getMessage().contains("wrote 12 bytes instead of 16"), e.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void writerRejectsInconsistentTensors() {
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.Tensor.ofFloats("a", Dtype.F32, new long[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.Tensor.ofFloats("a", Dtype.I32, new long[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.Tensor.ofFloats("__metadata__", Dtype.F32, new long[] {1}, new float[1]));
        SafetensorsWriter.Tensor a = SafetensorsWriter.Tensor.ofFloats("a", Dtype.F32, new long[] {1}, new float[1]);
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(dir.resolve("dup.safetensors"), Map.of(), List.of(a, a)));
        assertFalse(Files.exists(dir.resolve("dup.safetensors")));
    }

    @Test
    void rejectsFilesTooShortOrWithAbsurdHeaderLengths() throws IOException {
        assertTrue(rejection(new byte[0]).contains("fewer than the 8-byte header length"));
        assertTrue(rejection(new byte[5]).contains("only 5 bytes"));
        // a 16-byte file claiming a 1.5 GB header: rejected before anything is allocated
        assertTrue(rejection(fileBytes(1_500_000_000L, new byte[8], new byte[0])).contains("exceeds the limit"));
        assertTrue(rejection(fileBytes(-1L, new byte[8], new byte[0])).contains("18446744073709551615"));
        assertTrue(rejection(fileBytes(1000, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]))
                .contains("truncated: header length is 1000 bytes but only 2 bytes follow it"));
        assertTrue(rejection(fileBytes(0, new byte[0], new byte[0])).contains("header is not a JSON object"));
    }

    @Test
    void rejectsHeadersThatAreNotStrictJson() throws IOException {
        assertRejected("{\"a\": ", 0, "not valid JSON");
        assertRejected("[]", 0, "header is not a JSON object");
        assertRejected("{} {}", 0, "content after its JSON object");
        assertRejected("{}x", 0, "not valid JSON");
        assertRejected("{/* c */}", 0, "not valid JSON");
        assertRejected("{\"__metadata__\": {\"a\": NaN}}", 0, "not valid JSON");
        assertRejected("{\"a\": {\"shape\": [" + "9".repeat(5000) + "]}}", 0, "not valid JSON: Number value length");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + " \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8,
                "tensor \"a\" appears twice");
        assertRejected("{\"__metadata__\": {\"k\": \"v\", \"k\": \"w\"}}", 0, "metadata key \"k\" appears twice");
        assertRejected("{\"__metadata__\": {}, \"__metadata__\": {}}", 0, "\"__metadata__\" appears twice");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", 4,
                "tensor \"a\": \"dtype\" appears twice");
    }

    @Test
    void rejectsHeadersThatAreNotUtf8() throws IOException {
        byte[] header = "{\"__metadata__\": {\"k\": \"\u00ff\"}}  ".getBytes(StandardCharsets.ISO_8859_1);
        String message = rejection(fileBytes(header.length, header, new byte[0]));
        assertTrue(message.contains("header is not valid UTF-8"), message);
    }

    @Test
    void rejectsBadTensorEntries() throws IOException {
        assertRejected("{\"a\": {\"dtype\": \"F128\", \"shape\": [1], \"data_offsets\": [0, 16]}}", 16,
                "unknown dtype \"F128\"");
        assertRejected("{\"a\": {\"dtype\": 32, \"shape\": [1], \"data_offsets\": [0, 4]}}", 4,
                "dtype is not a string");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", 8,
                "F32 shape [3] needs 12 bytes but data_offsets [0, 8] span 8");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 4, "negative");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", 4,
                "not an integer");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 99999999999999999999]}}", 4,
                "not an integer in the range of a long");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 4]}}",
                4, "shape is too large");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [1]}}", 4, "missing \"data_offsets\"");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4, 8]}}", 4,
                "data_offsets must hold 2 numbers");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4], \"x\": 1}}", 4,
                "unknown key \"x\"");
        assertRejected("{\"a\": [1]}", 4, "tensor \"a\" is not a JSON object");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": 1, \"data_offsets\": [0, 4]}}", 4,
                "shape is not a JSON array");
        assertRejected("{\"__metadata__\": {\"k\": 1}}", 0, "metadata value of \"k\" is not a string");
        assertRejected("{\"__metadata__\": []}", 0, "\"__metadata__\" is not a JSON object");
    }

    @Test
    void rejectsDataSectionsThatTensorsDoNotTileExactly() throws IOException {
        String a = "\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [%d, %d]}";
        String b = "\"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [%d, %d]}";
        assertRejected("{" + a.formatted(0, 8) + ", " + b.formatted(4, 12) + "}", 12,
                "tensors \"a\" and \"b\" overlap");
        assertRejected("{" + a.formatted(0, 8) + ", " + b.formatted(12, 20) + "}", 20,
                "bytes [8, 12) of the data section belong to no tensor");
        assertRejected("{" + a.formatted(0, 8) + "}", 6, "run past the end of the 6-byte data section");
        assertRejected("{" + a.formatted(8, 0) + "}", 8, "end before they begin");
        assertRejected("{" + a.formatted(0, 8) + "}", 11, "3 bytes of trailing data after the last tensor");
        assertRejected("{}", 1, "1 bytes of trailing data");
    }

    @Test
    void reportsMissingFiles() {
        Path missing = dir.resolve("missing.safetensors");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SafetensorsFile.open(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }
}
