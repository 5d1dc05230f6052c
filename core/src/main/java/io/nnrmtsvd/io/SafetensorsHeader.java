package io.nnrmtsvd.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

/**
 * A safetensors header, parsed and validated in one pass of jackson's streaming parser straight
 * into a {@link TensorTable}: no tree of maps, no String for the keys {@code dtype},
 * {@code shape} and {@code data_offsets} when they come in the usual order, equal shapes shared,
 * so memory follows the header's size (see SECURITY.md for the bound).
 *
 * <p>Duplicate keys are caught here rather than by jackson, whose check allocates a hash set for
 * every object of three keys or more, that is for every tensor: a duplicate tensor name, a second
 * {@code __metadata__}, a repeated metadata key or a repeated field of a tensor is an error. Keys
 * other than the tensor fields are errors too, so no part of the header goes unchecked.
 */
final class SafetensorsHeader {
    /**
     * The most {@code __metadata__} entries accepted. Each costs about a hundred bytes of memory
     * however short, so without a limit a header of tiny entries would cost ten times its size.
     */
    static final int MAX_METADATA_ENTRIES = 16_384;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(SafetensorsFile.MAX_HEADER_BYTES)
                    .maxNestingDepth(8)
                    .maxNumberLength(20)
                    .maxStringLength((int) SafetensorsFile.MAX_HEADER_BYTES)
                    .maxNameLength((int) SafetensorsFile.MAX_HEADER_BYTES)
                    .build())
            // tensor names are unique: a symbol table would only hold a second copy of each
            .disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES)
            .build();
    private static final SerializableString[] FIELDS = {
        new SerializedString("dtype"), new SerializedString("shape"), new SerializedString("data_offsets")};
    private static final long[] SCALAR = {};
    private static final int RECENT_SHAPES = 8;

    private final Path path;
    private final long dataLength;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private boolean metadataSeen;
    private final TensorTable tensors = new TensorTable();
    private final long[] numbers = new long[SafetensorsFile.MAX_RANK];
    private final long[][] recentShapes = new long[RECENT_SHAPES][];
    private int nextRecent;

    private SafetensorsHeader(Path path, long dataLength) {
        this.path = path;
        this.dataLength = dataLength;
    }

    /**
     * Parses the {@code length} bytes of JSON after the 8-byte length field of {@code channel},
     * a file whose data section holds {@code dataLength} bytes, and checks every tensor against
     * it. The header is decoded as it is read, a few kilobytes at a time, never held whole.
     *
     * @throws InvalidInputException naming {@code path} if the header is not valid UTF-8, not
     *     strict JSON of the format, or its tensors do not tile the data section exactly
     * @throws IOException if the file cannot be read
     */
    static SafetensorsHeader parse(Path path, FileChannel channel, long length, long dataLength) throws IOException {
        SafetensorsHeader h = new SafetensorsHeader(path, dataLength);
        JsonStreams.read(JSON, channel, path, Long.BYTES, length, "header is ", h::parseRoot);
        h.tensors.checkTiling(path, dataLength);
        return h;
    }

    /** The {@code __metadata__} entries in header order. Unmodifiable. */
    Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    TensorTable tensors() {
        return tensors;
    }

    private InvalidInputException error(String problem) {
        return InvalidInputException.inFile(path, problem);
    }

    private static String tensor(String name) {
        return "tensor \"" + InvalidInputException.printable(name) + "\"";
    }

    private void parseRoot(JsonParser parser) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw error("header is not a JSON object");
        }
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken value = parser.nextToken();
            if (SafetensorsFile.METADATA_KEY.equals(name)) {
                parseMetadata(parser, value);
            } else if (!tensors.add(parseTensor(parser, value, name))) {
                throw error(tensor(name) + " appears twice");
            }
        }
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw error("header has content after its JSON object: " + trailing);
        }
    }

    /** An object of strings, or null (as the reference implementation allows) for none. */
    private void parseMetadata(JsonParser parser, JsonToken value) {
        if (metadataSeen) {
            throw error("\"" + SafetensorsFile.METADATA_KEY + "\" appears twice");
        }
        metadataSeen = true;
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            throw error("\"" + SafetensorsFile.METADATA_KEY + "\" is not a JSON object");
        }
        for (String key = parser.nextName(); key != null; key = parser.nextName()) {
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw error("metadata value of \"" + InvalidInputException.printable(key) + "\" is not a string");
            }
            if (metadata.size() == MAX_METADATA_ENTRIES) {
                throw error("more than " + MAX_METADATA_ENTRIES + " metadata entries");
            }
            if (metadata.putIfAbsent(key, parser.getString()) != null) {
                throw error("metadata key \"" + InvalidInputException.printable(key) + "\" appears twice");
            }
        }
    }

    private TensorInfo parseTensor(JsonParser parser, JsonToken value, String name) {
        if (value != JsonToken.START_OBJECT) {
            throw error(tensor(name) + " is not a JSON object");
        }
        Dtype dtype = null;
        long[] shape = null;
        boolean hasOffsets = false;
        long begin = 0;
        long end = 0;
        for (int i = 0; ; i++) {
            String key = nextKey(parser, FIELDS[i % FIELDS.length]);
            if (key == null) {
                break;
            }
            JsonToken token = parser.nextToken();
            boolean repeated;
            switch (key) {
                case "dtype" -> {
                    repeated = dtype != null;
                    dtype = dtype(parser, token, name);
                }
                case "shape" -> {
                    repeated = shape != null;
                    shape = shape(integers(parser, token, name, "shape"));
                }
                case "data_offsets" -> {
                    repeated = hasOffsets;
                    int count = integers(parser, token, name, "data_offsets");
                    if (count != 2) {
                        throw error(tensor(name) + ": data_offsets must hold 2 numbers, not " + count);
                    }
                    begin = numbers[0];
                    end = numbers[1];
                    hasOffsets = true;
                }
                default -> throw error(tensor(name) + ": unknown key \"" + InvalidInputException.printable(key) + "\"");
            }
            if (repeated) {
                throw error(tensor(name) + ": \"" + key + "\" appears twice");
            }
        }
        if (dtype == null || shape == null || !hasOffsets) {
            String missing = dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets";
            throw error(tensor(name) + ": missing \"" + missing + "\"");
        }
        TensorInfo t = TensorInfo.sharingShape(name, dtype, shape, begin, end);
        checkRange(t);
        return t;
    }

    /**
     * The next key of an object, without making a String for it when it is {@code expected}; null
     * at the end of the object.
     */
    private static String nextKey(JsonParser parser, SerializableString expected) {
        if (parser.nextName(expected)) {
            return expected.getValue();
        }
        return parser.currentToken() == JsonToken.PROPERTY_NAME ? parser.currentName() : null;
    }

    private Dtype dtype(JsonParser parser, JsonToken token, String name) {
        if (token != JsonToken.VALUE_STRING) {
            throw error(tensor(name) + ": dtype is not a string");
        }
        Dtype dtype = Dtype.named(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength());
        if (dtype == null) {
            throw error(tensor(name) + ": unknown dtype \"" + InvalidInputException.printable(parser.getString())
                    + "\" (known: " + Dtype.knownNames() + ")");
        }
        return dtype;
    }

    /**
     * Reads a JSON array of at most {@link SafetensorsFile#MAX_RANK} non-negative integers that
     * fit in a long into {@link #numbers}; returns how many there were.
     */
    private int integers(JsonParser parser, JsonToken token, String name, String field) {
        if (token != JsonToken.START_ARRAY) {
            throw error(tensor(name) + ": " + field + " is not a JSON array");
        }
        int count = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (count == numbers.length) {
                throw error(tensor(name) + ": " + field + " holds more than " + numbers.length + " numbers");
            }
            if (t != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw error(tensor(name) + ": " + field + " holds " + InvalidInputException.printable(parser.getString())
                        + ", not an integer in the range of a long");
            }
            long value = parser.getLongValue();
            if (value < 0) {
                throw error(tensor(name) + ": " + field + " holds the negative number " + value);
            }
            numbers[count++] = value;
        }
        return count;
    }

    /**
     * The first {@code rank} {@link #numbers} as a shape: the array of a recent tensor with the
     * same shape if there is one (a checkpoint repeats a few shapes layer after layer), else a new one.
     */
    private long[] shape(int rank) {
        if (rank == 0) {
            return SCALAR;
        }
        for (long[] recent : recentShapes) {
            if (recent != null && Arrays.equals(recent, 0, recent.length, numbers, 0, rank)) {
                return recent;
            }
        }
        long[] shape = Arrays.copyOf(numbers, rank);
        recentShapes[nextRecent] = shape;
        nextRecent = (nextRecent + 1) % RECENT_SHAPES;
        return shape;
    }

    /** Checks that the tensor's offsets are ordered, match its dtype and shape, and lie in the data section. */
    private void checkRange(TensorInfo t) {
        if (t.end() < t.begin()) {
            throw error(tensor(t.name()) + ": data_offsets [" + t.begin() + ", " + t.end() + "] end before they begin");
        }
        long count = t.elementCount();
        long needed = count < 0 ? -1 : t.dtype().byteLength(count);
        if (needed < 0) {
            boolean overflow = count < 0 || count > Long.MAX_VALUE / t.dtype().bitSize();
            throw error(tensor(t.name()) + ": " + (overflow ? "shape is too large" : t.dtype() + " shape "
                    + Arrays.toString(t.shape()) + " holds " + count * t.dtype().bitSize()
                    + " bits, not a whole number of bytes"));
        }
        if (needed != t.byteLength()) {
            throw error(tensor(t.name()) + ": " + t.dtype() + " shape " + Arrays.toString(t.shape()) + " needs "
                    + needed + " bytes but data_offsets [" + t.begin() + ", " + t.end() + "] span " + t.byteLength());
        }
        if (t.end() > dataLength) {
            throw error(tensor(t.name()) + ": data_offsets [" + t.begin() + ", " + t.end()
                    + "] run past the end of the " + dataLength + "-byte data section (file truncated?)");
        }
    }
}
