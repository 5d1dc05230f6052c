package io.nnrmtsvd.cli;

import io.nnrmtsvd.linalg.OpenBlas;
import picocli.CommandLine.Option;

/** The BLAS threads of a command that computes with OpenBLAS. */
final class ThreadOptions {
    @Option(names = "--threads", paramLabel = "N",
            description = "BLAS threads (default: all ${sys:rmtsvd.cores} cores).")
    Integer threads;

    /** Applies {@code --threads} (or all cores) to BLAS and returns the count in use. */
    int apply() {
        return apply(Runtime.getRuntime().availableProcessors());
    }

    /** Applies {@code --threads}, or else {@code otherwise}, to BLAS and returns the count in use. */
    int apply(int otherwise) {
        int n = threads == null ? otherwise : threads;
        if (n < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        }
        OpenBlas.setThreads(n);
        return n;
    }
}
