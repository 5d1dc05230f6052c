package io.nnrmtsvd.report;

import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes plain Java values as JSON: {@link Map} (keys in iteration order), {@link Iterable},
 * arrays of primitives, {@link CharSequence}, {@link Number}, {@link Boolean}, {@link Enum} and
 * {@code null}. Non-finite doubles are written as {@code null}, since JSON has no NaN.
 * {@link #parse} reads a document back into the same kinds of values.
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
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

    /**
     * Reads one JSON document: objects become {@link LinkedHashMap}s (keys in document order),
     * arrays {@link ArrayList}s, integers {@link Long}, other numbers {@link Double}, and strings,
     * booleans and null themselves.
     *
     * @throws IllegalArgumentException for malformed JSON, duplicate keys, or anything after the document
     */
    public static Object parse(String text) {
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("empty JSON document");
            }
            Object value = readValue(parser, first);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("unexpected content after the JSON document at character "
                        + parser.currentLocation().getCharOffset());
            }
            return value;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Object readValue(JsonParser parser, JsonToken token) {
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    map.put(name, readValue(parser, parser.nextToken()));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    list.add(readValue(parser, t));
                }
                return list;
            }
            case VALUE_STRING -> {
                return parser.getString();
            }
            case VALUE_NUMBER_INT -> {
                return parser.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return parser.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return token == JsonToken.VALUE_TRUE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IllegalArgumentException("unexpected JSON token " + token);
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
