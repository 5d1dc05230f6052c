package io.nnrmtsvd.cli;

import io.nnrmtsvd.io.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON document into plain values for assertions, with the project's own reader
 * ({@link Json#parse}): objects as {@link LinkedHashMap} (keys in document order), arrays as
 * {@link List}, numbers as {@link Long} or {@link Double}, strings, booleans and {@code null}.
 */
final class JsonTree {
    private JsonTree() {
    }

    static Object parse(String text) {
        return Json.parse(text, "the command's JSON output");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) {
        return (Map<String, Object>) parse(text);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    static double number(Object value) {
        return ((Number) value).doubleValue();
    }
}
