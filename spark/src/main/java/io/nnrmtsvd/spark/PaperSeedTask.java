package io.nnrmtsvd.spark;

import io.nnrmtsvd.codec.PaperJson;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.experiment.PaperExperiment;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.nn.BatchListener;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One seed of {@code experiment paper}'s Experiment A as sent to an executor: the settings its
 * variants run with and their runs, as JSON ({@link PaperJson}), so that the executor computes
 * exactly what a local run would. The data set is loaded on the executor from the driver's data
 * directory (or the executor's default), once per executor JVM.
 */
final class PaperSeedTask implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Data sets already loaded in this executor, by name and directory. */
    private static final Map<String, Dataset> LOADED = new ConcurrentHashMap<>();

    private final String settingsJson;
    private final String dataset;
    private final long seed;
    private final String dataDir;

    PaperSeedTask(PaperExperiment.Settings settings, String dataset, long seed, Path dataDir) {
        this.settingsJson = Json.toString(PaperJson.seedSettings(settings), false);
        this.dataset = dataset;
        this.seed = seed;
        this.dataDir = dataDir == null ? null : dataDir.toAbsolutePath().toString();
    }

    /** Runs on an executor; the seed's runs as JSON, in the settings' order of variants. */
    String run() {
        PaperExperiment.Settings settings = PaperJson.seedSettingsFromJson(Json.parse(settingsJson, "settings"));
        Consumer<String> log = line -> System.err.println("rmtsvd executor: " + line);
        Dataset data = LOADED.computeIfAbsent(dataset + "\n" + dataDir,
                key -> Dataset.load(dataset, dataDir == null ? null : Path.of(dataDir), log));
        data.checkWidths(settings.widths());
        OpenBlas.setThreads(1);
        Map<?, PaperExperiment.VariantRun> runs = PaperExperiment.runSeed(settings, seed, data.train(), data.test(),
                new PaperExperiment.Listener(log, BatchListener.NONE));
        List<Object> json = runs.values().stream().map(r -> (Object) PaperJson.run(r)).toList();
        return Json.toString(json, false);
    }
}
