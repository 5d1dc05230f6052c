package io.nnrmtsvd.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where data sets are kept: an explicit directory if one is given, else the directory named by
 * the environment variable {@value #ENVIRONMENT_VARIABLE}, else {@code ~/.cache/nn-rmt-svd}.
 */
public final class DataDirectory {
    /** Environment variable naming the data directory. */
    public static final String ENVIRONMENT_VARIABLE = "RMTSVD_DATA";

    private DataDirectory() {
    }

    /** The data directory for this process's environment and home directory. */
    public static Path resolve(Path explicit) {
        return resolve(explicit, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * The data directory: {@code explicit} if not null, else the non-empty value of {@value
     * #ENVIRONMENT_VARIABLE} in {@code environment}, else {@code home/.cache/nn-rmt-svd}.
     */
    public static Path resolve(Path explicit, Map<String, String> environment, Path home) {
        if (explicit != null) {
            return explicit;
        }
        String configured = environment.get(ENVIRONMENT_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return home.resolve(".cache").resolve("nn-rmt-svd");
    }
}
