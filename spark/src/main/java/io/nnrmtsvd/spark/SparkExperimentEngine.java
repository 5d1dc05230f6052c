package io.nnrmtsvd.spark;

import io.nnrmtsvd.codec.OverfitJson;
import io.nnrmtsvd.codec.PaperJson;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.experiment.OverfitExperiment;
import io.nnrmtsvd.experiment.PaperExperiment;
import io.nnrmtsvd.experiment.Variant;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.run.ExperimentEngine;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Experiment grids on a Spark cluster: each job (one variant from one seed of
 * {@code experiment overfit}, or every variant of one seed of {@code experiment paper}'s
 * Experiment A) is a Spark job of one task, submitted by the driver thread that
 * {@link io.nnrmtsvd.run.OverfitRun} or {@link PaperExperiment#runA(PaperExperiment.Settings,
 * PaperExperiment.SeedRunner, int)} gives it, so the journal, resume and the order of prune runs
 * before the controls that follow them are the local run's. Spark retries a task whose executor is
 * lost. The listener hears a job's epochs and prunes when it finishes.
 */
public final class SparkExperimentEngine implements ExperimentEngine {
    private final JavaSparkContext sc;

    public SparkExperimentEngine(JavaSparkContext sc) {
        this.sc = sc;
    }

    @Override
    public String where() {
        return "Spark " + sc.master();
    }

    @Override
    public int slots() {
        return Math.max(1, sc.defaultParallelism() / sc.getConf().getInt("spark.task.cpus", 1));
    }

    @Override
    public OverfitExperiment.Run run(OverfitExperiment.Settings s, long seed, Variant variant, Dataset prepared,
                                     Path dataDir, Optional<OverfitExperiment.Run> prune,
                                     OverfitExperiment.Listener listener) {
        OverfitTask task = new OverfitTask(s, seed, variant, dataDir, prune);
        String json = sc.parallelize(List.of(task), 1).map(OverfitTask::run).collect().get(0);
        OverfitExperiment.Run run = OverfitJson.runFromJson(Json.parse(json, "a job's run"));
        run.epochs().forEach(listener.epochs());
        run.prunes().forEach(listener.prunes());
        return run;
    }

    @Override
    public Map<Variant, PaperExperiment.VariantRun> paperSeed(PaperExperiment.Settings s, long seed, Dataset loaded,
                                                              Path dataDir, PaperExperiment.Listener listener) {
        PaperSeedTask task = new PaperSeedTask(s, loaded.name(), seed, dataDir);
        String json = sc.parallelize(List.of(task), 1).map(PaperSeedTask::run).collect().get(0);
        Map<Variant, PaperExperiment.VariantRun> runs = new EnumMap<>(Variant.class);
        for (Object run : JsonFields.array(Json.parse(json, "a seed's runs"), "runs")) {
            PaperExperiment.VariantRun r = PaperJson.runFromJson(run);
            runs.put(r.variant(), r);
            listener.log().accept(String.format(Locale.ROOT, "seed %d %s: final test accuracy %.2f%%, %d parameters, "
                    + "%.1f s on the cluster", seed, r.variant(), 100 * r.finalAccuracy(), r.parameters(), r.seconds()));
        }
        return runs;
    }
}
