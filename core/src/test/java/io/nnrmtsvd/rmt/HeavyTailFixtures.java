package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.linalg.DMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the committed fixtures in core/src/test/resources/io/nnrmtsvd/rmt/heavytail (see the
 * README there): float32 or float64 .npy arrays, and expected.jsonl as one tree of maps, lists,
 * numbers and strings per line.
 */
final class HeavyTailFixtures {
    private static final String DIRECTORY = "heavytail/";
    private static final Pattern SHAPE = Pattern.compile("'shape': \\(([0-9, ]+)\\)");

    private HeavyTailFixtures() {
    }

    /** A C-order little-endian float32 or float64 .npy (format version 1), its shape and values widened to double. */
    record Array(int[] shape, double[] values) {
        DMatrix matrix() {
            assertEquals(2, shape.length, "a matrix fixture");
            return DMatrix.wrap(shape[0], shape[1], values.clone());
        }
    }

    static Array npy(String name) {
        byte[] bytes = bytes(name);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((byte) 0x93, buffer.get(0));
        assertEquals(1, buffer.get(6), "npy format version");
        int headerLength = Short.toUnsignedInt(buffer.getShort(8));
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'fortran_order': False"), header);
        Matcher shape = SHAPE.matcher(header);
        assertTrue(shape.find(), header);
        int[] dims = java.util.Arrays.stream(shape.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        int size = java.util.Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        double[] values = new double[size];
        buffer.position(10 + headerLength);
        if (header.contains("'descr': '<f4'")) {
            for (int i = 0; i < size; i++) {
                values[i] = buffer.getFloat();
            }
        } else {
            assertTrue(header.contains("'descr': '<f8'"), header);
            buffer.asDoubleBuffer().get(values);
        }
        return new Array(dims, values);
    }

    /** The cases of expected.jsonl, the versions line first (read by the project's own JSON reader). */
    static List<Map<String, Object>> expected() {
        String text = new String(bytes("expected.jsonl"), StandardCharsets.UTF_8);
        List<Map<String, Object>> cases = new ArrayList<>();
        for (String line : text.strip().split("\n")) {
            cases.add(Json.parseObject(line, "expected.jsonl"));
        }
        return cases;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> tree, String key) {
        return (Map<String, Object>) tree.get(key);
    }

    static double number(Map<String, Object> tree, String key) {
        return number(tree.get(key));
    }

    /** A JSON number (read as Long or Double) as a double. */
    static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    @SuppressWarnings("unchecked")
    static double[] numbers(Map<String, Object> tree, String key) {
        return ((List<Object>) tree.get(key)).stream().mapToDouble(HeavyTailFixtures::number).toArray();
    }

    @SuppressWarnings("unchecked")
    static List<List<Object>> rows(Map<String, Object> tree, String key) {
        return (List<List<Object>>) tree.get(key);
    }

    private static byte[] bytes(String name) {
        try (InputStream in = HeavyTailFixtures.class.getResourceAsStream(DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + DIRECTORY + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
