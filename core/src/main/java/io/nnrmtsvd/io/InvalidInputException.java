package io.nnrmtsvd.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Bad input from outside the program: a malformed or truncated file, a missing data set, an
 * argument that cannot be honoured. Its message is one line meant for the user; the command line
 * prints it and exits with code 2.
 */
public class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int SHOWN_CHARS = 100;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A problem with the content of {@code file}: the message reads "{@code file: problem}". */
    public static InvalidInputException inFile(Path file, String problem) {
        return new InvalidInputException(file + ": " + problem);
    }

    /**
     * Text taken from an input file (a tensor name, a key, a field), made fit for a one-line
     * message: control characters, line and paragraph separators, format characters and lone
     * surrogates are written as escapes (a backslash, {@code u} and four hex digits), and text longer than {@value #SHOWN_CHARS}
     * characters is cut short with "...".
     */
    public static String printable(String text) {
        StringBuilder s = new StringBuilder(Math.min(text.length(), SHOWN_CHARS + 3));
        for (int i = 0; i < text.length(); i++) {
            if (i == SHOWN_CHARS) {
                return s.append("...").toString();
            }
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.FORMAT || type == Character.SURROGATE) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    /** {@code file} could not be opened or read; the message names the file and the reason. */
    public static InvalidInputException unreadable(Path file, IOException cause) {
        String reason;
        if (cause instanceof NoSuchFileException) {
            reason = "no such file";
        } else if (cause instanceof AccessDeniedException) {
            reason = "permission denied";
        } else {
            reason = "cannot read (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")";
        }
        return new InvalidInputException(file + ": " + reason, cause);
    }
}
