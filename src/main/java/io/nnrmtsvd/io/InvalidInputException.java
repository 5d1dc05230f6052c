package io.nnrmtsvd.io;

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
}
