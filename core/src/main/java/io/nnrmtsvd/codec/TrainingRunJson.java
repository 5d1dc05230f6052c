package io.nnrmtsvd.codec;

import io.nnrmtsvd.data.DataPreparation;
import io.nnrmtsvd.experiment.PrunedTraining;
import io.nnrmtsvd.experiment.TrainingRunConfig;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.nn.Initialization;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.nn.WeightPenalty;
import io.nnrmtsvd.prune.PruneConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A training run as JSON: its configuration, which a snapshot stores and {@code train --json}
 * prints, and its result.
 */
public final class TrainingRunJson {
    private static final String NO_PRUNING = "none";

    private TrainingRunJson() {
    }

    /**
     * The configuration: {@code epochs, lr, momentum, batch, seed, output_relu, prune} (the
     * algorithm or "none"), and when pruning {@code keep, selector, alpha, beta, cutoff, notebook,
     * prune_from, prune_every, prune_until, min_rank, factors, prune_seed}; then {@code dataset,
     * layers, train_accuracy, compare, snapshot_every}; then, each only when it departs from plain
     * training (so that plain runs print and store what they always did), the follow-up paper's
     * recipe: {@code init} ("normal"), {@code lr_decay}, {@code l1} and {@code l2},
     * {@code normalize} (true), {@code train_size} with {@code subset_seed}.
     */
    public static Map<String, Object> config(TrainingRunConfig c) {
        TrainingConfig t = c.training();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", t.epochs());
        m.put("lr", t.learningRate());
        m.put("momentum", t.momentum());
        m.put("batch", t.batchSize());
        m.put("seed", t.seed());
        m.put("output_relu", c.outputRelu());
        m.put("prune", NO_PRUNING);
        c.prune().ifPresent(p -> PruneConfigJson.put(p, c.schedule(), m));
        m.put("dataset", c.dataset());
        m.put("layers", c.widths());
        m.put("train_accuracy", t.measureTrainAccuracy());
        m.put("compare", c.compare());
        m.put("snapshot_every", c.snapshotEvery());
        recipe(c, m);
        return m;
    }

    private static void recipe(TrainingRunConfig c, Map<String, Object> m) {
        TrainingConfig t = c.training();
        if (c.init() != Initialization.UNIFORM) {
            m.put("init", c.init().cliName());
        }
        if (t.learningRateDecay() != 1) {
            m.put("lr_decay", t.learningRateDecay());
        }
        if (!t.penalty().isNone()) {
            m.put("l1", t.penalty().l1());
            m.put("l2", t.penalty().l2());
        }
        if (c.data().normalize()) {
            m.put("normalize", true);
        }
        if (c.data().trainSize() > 0) {
            m.put("train_size", c.data().trainSize());
            m.put("subset_seed", c.data().subsetSeed());
        }
    }

    /**
     * Reads what {@link #config} wrote, checking every setting; a recipe key that is absent takes
     * its plain-training value.
     *
     * @throws IllegalArgumentException (or {@link io.nnrmtsvd.io.InvalidInputException}) naming
     *     the setting that is missing, of the wrong kind or out of range
     */
    public static TrainingRunConfig configFromJson(Object json) {
        Map<String, Object> m = JsonFields.object(json, "the run's configuration");
        WeightPenalty penalty = m.containsKey("l1") || m.containsKey("l2")
                ? new WeightPenalty(JsonFields.number(m, "l1"), JsonFields.number(m, "l2")) : WeightPenalty.NONE;
        TrainingConfig training = new TrainingConfig(JsonFields.count(m, "epochs"), JsonFields.number(m, "lr"),
                JsonFields.number(m, "momentum"), JsonFields.count(m, "batch"), JsonFields.integer(m, "seed"),
                JsonFields.flag(m, "train_accuracy"), m.containsKey("lr_decay") ? JsonFields.number(m, "lr_decay") : 1,
                penalty);
        Initialization init = m.containsKey("init") ? Initialization.parse(JsonFields.text(m, "init"))
                : Initialization.UNIFORM;
        DataPreparation data = new DataPreparation(m.containsKey("train_size") ? JsonFields.count(m, "train_size") : 0,
                m.containsKey("train_size") ? JsonFields.integer(m, "subset_seed") : DataPreparation.NONE.subsetSeed(),
                m.containsKey("normalize") && JsonFields.flag(m, "normalize"));
        String algorithm = JsonFields.text(m, "prune");
        Optional<PruneConfig> prune = Optional.empty();
        PrunedTraining.Schedule schedule = PrunedTraining.Schedule.EVERY_EPOCH;
        if (!algorithm.equals(NO_PRUNING)) {
            prune = Optional.of(PruneConfigJson.fromJson(m));
            schedule = PruneConfigJson.scheduleFromJson(m);
        }
        return new TrainingRunConfig(JsonFields.text(m, "dataset"), JsonFields.widths(m, "layers"), JsonFields.flag(m, "output_relu"),
                training, prune, schedule, JsonFields.flag(m, "compare"), JsonFields.count(m, "snapshot_every"), init, data);
    }

    /**
     * What {@code train} prints with {@code --json}: {@code dataset, layers} (the final widths),
     * {@code parameters, config} (with the BLAS {@code threads}), {@code epochs}, when pruning
     * {@code prune_events}, with {@code --compare} the {@code baseline}'s parameters and epochs,
     * and {@code model}, the file written or null.
     */
    public static Map<String, Object> result(TrainingRunConfig config, PrunedTraining.Outcome trained,
                                             Optional<PrunedTraining.Outcome> baseline, int threads, Path model) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("dataset", config.dataset());
        doc.put("layers", trained.network().widths());
        doc.put("parameters", trained.network().parameterCount());
        Map<String, Object> cfg = new LinkedHashMap<>();
        config(config).forEach((k, v) -> {
            cfg.put(k, v);
            if (k.equals("output_relu")) {
                cfg.put("threads", threads);
            }
        });
        doc.put("config", cfg);
        doc.put("epochs", epochs(trained));
        if (config.prune().isPresent()) {
            doc.put("prune_events", trained.prunes().stream().map(PruneEventJson::toJson).toList());
        }
        baseline.ifPresent(b -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("parameters", b.network().parameterCount());
            m.put("epochs", epochs(b));
            doc.put("baseline", m);
        });
        doc.put("model", model == null ? null : model.toString());
        return doc;
    }

    private static List<Object> epochs(PrunedTraining.Outcome outcome) {
        return new ArrayList<>(outcome.epochs().stream().map(EpochRecordJson::toJson).toList());
    }

}
