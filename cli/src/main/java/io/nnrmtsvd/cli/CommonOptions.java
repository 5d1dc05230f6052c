package io.nnrmtsvd.cli;

import io.nnrmtsvd.linalg.OpenBlas;
import picocli.CommandLine.Option;

/** Options every command takes. */
public final class CommonOptions {
    @Option(names = "--json", description = "Print one JSON document on stdout (progress and logs go to stderr).")
    boolean json;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Option(names = "--threads", paramLabel = "N",
            description = "BLAS threads (default: all ${sys:rmtsvd.cores} cores).")
    Integer threads;

    static {
        System.setProperty("rmtsvd.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    /** Applies {@code --threads} (or all cores) to BLAS and returns the count in use. */
    int applyThreads() {
        return applyThreads(Runtime.getRuntime().availableProcessors());
    }

    /** Applies {@code --threads}, or else {@code otherwise}, to BLAS and returns the count in use. */
    int applyThreads(int otherwise) {
        int n = threads == null ? otherwise : threads;
        if (n < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        }
        OpenBlas.setThreads(n);
        return n;
    }
}
