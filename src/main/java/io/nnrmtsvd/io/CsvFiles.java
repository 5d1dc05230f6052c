package io.nnrmtsvd.io;

import io.nnrmtsvd.linalg.DMatrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Numeric matrices in delimited text: one row per line, values separated by commas (a line with
 * a comma is split at commas) or else by runs of spaces and tabs. Blank lines and lines starting
 * with {@code #} are skipped; the first remaining line is skipped as a header if none of its
 * fields is a number. Numbers are decimal ({@code 1}, {@code -2.5}, {@code 3e-4}) or {@code nan},
 * {@code inf}, {@code -inf} in any case. Every row must have the same number of values; every
 * problem is an {@link InvalidInputException} naming the file and the line.
 */
public final class CsvFiles {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern WHITESPACE = Pattern.compile("[ \\t]+");

    private CsvFiles() {
    }

    /**
     * Reads the matrix in {@code path}.
     *
     * @throws InvalidInputException if the file cannot be read, is not UTF-8 text, holds no rows,
     *     has rows of different lengths or a field that is not a number
     */
    public static DMatrix read(Path path) {
        int lineNumber = 0;
        // unlike an InputStreamReader given a charset, this reader reports malformed input
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            double[] values = new double[64];
            int count = 0;
            int cols = -1;
            int firstRowLine = 0;
            boolean firstContentLine = true;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] fields = trimmed.indexOf(',') >= 0 ? trimmed.split(",", -1) : WHITESPACE.split(trimmed);
                if (firstContentLine) {
                    firstContentLine = false;
                    if (Arrays.stream(fields).noneMatch(f -> parse(f.strip()) != null)) {
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
                if (count > Integer.MAX_VALUE - 8 - cols) {
                    throw InvalidInputException.inFile(path, "too many values for one matrix at line " + lineNumber);
                }
                if (count + cols > values.length) {
                    values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8,
                            Math.max(count + cols, 2L * values.length)));
                }
                for (int j = 0; j < cols; j++) {
                    String field = fields[j].strip();
                    Double value = parse(field);
                    if (value == null) {
                        throw InvalidInputException.inFile(path, "line " + lineNumber + ", column " + (j + 1) + ": "
                                + (field.isEmpty() ? "empty field" : "'" + abbreviate(field) + "' is not a number"));
                    }
                    values[count++] = value;
                }
            }
            if (cols < 0) {
                throw InvalidInputException.inFile(path, "no numeric rows");
            }
            return DMatrix.wrap(count / cols, cols, Arrays.copyOf(values, count));
        } catch (CharacterCodingException e) {
            throw InvalidInputException.inFile(path, "not valid UTF-8 text (near line " + (lineNumber + 1) + ")");
        } catch (IOException e) {
            throw InvalidInputException.unreadable(path, e);
        }
    }

    /** The number {@code field} denotes, or null if it is not one. */
    private static Double parse(String field) {
        if (DECIMAL.matcher(field).matches()) {
            return Double.parseDouble(field);
        }
        String unsigned = field.startsWith("+") || field.startsWith("-") ? field.substring(1) : field;
        boolean negative = field.startsWith("-");
        if (unsigned.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        if (unsigned.equalsIgnoreCase("inf") || unsigned.equalsIgnoreCase("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return null;
    }

    private static String abbreviate(String field) {
        return field.length() <= 40 ? field : field.substring(0, 40) + "...";
    }
}
