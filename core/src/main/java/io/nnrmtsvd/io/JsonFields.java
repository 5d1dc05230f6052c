package io.nnrmtsvd.io;

import java.util.List;
import java.util.Map;

/**
 * Typed reads from a tree made by {@link Json#parse(String, String)}, each failing with an
 * {@link IllegalArgumentException} that names the key.
 */
public final class JsonFields {
    private JsonFields() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(what + " must be a JSON object");
    }

    @SuppressWarnings("unchecked")
    public static List<Object> array(Object value, String what) {
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new IllegalArgumentException(what + " must be a JSON array");
    }

    /** A number; JSON null (how non-finite values are written) reads as NaN. */
    public static double number(Map<String, Object> object, String key) {
        Object value = required(object, key);
        return toDouble(value, key);
    }

    public static long integer(Map<String, Object> object, String key) {
        if (required(object, key) instanceof Long l) {
            return l;
        }
        throw new IllegalArgumentException("'" + key + "' must be an integer");
    }

    /** An integer from 0 to {@link Integer#MAX_VALUE}: an epoch, a size, a rank. */
    public static int count(Map<String, Object> object, String key) {
        long value = integer(object, key);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + key + "' must be a count, got " + value);
        }
        return (int) value;
    }

    /** An array of layer widths, each from 1 to {@link Integer#MAX_VALUE}. */
    public static int[] widths(Map<String, Object> object, String key) {
        List<Object> list = array(required(object, key), "'" + key + "'");
        int[] widths = new int[list.size()];
        for (int i = 0; i < widths.length; i++) {
            if (!(list.get(i) instanceof Long w) || w < 1 || w > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("'" + key + "' must hold positive widths, got " + list.get(i));
            }
            widths[i] = w.intValue();
        }
        return widths;
    }

    public static String text(Map<String, Object> object, String key) {
        if (required(object, key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("'" + key + "' must be a string");
    }

    public static boolean flag(Map<String, Object> object, String key) {
        if (required(object, key) instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("'" + key + "' must be true or false");
    }

    /** An array of numbers (null entries read as NaN). */
    public static double[] numbers(Map<String, Object> object, String key) {
        List<Object> list = array(required(object, key), "'" + key + "'");
        double[] values = new double[list.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = toDouble(list.get(i), key + "[" + i + "]");
        }
        return values;
    }

    private static Object required(Map<String, Object> object, String key) {
        if (!object.containsKey(key)) {
            throw new IllegalArgumentException("missing '" + key + "'");
        }
        return object.get(key);
    }

    private static double toDouble(Object value, String what) {
        if (value == null) {
            return Double.NaN;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("'" + what + "' must be a number");
    }
}
