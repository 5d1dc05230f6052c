package io.nnrmtsvd.cli;

import io.nnrmtsvd.data.DatasetSplits;
import io.nnrmtsvd.data.Datasets;
import io.nnrmtsvd.data.LabeledImages;
import io.nnrmtsvd.nn.Examples;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which data set a command uses and where it is cached. */
final class DataOptions {
    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Data set: mnist or fashion-mnist (default: ${DEFAULT-VALUE}).")
    String dataset = "mnist";

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data cache directory (default: $RMTSVD_DATA or ~/.cache/nn-rmt-svd).")
    Path dataDir;

    /** Loads (fetching on first use) the chosen data set. */
    LoadedData load() {
        return load(dataset, dataDir);
    }

    static LoadedData load(String name, Path dataDir) {
        DatasetSplits splits = Datasets.load(name, dataDir, Progress::log);
        return new LoadedData(name, examples(splits.train()), examples(splits.test()),
                splits.train().numClasses());
    }

    private static Examples examples(LabeledImages images) {
        return new Examples(images.pixels(), images.labels(), images.features());
    }
}
