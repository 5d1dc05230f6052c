package io.nnrmtsvd.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The header of a {@code .npy} file: a Python dict literal with exactly the keys {@code descr} (a
 * string), {@code fortran_order} (True or False) and {@code shape} (a tuple of non-negative
 * integers), as written by {@code numpy.lib.format}. Parsed strictly by hand: nothing else is
 * evaluated or accepted.
 *
 * @param descr the dtype string, such as {@code "<f8"}
 * @param fortranOrder whether the data is stored column-major
 * @param shape the dimensions
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {
    /** The most dimensions accepted: NumPy's own limit. */
    static final int MAX_RANK = 64;
    /** Runs of more digits than this are rejected without copying them whole. */
    private static final int MAX_DIGITS = 40;

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a one-line description of the first problem
     */
    static NpyHeader parse(String text) {
        return new Parser(text).header();
    }

    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        NpyHeader header() {
            expect('{');
            String descr = null;
            Boolean fortran = null;
            long[] shape = null;
            Set<String> seen = new HashSet<>();
            while (!peekIs('}')) {
                String key = string();
                if (!seen.add(key)) {
                    throw problem("duplicate key '" + InvalidInputException.printable(key) + "'");
                }
                expect(':');
                switch (key) {
                    case "descr" -> descr = string();
                    case "fortran_order" -> fortran = bool();
                    case "shape" -> shape = tuple();
                    default -> throw problem("unexpected key '" + InvalidInputException.printable(key) + "'");
                }
                if (!peekIs('}')) {
                    expect(',');
                }
            }
            expect('}');
            skipSpace();
            if (at != text.length()) {
                throw problem("unexpected text after the dict");
            }
            if (descr == null || fortran == null || shape == null) {
                throw problem("missing key '" + (descr == null ? "descr" : fortran == null ? "fortran_order" : "shape")
                        + "'");
            }
            return new NpyHeader(descr, fortran, shape);
        }

        private String string() {
            skipSpace();
            char quote = at < text.length() ? text.charAt(at) : 0;
            if (quote != '\'' && quote != '"') {
                throw problem("expected a quoted string");
            }
            int end = text.indexOf(quote, at + 1);
            if (end < 0) {
                throw problem("unterminated string");
            }
            String value = text.substring(at + 1, end);
            if (value.indexOf('\\') >= 0) {
                throw problem("escape sequences are not supported");
            }
            at = end + 1;
            return value;
        }

        private boolean bool() {
            skipSpace();
            if (text.startsWith("True", at)) {
                at += 4;
                return true;
            }
            if (text.startsWith("False", at)) {
                at += 5;
                return false;
            }
            throw problem("expected True or False");
        }

        private long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            boolean comma = true;
            while (!peekIs(')')) {
                if (!comma) {
                    throw problem("expected ',' or ')' in the shape");
                }
                if (dims.size() == MAX_RANK) {
                    throw problem("more than " + MAX_RANK + " dimensions");
                }
                dims.add(integer());
                comma = peekIs(',');
                if (comma) {
                    at++;
                }
            }
            expect(')');
            if (dims.size() == 1 && !comma) {
                throw problem("a one-element tuple needs a trailing comma");
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private long integer() {
            skipSpace();
            int start = at;
            while (at < text.length() && Character.isDigit(text.charAt(at)) && text.charAt(at) < 128) {
                at++;
            }
            if (at == start) {
                throw problem("expected a non-negative integer");
            }
            if (at - start > MAX_DIGITS) {
                throw problem("dimension " + text.substring(start, start + 20) + "... (" + (at - start)
                        + " digits) is too large");
            }
            String digits = text.substring(start, at);
            if (at < text.length() && text.charAt(at) == 'L') {
                at++; // Python 2 long literal
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw problem("dimension " + digits + " is too large");
            }
        }

        private void expect(char c) {
            if (!peekIs(c)) {
                throw problem("expected '" + c + "'");
            }
            at++;
        }

        private boolean peekIs(char c) {
            skipSpace();
            return at < text.length() && text.charAt(at) == c;
        }

        private void skipSpace() {
            while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\n')) {
                at++;
            }
        }

        private IllegalArgumentException problem(String what) {
            return new IllegalArgumentException(what + " at character " + at);
        }
    }
}
