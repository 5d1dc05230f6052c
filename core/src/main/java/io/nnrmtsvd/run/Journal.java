package io.nnrmtsvd.run;

import io.nnrmtsvd.io.AtomicFiles;
import io.nnrmtsvd.io.InputFiles;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The journal of a long analysis, kept inside its run directory: {@value #SETTINGS} records the
 * input and settings, a results file ({@value #TENSORS} unless named otherwise) gets one JSON row
 * per finished item (a tensor, a training run), each with a unique {@code "name"}, as soon as the
 * item is done, so an interrupted run can be resumed without redoing finished items. A last line cut off by the
 * interruption (no newline) is dropped on resume; the settings of a resumed run must equal the
 * recorded ones. Not thread-safe: one writer at a time.
 */
public final class Journal implements AutoCloseable {
    /** The settings file. */
    public static final String SETTINGS = "run.json";
    /** The results file, JSON lines. */
    public static final String TENSORS = "tensors.jsonl";
    /** The largest results file read back: what one array holds. */
    private static final long MAX_TENSORS_BYTES = Integer.MAX_VALUE - 8;

    private final Path dir;
    private final Path results;
    private final Map<String, Map<String, Object>> finished;
    private final FileChannel out;

    private Journal(Path dir, Path results, Map<String, Map<String, Object>> finished, FileChannel out) {
        this.dir = dir;
        this.results = results;
        this.finished = finished;
        this.out = out;
    }

    /**
     * Starts a new journal in {@code dir}, creating it if needed.
     *
     * @param settings what the run depends on (input, options); plain JSON values
     * @throws InvalidInputException if {@code dir} already holds a run
     */
    public static Journal create(Path dir, Map<String, Object> settings) {
        return create(dir, settings, TENSORS);
    }

    /**
     * Starts a new journal in {@code dir} whose rows go to the file {@code resultsFile}.
     *
     * @throws InvalidInputException if {@code dir} already holds a run
     */
    public static Journal create(Path dir, Map<String, Object> settings, String resultsFile) {
        if (Files.exists(dir.resolve(resultsFile)) || Files.exists(dir.resolve(SETTINGS))) {
            throw new InvalidInputException(dir + ": already holds a run; continue it with --resume " + dir
                    + " or choose another --run-dir");
        }
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve(SETTINGS),
                    o -> o.write((Json.toString(settings, true) + "\n").getBytes(StandardCharsets.UTF_8)));
            return new Journal(dir, dir.resolve(resultsFile), new LinkedHashMap<>(),
                    openForAppend(dir.resolve(resultsFile)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reopens the journal in {@code dir} to continue its run.
     *
     * @param rowCheck checks each row read back, throwing an IllegalArgumentException for a bad one
     * @throws InvalidInputException if there is no run there, its settings differ from
     *     {@code settings}, or a line of its results is not valid JSON or fails {@code rowCheck}
     */
    public static Journal resume(Path dir, Map<String, Object> settings,
                                 UnaryOperator<Map<String, Object>> rowCheck) {
        return resume(dir, settings, TENSORS, rowCheck);
    }

    /**
     * Reads the settings recorded in the run directory {@code dir}, e.g. to resume a run with them.
     *
     * @throws InvalidInputException if there is no run there or its settings file is not a JSON object
     */
    public static Map<String, Object> settingsIn(Path dir) {
        Path settingsFile = dir.resolve(SETTINGS);
        if (!Files.exists(settingsFile, LinkOption.NOFOLLOW_LINKS)) { // anything else there is refused by name
            throw new InvalidInputException("--resume " + dir + ": no " + SETTINGS + " there, not a run directory");
        }
        return Json.parseObject(InputFiles.readString(settingsFile, Json.MAX_DOCUMENT_BYTES), settingsFile.toString());
    }

    /**
     * Reopens the journal in {@code dir}, whose rows are in {@code resultsFile}, to continue its run.
     *
     * @throws InvalidInputException as {@link #resume(Path, Map, UnaryOperator)}
     */
    public static Journal resume(Path dir, Map<String, Object> settings, String resultsFile,
                                 UnaryOperator<Map<String, Object>> rowCheck) {
        Map<String, Object> recorded = settingsIn(dir);
        try {
            Map<String, Object> now = Json.parseObject(Json.toString(settings, false), "settings");
            for (String key : union(recorded, now)) {
                if (!Objects.equals(recorded.get(key), now.get(key))) {
                    throw new InvalidInputException("--resume " + dir + ": the run used " + key + " = "
                            + recorded.get(key) + ", this command has " + now.get(key));
                }
            }
            Path tensors = dir.resolve(resultsFile);
            Map<String, Map<String, Object>> finished = new LinkedHashMap<>();
            if (Files.exists(tensors, LinkOption.NOFOLLOW_LINKS)) {
                readFinished(tensors, finished, rowCheck);
            }
            return new Journal(dir, tensors, finished, openForAppend(tensors));
        } catch (IOException e) {
            throw InvalidInputException.unreadable(dir, e);
        }
    }

    private static Set<String> union(Map<String, Object> a, Map<String, Object> b) {
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    /** Reads complete lines and cuts a trailing partial line off the file. */
    private static void readFinished(Path tensors, Map<String, Map<String, Object>> finished,
                                     UnaryOperator<Map<String, Object>> rowCheck) throws IOException {
        byte[] bytes = InputFiles.readBytes(tensors, MAX_TENSORS_BYTES);
        int complete = bytes.length;
        while (complete > 0 && bytes[complete - 1] != '\n') {
            complete--;
        }
        if (complete < bytes.length) {
            try (FileChannel ch = FileChannel.open(tensors, StandardOpenOption.WRITE)) {
                ch.truncate(complete);
            }
        }
        String text = InputFiles.decodeUtf8(tensors, bytes, complete);
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> row = Json.parseObject(line, tensors + " line " + lineNumber);
            try {
                rowCheck.apply(row);
            } catch (IllegalArgumentException e) {
                throw InvalidInputException.inFile(tensors, "line " + lineNumber + ": " + e.getMessage());
            }
            if (!(row.get("name") instanceof String name)) {
                throw InvalidInputException.inFile(tensors, "line " + lineNumber + " has no \"name\"");
            }
            finished.put(name, row);
        }
    }

    private static FileChannel openForAppend(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** Rows of items finished by earlier attempts, by name, in file order. Unmodifiable. */
    public Map<String, Map<String, Object>> finished() {
        return Collections.unmodifiableMap(finished);
    }

    /** Appends one row as a line and forces it to disk. */
    public void append(Map<String, Object> row) {
        byte[] line = (Json.toString(row, false) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + results + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
