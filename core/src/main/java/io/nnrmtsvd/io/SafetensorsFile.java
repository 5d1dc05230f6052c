package io.nnrmtsvd.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;

/**
 * An open safetensors file: the header is parsed and fully validated when the file is opened,
 * tensor data is read on demand, one tensor at a time, so memory stays at the size of the
 * tensor asked for however large the file is.
 *
 * <p>The format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON mapping each
 * tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (plus an optional
 * {@code "__metadata__"} object of strings), then the data section holding each tensor's
 * little-endian, C-order bytes at its offsets. Opening checks that the header is at most
 * {@value #MAX_HEADER_BYTES} bytes and fits in the file, is strict JSON without duplicate keys or
 * trailing content, names known dtypes, that shapes have at most {@value #MAX_RANK} dimensions,
 * that each tensor's byte range matches its shape, and that the tensors neither overlap nor leave
 * gaps and cover the data section exactly. Nothing is allocated beyond what the file actually
 * holds. Every problem is reported as an {@link InvalidInputException} naming the file.
 *
 * <p>Reads are positional, so one open file may be read from several threads.
 */
public final class SafetensorsFile implements Closeable {
    /** The largest header accepted, in bytes (the limit of the reference implementation). */
    public static final long MAX_HEADER_BYTES = 100_000_000;

    /**
     * The most dimensions a tensor may have: NumPy's limit. Without one, a header of n bytes could
     * declare n / 2 dimensions and cost 4 bytes of memory per header byte, twice over.
     */
    public static final int MAX_RANK = 64;

