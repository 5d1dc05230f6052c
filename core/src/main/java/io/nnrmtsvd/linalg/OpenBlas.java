package io.nnrmtsvd.linalg;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.global.openblas_full;

/** Loads native OpenBLAS once and exposes its thread count and the kernel it runs. */
public final class OpenBlas {
    private static volatile boolean loaded;

    private OpenBlas() {
    }

    /** Loads the native library (idempotent, thread-safe). */
    public static void ensureLoaded() {
        if (!loaded) {
            synchronized (OpenBlas.class) {
                if (!loaded) {
                    Loader.load(openblas.class);
                    Loader.load(openblas_full.class);
                    loaded = true;
                }
            }
        }
    }

    /**
     * Sets the number of threads BLAS and LAPACK use for every later call in this process.
     *
     * @param threads at least 1
     */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        ensureLoaded();
        openblas_full.openblas_set_num_threads(threads);
    }

    /** The number of threads BLAS uses now. */
    public static int threads() {
        ensureLoaded();
        return openblas_full.openblas_get_num_threads();
    }

    /** The name of the CPU kernel OpenBLAS selected, e.g. {@code Haswell} or {@code Cooperlake}. */
    public static String coreName() {
        ensureLoaded();
        return openblas_full.openblas_get_corename().getString().trim();
    }
}
