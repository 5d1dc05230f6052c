package io.nnrmtsvd.cli;

/** The process exit codes every command uses. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int OTHER_ERROR = 1;
    public static final int BAD_INPUT = 2;
    public static final int DIVERGED = 3;

    private ExitCodes() {
    }
}
