package io.nnrmtsvd.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Small JSON documents read into plain Java values: objects as {@link LinkedHashMap} (keys in
 * document order), arrays as {@link List}, strings, {@link Long} or {@link Double} numbers,
 * {@link Boolean} and {@code null}. Parsing is strict: duplicate keys, trailing content, NaN and
 * comments are errors, and documents are capped at 100 MB and 32 levels of nesting.
 */
public final class JsonTrees {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(SafetensorsFile.MAX_HEADER_BYTES)
                    .maxNestingDepth(32)
                    .maxNumberLength(64)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonTrees() {
    }

    /**
     * Parses one JSON document.
     *
     * @param what names the source in error messages, e.g. a file name
     * @throws InvalidInputException if the text is not one valid JSON value
     */
    public static Object parse(String text, String what) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), text)) {
            if (parser.nextToken() == null) {
                throw new InvalidInputException(what + ": empty JSON document");
            }
            Object value = read(parser);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new InvalidInputException(what + ": content after the JSON value: " + trailing);
            }
            return value;
        } catch (JacksonException e) {
            String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            throw new InvalidInputException(what + ": not valid JSON: " + message.replaceAll("\\s+", " ").trim());
        }
    }

    /**
     * Parses a document that must be a JSON object.
     *
     * @throws InvalidInputException if it is not
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text, String what) {
        Object value = parse(text, what);
        if (!(value instanceof Map)) {
            throw new InvalidInputException(what + ": not a JSON object");
        }
        return (Map<String, Object>) value;
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
}
