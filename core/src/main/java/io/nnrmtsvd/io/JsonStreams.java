package io.nnrmtsvd.io;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;

/**
 * JSON read by jackson's streaming parser straight from a range of an open file, decoded strictly
 * as UTF-8 a few kilobytes at a time (never held whole), with one way of reporting what goes
 * wrong: text that is not UTF-8 (naming the first bad byte) or not valid JSON, in one line naming
 * the file.
 */
final class JsonStreams {
    private JsonStreams() {
    }

    /** Reads the document from a parser positioned before its first token. */
    @FunctionalInterface
    interface Reading {
        void read(JsonParser parser);
    }

    /**
     * Runs {@code reading} over bytes {@code [from, from + length)} of {@code channel}.
     *
     * @param what names that part of the file in messages, e.g. "header " (or "" for the whole file)
     * @throws InvalidInputException naming {@code file} if the bytes are not UTF-8 or not valid
     *     JSON within {@code json}'s constraints, and whatever {@code reading} throws
     * @throws IOException if the file cannot be read
     */
    static void read(JsonFactory json, FileChannel channel, Path file, long from, long length, String what,
            Reading reading) throws IOException {
        // a decoder of our own reports malformed input instead of replacing it
        InputStreamReader text = new InputStreamReader(BinaryReads.stream(channel, file, from, length),
                StandardCharsets.UTF_8.newDecoder());
        try (JsonParser parser = json.createParser(ObjectReadContext.empty(), text)) {
            reading.read(parser);
        } catch (JacksonException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw notUtf8(channel, file, what, from, length);
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw InvalidInputException.inFile(file, what + "not valid JSON: " + describe(e));
        }
    }

    /** The bytes read again to name the first bad one: only a failing input pays for this. */
    private static InvalidInputException notUtf8(FileChannel channel, Path file, String what, long from, long length)
            throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate((int) length);
        BinaryReads.readFully(channel, file, bytes, from);
        int bad = Math.max(0, InputFiles.firstMalformedUtf8(bytes.array(), 0, (int) length));
        return InvalidInputException.inFile(file, what + "not valid UTF-8 text (bad byte sequence at byte "
                + (from + bad) + ")");
    }

    private static String describe(JacksonException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        String shown = InvalidInputException.printable(message.replaceAll("\\s+", " ").trim());
        TokenStreamLocation at = e.getLocation();
        return at == null || at.getCharOffset() < 0 ? shown : shown + " (at character " + at.getCharOffset() + ")";
    }
}
