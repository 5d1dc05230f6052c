package io.nnrmtsvd.spark;

import io.nnrmtsvd.codec.OverfitJson;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.experiment.OverfitExperiment;
import io.nnrmtsvd.experiment.Variant;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.linalg.OpenBlas;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One job of an overfit experiment as sent to an executor: the settings, the prune run it follows
 * (if any) and the result, all as the journal's JSON ({@link OverfitJson}), so that the executor's
 * run is exactly what a local job would compute. The data set is loaded on the executor from the
 * driver's data directory (or the executor's default), once per executor JVM.
 */
final class OverfitTask implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Data sets already loaded and prepared in this executor, by settings and directory. */
    private static final Map<String, Dataset> PREPARED = new ConcurrentHashMap<>();

    private final String settingsJson;
    private final long seed;
    private final String variant;
    private final String dataDir;
    private final String pruneJson;

    OverfitTask(OverfitExperiment.Settings settings, long seed, Variant variant, Path dataDir,
                Optional<OverfitExperiment.Run> prune) {
        this.settingsJson = Json.toString(OverfitJson.settings(settings), false);
        this.seed = seed;
        this.variant = variant.name();
        this.dataDir = dataDir == null ? null : dataDir.toAbsolutePath().toString();
        this.pruneJson = prune.map(r -> Json.toString(OverfitJson.run(r), false)).orElse(null);
    }

    /** Runs on an executor; the run as the journal's JSON. */
    String run() {
        OverfitExperiment.Settings settings = OverfitJson.settingsFromJson(Json.parse(settingsJson, "settings"));
        Dataset data = PREPARED.computeIfAbsent(settingsJson + "\n" + dataDir, key -> {
            Dataset loaded = Dataset.load(settings.dataset(), dataDir == null ? null : Path.of(dataDir),
                    line -> System.err.println("rmtsvd executor: " + line));
            loaded.checkWidths(settings.widths());
            return settings.data().apply(loaded);
        });
        Optional<OverfitExperiment.Run> prune = pruneJson == null ? Optional.empty()
                : Optional.of(OverfitJson.runFromJson(Json.parse(pruneJson, "prune run")));
        OpenBlas.setThreads(1);
        OverfitExperiment.Run run = OverfitExperiment.run(settings, seed, Variant.valueOf(variant), data, prune,
                OverfitExperiment.Listener.NONE);
        return Json.toString(OverfitJson.run(run), false);
    }
}
