package io.nnrmtsvd.cli;

import io.nnrmtsvd.data.Dataset;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which data set a command uses and where it is cached. */
final class DataOptions {
    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Data set: mnist or fashion-mnist (default: ${DEFAULT-VALUE}).")
    String dataset = "mnist";

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where data sets are cached (default: $RMTSVD_DATA if set, else ~/.cache/nn-rmt-svd).")
    Path dataDir;

    /** Loads (fetching on first use) the chosen data set. */
    Dataset load() {
        return load(dataset);
    }

    /** Loads (fetching on first use) the data set {@code name} from the chosen cache. */
    Dataset load(String name) {
        return Dataset.load(name, dataDir, Progress::log);
    }
}
