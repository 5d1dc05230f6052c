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

    /** Text taken from an input file, made fit for a one-line message: {@link Printable#name}. */
    public static String printable(String text) {
        return Printable.name(text);
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
