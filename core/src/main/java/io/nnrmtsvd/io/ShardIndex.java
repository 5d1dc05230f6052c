package io.nnrmtsvd.io;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;

/**
 * The index of a sharded checkpoint in either format ({@link CheckpointFormat}), {@code {"metadata":
 * {...}, "weight_map": {tensor name: shard file name}}}, read with jackson's streaming parser as it is decoded from the file, a few
 * kilobytes at a time: the weight map goes straight into one hash
 * map from name to shard number (each shard's name and number made once), so memory follows the
 * index's size and every look-up takes constant time.
 *
 * <p>It is as strict as {@link Json}: duplicate keys anywhere are errors. Everything but the
 * weight map (the metadata, and keys this reader does not use, which it checks and ignores) may
 * take at most {@value #MAX_OTHER_CHARS} characters under at most {@value #MAX_TOP_LEVEL_KEYS}
 * top-level keys, and is checked by {@link Json#parse}; real indexes hold a few numbers there.
 */
final class ShardIndex {
    /** The most characters of the index's JSON outside the weight map. */
    static final int MAX_OTHER_CHARS = 1 << 16;
    /** The most keys of the top-level object. */
    static final int MAX_TOP_LEVEL_KEYS = 64;
    /**
     * The most shard files an index may name. Each costs about 150 bytes here, however short its
     * entry, so that a weight map giving every tensor a shard of its own costs a bounded amount
     * (the largest checkpoints published have a few hundred shards).
     */
    static final int MAX_SHARDS = 10_000;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(Json.MAX_DOCUMENT_BYTES)
                    .maxNestingDepth(32)
                    .maxNumberLength(64)
                    .build())
            // duplicate keys are found below; tensor names are unique, so a symbol table would
            // only hold a second copy of each
            .disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES)
            .build();

    private final Path file;
    private final CheckpointFormat format;
    private final Map<String, Integer> shardOfTensor = new HashMap<>();
    private final Map<String, Integer> numberOfShard = new HashMap<>();
    private final List<String> shardNames = new ArrayList<>();
    private final List<String> firstTensors = new ArrayList<>();
    private int[] tensorCounts = new int[4];
    private Map<String, Object> metadata = new LinkedHashMap<>();
    private final Set<String> topLevelKeys = new HashSet<>();
    private int otherChars;

    private ShardIndex(Path file, CheckpointFormat format) {
        this.file = file;
        this.format = format;
    }

    /**
     * Reads and checks the index {@code file}.
     *
     * @throws InvalidInputException naming the file if it is not a regular file of at most
     *     {@link Json#MAX_DOCUMENT_BYTES} bytes of UTF-8 JSON of that form, with at least one
     *     tensor, each mapped to a shard's file name of the format in the same directory
     */
    static ShardIndex read(Path file, CheckpointFormat format) {
        InputFiles.requireRegularFile(file);
        ShardIndex index = new ShardIndex(file, format);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Json.MAX_DOCUMENT_BYTES) {
                throw InvalidInputException.inFile(file, "larger than " + Json.MAX_DOCUMENT_BYTES + " bytes");
            }
            JsonStreams.read(JSON, channel, file, 0, size, "", index::parseRoot);
        } catch (IOException e) {
            throw InvalidInputException.unreadable(file, e);
        }
        if (!index.topLevelKeys.contains("weight_map")) {
            throw InvalidInputException.inFile(file, "no \"weight_map\"");
        }
        if (index.shardOfTensor.isEmpty()) {
            throw InvalidInputException.inFile(file, "\"weight_map\" names no tensor");
        }
        return index;
    }

    /** The index's {@code "metadata"} object; empty if it has none or it is null. */
    Map<String, Object> metadata() {
        return metadata;
    }

    /** How many shard files the weight map names. */
    int shardCount() {
        return shardNames.size();
    }

    /** The file name of shard {@code number}. */
    String shardName(int number) {
        return shardNames.get(number);
    }

    /** Shard numbers ordered by file name. */
    int[] shardsByName() {
        Integer[] order = new Integer[shardNames.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparing(shardNames::get));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /** The number of the shard that holds {@code tensor}, or -1 if the index does not name it. */
    int shardOf(String tensor) {
        Integer shard = shardOfTensor.get(tensor);
        return shard == null ? -1 : shard;
    }

    /** How many tensors the index maps to shard {@code number}. */
    int tensorCount(int number) {
        return tensorCounts[number];
    }

    /** The first tensor the index maps to shard {@code number}, for messages. */
    String firstTensor(int number) {
        return firstTensors.get(number);
    }

    /** A tensor the index maps to shard {@code number} that {@code shard} lacks, or null; linear time. */
    String missingFrom(int number, TensorFile shard) {
        for (Map.Entry<String, Integer> e : shardOfTensor.entrySet()) {
            if (e.getValue() == number && !shard.contains(e.getKey())) {
                return e.getKey();
            }
        }
        return null;
    }

    private void parseRoot(JsonParser parser) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw InvalidInputException.inFile(file, "not a JSON object");
        }
        for (String key = parser.nextName(); key != null; key = parser.nextName()) {
            if (!topLevelKeys.add(key)) {
                throw InvalidInputException.inFile(file, "key \"" + InvalidInputException.printable(key) + "\" appears twice");
            }
            if (topLevelKeys.size() > MAX_TOP_LEVEL_KEYS) {
                throw InvalidInputException.inFile(file, "more than " + MAX_TOP_LEVEL_KEYS + " top-level keys");
            }
            JsonToken value = parser.nextToken();
            if (key.equals("weight_map")) {
                parseWeightMap(parser, value);
            } else {
                Object parsed = parseOther(parser, key);
                if (key.equals("metadata") && parsed != null) {
                    if (!(parsed instanceof Map)) {
                        throw InvalidInputException.inFile(file, "\"metadata\" is not a JSON object");
                    }
                    metadata = JsonFields.object(parsed, "\"metadata\"");
                }
            }
        }
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw InvalidInputException.inFile(file, "content after the JSON document: " + trailing);
        }
    }

    /**
     * A top-level value other than the weight map: copied as JSON text, which may not make the
     * text outside the weight map longer than {@link #MAX_OTHER_CHARS}, then parsed strictly
     * (duplicate keys included) by {@link Json#parse}.
     */
    private Object parseOther(JsonParser parser, String key) {
        BoundedText text = new BoundedText(MAX_OTHER_CHARS - otherChars);
        try (JsonGenerator copy = JSON.createGenerator(ObjectWriteContext.empty(), text)) {
            copy.copyCurrentStructure(parser);
        }
        otherChars += text.length();
        return Json.parse(text.toString(), file + ": \"" + InvalidInputException.printable(key) + "\"");
    }

    /** A writer that collects text and refuses to collect more than its limit. */
    private final class BoundedText extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final int limit;

        BoundedText(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            if (text.length() + length > limit) {
                throw InvalidInputException.inFile(file, "more than " + MAX_OTHER_CHARS
                        + " characters of JSON outside \"weight_map\"");
            }
            text.append(chars, offset, length);
        }

        int length() {
            return text.length();
        }

        @Override
        public String toString() {
            return text.toString();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private void parseWeightMap(JsonParser parser, JsonToken value) {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            throw InvalidInputException.inFile(file, "\"weight_map\" is not a JSON object");
        }
        String shardName = null;
        Integer shard = null;
        for (String tensor = parser.nextName(); tensor != null; tensor = parser.nextName()) {
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw InvalidInputException.inFile(file, "the shard of tensor \"" + InvalidInputException.printable(tensor)
                        + "\" is not a string");
            }
            if (shardName == null || !sameText(parser, shardName)) {
                shardName = parser.getString();
                shard = shardNumber(shardName, tensor);
            }
            if (shardOfTensor.putIfAbsent(tensor, shard) != null) {
                throw InvalidInputException.inFile(file, "tensor \"" + InvalidInputException.printable(tensor)
                        + "\" appears twice in \"weight_map\"");
            }
            tensorCounts[shard]++;
        }
    }

    /** Whether the current string token is {@code text}; makes no String (entries of one shard come in runs). */
    private static boolean sameText(JsonParser parser, String text) {
        int length = parser.getStringLength();
        if (length != text.length()) {
            return false;
        }
        char[] chars = parser.getStringCharacters();
        int offset = parser.getStringOffset();
        for (int i = 0; i < length; i++) {
            if (chars[offset + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The number of shard {@code name}, checked and numbered when first seen (for {@code tensor}). */
    private Integer shardNumber(String name, String tensor) {
        Integer number = numberOfShard.get(name);
        if (number != null) {
            return number;
        }
        if (!format.isShardName(name)) {
            throw InvalidInputException.inFile(file, "shard \"" + InvalidInputException.printable(name) + "\" of tensor \""
                    + InvalidInputException.printable(tensor) + "\" is not a " + format.endings()
                    + " file name in the checkpoint's directory");
        }
        number = shardNames.size();
        if (number == MAX_SHARDS) {
            throw InvalidInputException.inFile(file, "names more than " + MAX_SHARDS + " shard files");
        }
        numberOfShard.put(name, number);
        shardNames.add(name);
        firstTensors.add(tensor);
        if (number == tensorCounts.length) {
            tensorCounts = Arrays.copyOf(tensorCounts, 2 * number);
        }
        return number;
    }
}
