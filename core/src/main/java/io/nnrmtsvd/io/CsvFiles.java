package io.nnrmtsvd.io;

import io.nnrmtsvd.linalg.DMatrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Numeric matrices in delimited text: one row per line, values separated by commas (a line with
 * a comma is split at commas) or else by runs of spaces and tabs. Blank lines and lines starting
 * with {@code #} are skipped; the first remaining line is skipped as a header if none of its
 * fields is a number. Numbers are decimal ({@code 1}, {@code -2.5}, {@code 3e-4}) or {@code nan},
 * {@code inf}, {@code -inf} in any case. Every row must have the same number of values; every
 * problem is an {@link InvalidInputException} naming the file and the line.
 */
public final class CsvFiles {
    private CsvFiles() {
    }

    /**
     * Reads the matrix in {@code path}.
     *
     * @throws InvalidInputException if the file cannot be read, is not UTF-8 text, holds no rows,
     *     has rows of different lengths or a field that is not a number
     */
    public static DMatrix read(Path path) {
        InputFiles.requireRegularFile(path);
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
                if (trimmed.isEmpty() || trimmed.charAt(0) == '#') {
                    continue;
                }
                // fields are scanned in place: no array of substrings, no regular expressions
                boolean commas = trimmed.indexOf(',') >= 0;
                if (firstContentLine) {
                    firstContentLine = false;
                    if (!anyNumber(trimmed, commas)) {
                        continue;
                    }
                }
                int fields = countFields(trimmed, commas);
                if (cols < 0) {
                    cols = fields;
                    firstRowLine = lineNumber;
                } else if (fields != cols) {
                    throw InvalidInputException.inFile(path, "line " + lineNumber + " has " + fields
                            + " values but line " + firstRowLine + " has " + cols);
                }
                if (count > Integer.MAX_VALUE - 8 - cols) {
                    throw InvalidInputException.inFile(path, "too many values for one matrix at line " + lineNumber);
                }
                if (count + cols > values.length) {
                    values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8,
                            Math.max(count + cols, 2L * values.length)));
                }
                int start = 0;
                for (int j = 0; j < cols; j++) {
                    int end = fieldEnd(trimmed, start, commas);
                    int from = stripStart(trimmed, start, end);
                    int to = stripEnd(trimmed, from, end);
                    if (!isNumber(trimmed, from, to)) {
                        throw InvalidInputException.inFile(path, "line " + lineNumber + ", column " + (j + 1) + ": "
                                + (from == to ? "empty field" : "'" + shown(trimmed, from, to) + "' is not a number"));
                    }
                    values[count++] = value(trimmed, from, to);
                    start = nextField(trimmed, end, commas);
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

    /*
     * A line holds no whitespace at either end. With commas, fields lie between commas (and may be
     * empty); without, they are the runs of characters other than spaces and tabs. Each field is
     * then stripped of whitespace at both ends.
     */

    private static int countFields(String line, boolean commas) {
        int fields = 1;
        for (int start = fieldEnd(line, 0, commas); start < line.length(); start = fieldEnd(line, start, commas)) {
            start = nextField(line, start, commas);
            fields++;
        }
        return fields;
    }

    private static boolean anyNumber(String line, boolean commas) {
        for (int start = 0; ; ) {
            int end = fieldEnd(line, start, commas);
            int from = stripStart(line, start, end);
            if (isNumber(line, from, stripEnd(line, from, end))) {
                return true;
            }
            if (end == line.length()) {
                return false;
            }
            start = nextField(line, end, commas);
        }
    }

    /** The end of the field starting at {@code start}. */
    private static int fieldEnd(String line, int start, boolean commas) {
        if (commas) {
            int comma = line.indexOf(',', start);
            return comma < 0 ? line.length() : comma;
        }
        int end = start;
        while (end < line.length() && !isBlank(line.charAt(end))) {
            end++;
        }
        return end;
    }

    /** The start of the field after the one ending at {@code end}. */
    private static int nextField(String line, int end, boolean commas) {
        if (commas) {
            return end + 1;
        }
        int next = end;
        while (next < line.length() && isBlank(line.charAt(next))) {
            next++;
        }
        return next;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static int stripStart(String line, int from, int to) {
        while (from < to && Character.isWhitespace(line.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int stripEnd(String line, int from, int to) {
        while (to > from && Character.isWhitespace(line.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    /**
     * Whether {@code line[from, to)} is a number: decimal ({@code [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?}
     * with ASCII digits d), or nan, inf or infinity in any case, optionally signed.
     */
    private static boolean isNumber(String line, int from, int to) {
        return isDecimal(line, from, to) || special(line, from, to) != 0;
    }

    private static boolean isDecimal(String s, int from, int to) {
        int i = skipSign(s, from, to);
        int whole = digits(s, i, to);
        i += whole;
        if (i < to && s.charAt(i) == '.') {
            i++;
            int fraction = digits(s, i, to);
            i += fraction;
            if (whole == 0 && fraction == 0) {
                return false;
            }
        } else if (whole == 0) {
            return false;
        }
        if (i < to && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i = skipSign(s, i + 1, to);
            int exponent = digits(s, i, to);
            if (exponent == 0) {
                return false;
            }
            i += exponent;
        }
        return i == to;
    }

    private static int skipSign(String s, int i, int to) {
        return i < to && (s.charAt(i) == '+' || s.charAt(i) == '-') ? i + 1 : i;
    }

    private static int digits(String s, int from, int to) {
        int i = from;
        while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }

    /** 1 for nan, 2 for +inf, 3 for -inf (case-insensitive, optionally signed), else 0. */
    private static int special(String s, int from, int to) {
        int at = skipSign(s, from, to);
        int length = to - at;
        if (length == 3 && s.regionMatches(true, at, "nan", 0, 3)) {
            return 1;
        }
        if ((length == 3 && s.regionMatches(true, at, "inf", 0, 3))
                || (length == 8 && s.regionMatches(true, at, "infinity", 0, 8))) {
            return at > from && s.charAt(from) == '-' ? 3 : 2;
        }
        return 0;
    }

    /** The value of a field that {@link #isNumber} accepts. */
    private static double value(String s, int from, int to) {
        switch (special(s, from, to)) {
            case 1:
                return Double.NaN;
            case 2:
                return Double.POSITIVE_INFINITY;
            case 3:
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        int at = skipSign(s, from, to);
        if (to - at <= 15 && digits(s, at, to) == to - at) {
            // an integer of at most 15 digits is exact in a double: no substring, no decimal conversion
            long magnitude = 0;
            for (int i = at; i < to; i++) {
                magnitude = magnitude * 10 + (s.charAt(i) - '0');
            }
            return s.charAt(from) == '-' ? -(double) magnitude : magnitude;
        }
        return Double.parseDouble(s.substring(from, to));
    }

    /** A field for a message: at most 40 characters, escaped. */
    private static String shown(String s, int from, int to) {
        return to - from <= 40 ? InvalidInputException.printable(s.substring(from, to))
                : InvalidInputException.printable(s.substring(from, from + 40)) + "...";
    }
}
