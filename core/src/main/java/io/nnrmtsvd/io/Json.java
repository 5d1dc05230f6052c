package io.nnrmtsvd.io;

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
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;

/**
 * The project's one JSON reader and writer, between JSON text and plain Java values.
 *
 * <p>Writing takes {@link Map} (keys in iteration order), {@link Iterable}, arrays of
 * {@code double}, {@code int} and {@code long}, {@link CharSequence}, {@link Number},
 * {@link Boolean}, {@link Enum}, {@link java.nio.file.Path} and {@code null}. Non-finite numbers
 * are written as {@code null}, since JSON has no NaN.
 *
 * <p>Reading gives objects as {@link LinkedHashMap} (keys in document order), arrays as
 * {@link List}, integers as {@link Long} (as {@link Double} beyond its range), other numbers as
 * {@link Double}, and strings, booleans and {@code null} themselves. It is strict and bounded,
 * since documents come from files a user may not trust: duplicate keys, trailing content, NaN and
 * comments are errors; a document is at most 100 MB with 32 levels of nesting and numbers of at
 * most 64 digits. Typed reads from the tree: {@link JsonFields}.
 */
public final class Json {
    /** The longest document read, in bytes (as {@link SafetensorsFile#MAX_HEADER_BYTES}). */
    public static final long MAX_DOCUMENT_BYTES = SafetensorsFile.MAX_HEADER_BYTES;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(MAX_DOCUMENT_BYTES)
                    .maxNestingDepth(32)
                    .maxNumberLength(64)
                    .build())
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

    /**
     * Writes the value as one JSON document.
     *
     * @throws IllegalArgumentException for a value of another kind than the class comment lists
     */
    public static void write(Object value, Writer out, boolean pretty) {
        ObjectWriteContext context = pretty ? PRETTY : ObjectWriteContext.empty();
        try (JsonGenerator g = FACTORY.createGenerator(context, out)) {
            writeValue(g, value);
        }
    }

    /**
     * Parses one JSON document.
     *
     * @param what names the source in error messages, e.g. a file name
     * @throws InvalidInputException if the text is not one valid JSON value within the bounds
     */
    public static Object parse(String text, String what) {
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), text)) {
            if (parser.nextToken() == null) {
                throw new InvalidInputException(what + ": empty JSON document");
            }
            Object value = read(parser);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new InvalidInputException(what + ": content after the JSON document: " + trailing);
            }
            return value;
        } catch (JacksonException e) {
            String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            // jackson quotes bad tokens as they are: a file could put escape sequences in the message
            throw new InvalidInputException(what + ": not valid JSON: "
                    + InvalidInputException.printable(message.replaceAll("\\s+", " ").trim()));
        }
    }

    /**
     * Parses a document that must be a JSON object.
     *
     * @throws InvalidInputException if it is not
     */
    public static Map<String, Object> parseObject(String text, String what) {
        Object value = parse(text, what);
        if (!(value instanceof Map)) {
            throw new InvalidInputException(what + ": not a JSON object");
        }
        return JsonFields.object(value, what);
    }

    private static Object read(JsonParser parser) {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() != JsonToken.END_OBJECT) {
                    String key = parser.currentName();
                    parser.nextToken();
                    object.put(key, read(parser));
                }
                return object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser));
                }
                return array;
            }
            case VALUE_STRING -> {
                return parser.getString();
            }
            case VALUE_NUMBER_INT -> {
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return parser.getDoubleValue();
                }
                return parser.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return parser.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return parser.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IllegalStateException("unexpected JSON token " + token);
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
