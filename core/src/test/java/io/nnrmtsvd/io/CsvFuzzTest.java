package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link CsvFiles#read}: mutations of valid files in every layout the reader accepts
 * (commas, spaces, tabs, header lines, comments, blank lines, CRLF, nan and inf), and files built
 * line by line with flaws chosen at random (ragged rows, empty fields, words, huge exponents and
 * digit runs, control characters, invalid UTF-8, byte order marks). See {@link FuzzHarness}.
 *
 * <p>The allocation bound for text is {@value #FACTOR} × the file size + the harness's slack.
 * Text costs more per byte than binary data: every line becomes a String of its own (a 2-byte
 * line "1\n" costs about 40 bytes of String, an empty line 24), and every value 8 bytes in an
 * array that doubles as it grows and is copied to its final length at the end (about 24 bytes
 * per value in all). Measured: about 36 bytes per byte for a file of one-digit lines, the worst
 * case found.
 */
class CsvFuzzTest {
    static final long FACTOR = 64;
    private static final long SEED = 0xC5FL;
    private static final int INPUTS_PER_CLASS = 5_000;

    private static final List<String> TOKENS = List.of(",", ",,", " ", "\t", "\n", "\r\n", "\r", "#", "nan", "-inf",
            "Infinity", "1e999", "1e-999", "-0", ".", "e", "+", "--1", "0x1p3", "1_000", "\u00e9", "\ufeff", "\u0000",
            "\u000b", "\u0085", "\u2028", "\u0660", "NaN", "9".repeat(400));

    @TempDir
    Path dir;

    private static void check(DMatrix m, byte[] input) {
        assertTrue(m.rows() >= 1 && m.cols() >= 1, m.rows() + "x" + m.cols());
        assertEquals((long) m.rows() * m.cols(), m.data().length);
        assertTrue(m.data().length <= input.length / 2 + 1, "no more values than the text can hold");
    }

    private static String format(double v, SplittableRandom rng) {
        return switch (rng.nextInt(8)) {
            case 0 -> String.format("%.3e", v);
            case 1 -> Long.toString(Math.round(v * 100));
            case 2 -> new String[] {"nan", "inf", "-inf", "NaN", "-Infinity", "+inf"}[rng.nextInt(6)];
            default -> Double.toString(v);
        };
    }

    private static String valid(SplittableRandom rng) {
        int rows = 1 + rng.nextInt(6);
        int cols = 1 + rng.nextInt(6);
        String separator = new String[] {",", ", ", " ", "\t", "  \t "}[rng.nextInt(5)];
        String newline = rng.nextInt(4) == 0 ? "\r\n" : "\n";
        StringBuilder s = new StringBuilder();
        if (rng.nextBoolean()) {
            s.append("# a comment").append(newline);
        }
        if (rng.nextBoolean()) {
            List<String> names = new ArrayList<>();
            for (int j = 0; j < cols; j++) {
                names.add("col" + j);
            }
            s.append(String.join(separator, names)).append(newline);
        }
        for (int i = 0; i < rows; i++) {
            List<String> fields = new ArrayList<>();
            for (int j = 0; j < cols; j++) {
                fields.add(format(rng.nextGaussian() * 10, rng));
            }
            s.append(String.join(separator, fields)).append(newline);
            if (rng.nextInt(5) == 0) {
                s.append(newline);
            }
        }
        return s.toString();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyInputParsesConsistentlyOrFailsCleanly(TestReporter reporter) throws Exception {
        SplittableRandom seedRng = new SplittableRandom(SEED);
        List<byte[]> seeds = new ArrayList<>();
        for (int s = 0; s < 16; s++) {
            seeds.add(valid(seedRng).getBytes(StandardCharsets.UTF_8));
        }
        new FuzzHarness("csv", dir.resolve("fuzz.csv"), FACTOR).fuzz(reporter, SEED, seeds, TOKENS,
                CsvFuzzTest::structured, INPUTS_PER_CLASS, CsvFiles::read, CsvFuzzTest::check);
    }

    /** Files far larger than the fuzz inputs, valid and not, to check that the bound is linear. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void largeInputsStayWithinTheBound(TestReporter reporter) throws IOException {
        Path file = dir.resolve("large.csv");
        FuzzHarness harness = new FuzzHarness("csv (large)", file, FACTOR);
        int n = 1 << 17; // 256 KiB inputs: large enough to measure the factor, well inside 1 s on a busy machine
        String[] inputs = {
            "1,".repeat(n) + "1\n",
            "1\n".repeat(n),
            "1 ".repeat(n) + "\n",
            "9".repeat(2 * n) + "\n",
            "x".repeat(2 * n) + "\n",
            "1,2\n".repeat(n / 2) + "1\n",
            "\u00e9".repeat(n) + "\n",
            "#".repeat(2 * n),
            "\n".repeat(2 * n),
        };
        for (String text : inputs) {
            byte[] input = text.getBytes(StandardCharsets.UTF_8);
            harness.run("large input of " + input.length + " bytes", input, CsvFiles::read, CsvFuzzTest::check);
        }
        harness.finish(reporter, inputs.length);
    }

    /**
     * The reader scans fields by hand; this is the split-and-regex reading it replaced (kept as the
     * specification), and both must agree on every generated input: the same values, or the same
     * message.
     */
    @Test
    void agreesWithTheRegularExpressionReading() throws IOException {
        Path file = dir.resolve("same.csv");
        Mutator mutator = new Mutator(TOKENS);
        for (int i = 0; i < 3_000; i++) {
            SplittableRandom rng = Mutator.random(SEED + 2, i);
            byte[] input = i % 2 == 0 ? structured(rng, new StringBuilder())
                    : mutator.mutate(valid(rng).getBytes(StandardCharsets.UTF_8), rng).bytes();
            Files.write(file, input);
            String expected = outcome(() -> reference(file));
            String actual = outcome(() -> CsvFiles.read(file));
            assertEquals(expected, actual, "input #" + i + ": " + new String(input, StandardCharsets.UTF_8));
        }
    }

    private static String outcome(java.util.function.Supplier<DMatrix> read) {
        try {
            DMatrix m = read.get();
            return m.rows() + "x" + m.cols() + " " + java.util.Arrays.toString(m.data());
        } catch (InvalidInputException e) {
            return "rejected: " + e.getMessage().replaceAll("\\\\u[0-9a-f]{4}", "?");
        }
    }

    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private static DMatrix reference(Path path) {
        int lineNumber = 0;
        try (java.io.BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            List<Double> values = new ArrayList<>();
            int cols = -1;
            int firstRowLine = 0;
            boolean firstContentLine = true;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] fields = trimmed.indexOf(',') >= 0 ? trimmed.split(",", -1) : trimmed.split("[ \\t]+");
                if (firstContentLine) {
                    firstContentLine = false;
                    if (java.util.Arrays.stream(fields).noneMatch(f -> referenceValue(f.strip()) != null)) {
                        continue;
                    }
                }
                if (cols < 0) {
                    cols = fields.length;
                    firstRowLine = lineNumber;
                } else if (fields.length != cols) {
                    throw InvalidInputException.inFile(path, "line " + lineNumber + " has " + fields.length
                            + " values but line " + firstRowLine + " has " + cols);
                }
                for (int j = 0; j < cols; j++) {
                    String field = fields[j].strip();
                    Double value = referenceValue(field);
                    if (value == null) {
                        throw InvalidInputException.inFile(path, "line " + lineNumber + ", column " + (j + 1) + ": "
                                + (field.isEmpty() ? "empty field" : "'" + InvalidInputException.printable(
                                        field.length() <= 40 ? field : field.substring(0, 40)) + (field.length() <= 40
                                        ? "" : "...") + "' is not a number"));
                    }
                    values.add(value);
                }
            }
            if (cols < 0) {
                throw InvalidInputException.inFile(path, "no numeric rows");
            }
            return DMatrix.wrap(values.size() / cols, cols, values.stream().mapToDouble(Double::doubleValue).toArray());
        } catch (java.nio.charset.CharacterCodingException e) {
            throw InvalidInputException.inFile(path, "not valid UTF-8 text (near line " + (lineNumber + 1) + ")");
        } catch (IOException e) {
            throw InvalidInputException.unreadable(path, e);
        }
    }

    private static Double referenceValue(String field) {
        if (DECIMAL.matcher(field).matches()) {
            return Double.parseDouble(field);
        }
        String unsigned = field.startsWith("+") || field.startsWith("-") ? field.substring(1) : field;
        if (unsigned.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        if (unsigned.equalsIgnoreCase("inf") || unsigned.equalsIgnoreCase("infinity")) {
            return field.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return null;
    }

    private static boolean flaw(SplittableRandom rng, StringBuilder label, String what) {
        if (rng.nextInt(60) == 0) {
            label.append(' ').append(what);
            return true;
        }
        return false;
    }

    private static final String[] BAD_FIELDS = {"", "abc", "1.2.3", "1e", "--1", "0x10", "1,5", "\u0000", "1\u000b",
        "\u0661", "nanx", "infinity!", "9".repeat(2000), "1e99999", "1e-99999", "\u00a01", "\u2028"};

    private static byte[] structured(SplittableRandom rng, StringBuilder label) {
        int rows = 1 + rng.nextInt(8);
        int cols = 1 + rng.nextInt(8);
        String separator = rng.nextBoolean() ? "," : rng.nextBoolean() ? " " : "\t";
        StringBuilder s = new StringBuilder();
        if (flaw(rng, label, "bom")) {
            s.append('\ufeff');
        }
        for (int i = 0; i < rows; i++) {
            int n = flaw(rng, label, "ragged") ? Math.max(1, cols + rng.nextInt(3) - 1) : cols;
            List<String> fields = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                fields.add(flaw(rng, label, "bad-field") ? BAD_FIELDS[rng.nextInt(BAD_FIELDS.length)]
                        : format(rng.nextGaussian(), rng));
            }
            s.append(String.join(separator, fields));
            s.append(flaw(rng, label, "newline") ? new String[] {"\r", "\u0085", "\u2028", "\f"}[rng.nextInt(4)]
                    : "\n");
        }
        byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
        if (flaw(rng, label, "invalid-utf8")) {
            byte[][] bad = {{(byte) 0xc3, 0x28}, {(byte) 0xff}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xe2}};
            bytes = Mutator.splice(bytes, rng.nextInt(bytes.length + 1), 0, bad[rng.nextInt(bad.length)]);
        }
        return bytes;
    }
}
