package io.nnrmtsvd.report;

import java.io.StringWriter;
import java.io.Writer;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes plain Java values as JSON: {@link Map} (keys in iteration order), {@link Iterable},
 * arrays of primitives, {@link CharSequence}, {@link Number}, {@link Boolean}, {@link Enum} and
 * {@code null}. Non-finite doubles are written as {@code null}, since JSON has no NaN.
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final ObjectWriteContext PRETTY = new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            return new DefaultPrettyPrinter();
        }

        @Override
        public boolean hasPrettyPrinter() {
            return true;
        }
    };

    private Json() {
    }

    /** The value as a JSON document, pretty-printed when {@code pretty}. */
    public static String toString(Object value, boolean pretty) {
        StringWriter out = new StringWriter();
        write(value, out, pretty);
        return out.toString();
    }

    /** Writes the value as one JSON document. */
    public static void write(Object value, Writer out, boolean pretty) {
        ObjectWriteContext context = pretty ? PRETTY : ObjectWriteContext.empty();
        try (JsonGenerator g = FACTORY.createGenerator(context, out)) {
            writeValue(g, value);
        }
    }

    private static void writeValue(JsonGenerator g, Object value) {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Iterable<?> items) {
            g.writeStartArray();
            for (Object item : items) {
                writeValue(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof double[] doubles) {
            g.writeStartArray();
            for (double d : doubles) {
                writeNumber(g, d);
            }
            g.writeEndArray();
        } else if (value instanceof int[] ints) {
            g.writeArray(ints, 0, ints.length);
        } else if (value instanceof long[] longs) {
            g.writeArray(longs, 0, longs.length);
        } else if (value instanceof Double || value instanceof Float) {
            writeNumber(g, ((Number) value).doubleValue());
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof CharSequence || value instanceof Enum<?>
                || value instanceof java.nio.file.Path) {
            g.writeString(value.toString());
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private static void writeNumber(JsonGenerator g, double d) {
        if (Double.isFinite(d)) {
            g.writeNumber(d);
        } else {
            g.writeNull();
        }
    }
}
