package io.nnrmtsvd.io;

/**
 * The one way text from a file (a tensor or shard name, a key, a field) or any text bound for a
 * terminal is made safe to show: control characters, line and paragraph separators, format
 * characters and lone surrogates become escapes (a backslash, {@code u} and four hex digits), so a
 * file cannot move the cursor, change colours, ring the bell, set a window title or break a line
 * in a message or a table.
 */
public final class Printable {
    /** A name is cut to this many characters, then "...". */
    public static final int NAME_CHARS = 100;

    private Printable() {
    }

    /** A name or field from a file, escaped and cut to {@value #NAME_CHARS} characters. */
    public static String name(String text) {
        return escape(text, NAME_CHARS, false);
    }

    /**
     * Text for a terminal, escaped but not cut; line feeds and tabs are kept when {@code lines}, so
     * a table or a stack trace stays readable.
     */
    public static String text(CharSequence text, boolean lines) {
        return escape(text, Integer.MAX_VALUE, lines);
    }

    private static String escape(CharSequence text, int limit, boolean lines) {
        StringBuilder s = new StringBuilder(Math.min(text.length(), limit) + 3);
        for (int i = 0; i < text.length(); i++) {
            if (i == limit) {
                return s.append("...").toString();
            }
            char c = text.charAt(i);
            if (unsafe(c) && !(lines && (c == '\n' || c == '\t'))) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    /** Whether showing {@code c} raw could change what a terminal or a log shows beyond the text itself. */
    private static boolean unsafe(char c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.FORMAT || type == Character.SURROGATE;
    }
}