    static final String METADATA_KEY = "__metadata__";

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(MAX_HEADER_BYTES)
                    .maxNestingDepth(8)
                    .maxNumberLength(20)
                    .maxStringLength((int) MAX_HEADER_BYTES)
                    .maxNameLength((int) MAX_HEADER_BYTES)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final Map<String, TensorInfo> tensors;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, String> metadata,
            Map<String, TensorInfo> tensors) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /**
     * Opens {@code path} and validates its header.
     *
     * @throws InvalidInputException if the file cannot be read or is not a valid safetensors file
     */
    public static SafetensorsFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw InvalidInputException.unreadable(path, e);
        }
        try {
            return readHeader(path, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw InvalidInputException.unreadable(path, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static SafetensorsFile readHeader(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < Long.BYTES) {
            throw InvalidInputException.inFile(path, "not a safetensors file: only " + size
                    + " bytes, fewer than the 8-byte header length");
        }
        ByteBuffer lengthField = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        BinaryReads.readFully(channel, path, lengthField, 0);
        long headerLength = lengthField.getLong(0);
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw InvalidInputException.inFile(path, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLength > size - Long.BYTES) {
            throw InvalidInputException.inFile(path, "truncated: header length is " + headerLength
                    + " bytes but only " + (size - Long.BYTES) + " bytes follow it");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        BinaryReads.readFully(channel, path, headerBytes, Long.BYTES);
        headerBytes.flip();
        CharBuffer header = decodeUtf8(path, headerBytes);
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        // parsed from the decoded chars in place: no String copy of a header that may be 100 MB
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), header.array(), header.arrayOffset(),
                header.remaining())) {
            parseRoot(path, parser, metadata, tensors);
        } catch (JacksonException e) {
            throw InvalidInputException.inFile(path, "header is not valid JSON: " + describe(e));
        }
        long dataStart = Long.BYTES + headerLength;
        checkLayout(path, tensors.values(), size - dataStart);
        return new SafetensorsFile(path, channel, dataStart, metadata, tensors);
    }

    private static CharBuffer decodeUtf8(Path path, ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(bytes); // a new decoder reports bad input
        } catch (CharacterCodingException e) {
            throw InvalidInputException.inFile(path, "header is not valid UTF-8 (bad byte sequence near byte "
                    + (Long.BYTES + bytes.position()) + ")");
        }
    }

    private static String describe(JacksonException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        String oneLine = message.replaceAll("\\s+", " ").trim();
        TokenStreamLocation at = e.getLocation();
        String shown = InvalidInputException.printable(oneLine);
        return at == null ? shown : shown + " (at character " + at.getCharOffset() + ")";
    }

    private static void parseRoot(Path path, JsonParser parser, Map<String, String> metadata,
            Map<String, TensorInfo> tensors) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw InvalidInputException.inFile(path, "header is not a JSON object");
        }
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String name = parser.currentName();
            parser.nextToken();
            if (METADATA_KEY.equals(name)) {
                parseMetadata(path, parser, metadata);
            } else {
                tensors.put(name, parseTensor(path, parser, name));
            }
        }
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw InvalidInputException.inFile(path, "header has content after its JSON object: " + trailing);
        }
    }

    private static void parseMetadata(Path path, JsonParser parser, Map<String, String> metadata) {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw InvalidInputException.inFile(path, "\"" + METADATA_KEY + "\" is not a JSON object");
        }
        while (parser.nextToken() != JsonToken.END_OBJECT) {
            String key = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw InvalidInputException.inFile(path, "metadata value of \"" + InvalidInputException.printable(key)
                        + "\" is not a string");
            }
            metadata.put(key, parser.getString());
        }
    }

    private static TensorInfo parseTensor(Path path, JsonParser parser, String name) {
        String where = "tensor \"" + InvalidInputException.printable(name) + "\"";
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw InvalidInputException.inFile(path, where + " is not a JSON object");
        }
        Dtype dtype = null;
        long[] shape = null;
        long[] offsets = null;
        while (parser.nextToken() != JsonToken.END_OBJECT) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (key) {
                case "dtype" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw InvalidInputException.inFile(path, where + ": dtype is not a string");
                    }
                    String dtypeName = parser.getString();
                    dtype = Dtype.fromName(dtypeName).orElseThrow(() -> InvalidInputException.inFile(path,
                            where + ": unknown dtype \"" + InvalidInputException.printable(dtypeName)
                                    + "\" (known: " + Dtype.knownNames() + ")"));
                }
                case "shape" -> shape = parseIntegers(path, parser, where + ": shape", MAX_RANK);
                case "data_offsets" -> {
                    offsets = parseIntegers(path, parser, where + ": data_offsets", MAX_RANK);
                    if (offsets.length != 2) {
                        throw InvalidInputException.inFile(path, where + ": data_offsets must hold 2 numbers, not "
                                + offsets.length);
                    }
                }
                default -> throw InvalidInputException.inFile(path, where + ": unknown key \""
                        + InvalidInputException.printable(key) + "\"");
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            String missing = dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets";
            throw InvalidInputException.inFile(path, where + ": missing \"" + missing + "\"");
        }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    /** A JSON array of at most {@code limit} non-negative integers that fit in a long. */
    private static long[] parseIntegers(Path path, JsonParser parser, String what, int limit) {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw InvalidInputException.inFile(path, what + " is not a JSON array");
        }
        long[] values = new long[limit];
        int count = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (count == limit) {
                throw InvalidInputException.inFile(path, what + " holds more than " + limit + " numbers");
            }
            if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw InvalidInputException.inFile(path, what + " holds "
                        + InvalidInputException.printable(parser.getString()) + ", not an integer in the range of a long");
            }
            long value = parser.getLongValue();
            if (value < 0) {
                throw InvalidInputException.inFile(path, what + " holds the negative number " + value);
            }
            values[count++] = value;
        }
        return Arrays.copyOf(values, count);
    }

    private static void checkLayout(Path path, Iterable<TensorInfo> tensors, long dataLength) {
        List<TensorInfo> byOffset = new ArrayList<>();
        for (TensorInfo t : tensors) {
            String where = "tensor \"" + InvalidInputException.printable(t.name()) + "\"";
            if (t.end() < t.begin()) {
                throw InvalidInputException.inFile(path, where + ": data_offsets [" + t.begin() + ", " + t.end()
                        + "] end before they begin");
            }
            long count = t.elementCount();
            if (count < 0 || count > Long.MAX_VALUE / t.dtype().byteSize()) {
                throw InvalidInputException.inFile(path, where + ": shape is too large");
            }
            long needed = count * t.dtype().byteSize();
            if (needed != t.byteLength()) {
                throw InvalidInputException.inFile(path, where + ": " + t.dtype() + " shape "
                        + Arrays.toString(t.shape()) + " needs " + needed + " bytes but data_offsets ["
                        + t.begin() + ", " + t.end() + "] span " + t.byteLength());
            }
            if (t.end() > dataLength) {
                throw InvalidInputException.inFile(path, where + ": data_offsets [" + t.begin() + ", " + t.end()
                        + "] run past the end of the " + dataLength + "-byte data section (file truncated?)");
            }
            byOffset.add(t);
        }
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : byOffset) {
            if (t.begin() < covered) {
                throw InvalidInputException.inFile(path, "tensors \"" + InvalidInputException.printable(previous.name())
                        + "\" and \"" + InvalidInputException.printable(t.name()) + "\" overlap");
            }
            if (t.begin() > covered) {
                throw InvalidInputException.inFile(path, "bytes [" + covered + ", " + t.begin()
                        + ") of the data section belong to no tensor");
            }
            covered = t.end();
            previous = t;
        }
        if (covered != dataLength) {
            throw InvalidInputException.inFile(path, (dataLength - covered)
                    + " bytes of trailing data after the last tensor");
        }
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** The {@code __metadata__} entries in header order; empty if there were none. Unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** All tensors in header order. */
    public List<TensorInfo> tensors() {
        return List.copyOf(tensors.values());
    }

    /**
     * The tensor called {@code name}.
     *
     * @throws InvalidInputException if there is none
     */
    public TensorInfo tensor(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw InvalidInputException.inFile(path, "no tensor named \"" + InvalidInputException.printable(name) + "\"");
        }
        return t;
    }

    /** Byte offset of the data section in the file (8 plus the header length). */
    public long dataStart() {
        return dataStart;
    }

    /**
     * The values of a floating-point tensor in C order, converted to float: F16 and BF16 exactly,
     * F64 rounded to nearest.
     *
     * @throws InvalidInputException if there is no such tensor, its dtype is not F64, F32, F16 or
     *     BF16, it has more elements than a Java array holds, or the file has become unreadable
     */
    public float[] readFloats(String name) {
        TensorInfo t = analysable(name);
        float[] out = new float[arrayLength(t)];
        readElements(t, (chunk, from, count) -> BinaryReads.decodeFloats(t.dtype(), chunk, out, from, count));
        return out;
    }

    /**
     * The values of a floating-point tensor in C order, converted exactly to double.
     *
     * @throws InvalidInputException as for {@link #readFloats(String)}
     */
    public double[] readDoubles(String name) {
        TensorInfo t = analysable(name);
        double[] out = new double[arrayLength(t)];
        readElements(t, (chunk, from, count) -> BinaryReads.decodeDoubles(t.dtype(), chunk, out, from, count));
        return out;
    }

    /**
     * The raw little-endian bytes of any tensor.
     *
     * @throws InvalidInputException if there is no such tensor, it exceeds a Java array, or the
     *     file has become unreadable
     */
    public byte[] readBytes(String name) {
        TensorInfo t = tensor(name);
        if (t.byteLength() > Integer.MAX_VALUE - 8) {
            throw InvalidInputException.inFile(path, "tensor \"" + InvalidInputException.printable(name) + "\" has " + t.byteLength()
                    + " bytes, too many for one array");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) t.byteLength());
        try {
            BinaryReads.readFully(channel, path, bytes, dataStart + t.begin());
        } catch (IOException e) {
            throw InvalidInputException.unreadable(path, e);
        }
        return bytes.array();
    }

    /**
     * Copies the raw bytes of any tensor to {@code out} without holding them in memory.
     *
     * @param out receives exactly {@link TensorInfo#byteLength()} bytes; modified
     * @throws IOException if writing to {@code out} fails
     * @throws InvalidInputException if there is no such tensor or the file has become shorter
     */
    public void transferTo(String name, WritableByteChannel out) throws IOException {
        TensorInfo t = tensor(name);
        long position = dataStart + t.begin();
        long end = dataStart + t.end();
        while (position < end) {
            long n = channel.transferTo(position, end - position, out);
            if (n == 0 && channel.size() < end) {
                throw InvalidInputException.inFile(path, "truncated: file ends at byte " + channel.size()
                        + " inside tensor \"" + InvalidInputException.printable(name) + "\"");
            }
            position += n;
        }
    }

    private TensorInfo analysable(String name) {
        TensorInfo t = tensor(name);
        if (!t.dtype().isAnalysable()) {
            throw InvalidInputException.inFile(path, "tensor \"" + InvalidInputException.printable(name) + "\" has dtype " + t.dtype()
                    + ", which is unsupported for analysis (only F64, F32, F16 and BF16 are)");
        }
        return t;
    }

    private int arrayLength(TensorInfo t) {
        long count = t.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw InvalidInputException.inFile(path, "tensor \"" + InvalidInputException.printable(t.name()) + "\" has " + count
                    + " elements, too many for one array");
        }
        return (int) count;
    }

    private void readElements(TensorInfo t, BinaryReads.ChunkDecoder decoder) {
        try {
            BinaryReads.readChunks(channel, path, dataStart + t.begin(), (int) t.elementCount(), t.dtype().byteSize(),
                    ByteOrder.LITTLE_ENDIAN, decoder);
        } catch (IOException e) {
            throw InvalidInputException.unreadable(path, e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the open failed already; that error is the one to report
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + tensors.size() + " tensors]";
    }
}
