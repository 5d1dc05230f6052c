package io.nnrmtsvd.codec;

import io.nnrmtsvd.data.DataPreparation;
import io.nnrmtsvd.experiment.OverfitExperiment;
import io.nnrmtsvd.experiment.PrunedTraining;
import io.nnrmtsvd.experiment.Variant;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.nn.Initialization;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.nn.WeightPenalty;
import io.nnrmtsvd.prune.PruneConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code experiment overfit} as JSON: its settings (the run directory's {@code run.json}, from which
 * {@code --resume} continues), one row per finished run (its journal), and the result document
 * ({@code --json}, {@code metrics.json}).
 */
public final class OverfitJson {
    /** The format tag of the settings. */
    public static final String FORMAT = "rmtsvd-overfit/1";

    private OverfitJson() {
    }

    /**
     * The settings: {@code format, dataset, layers, epochs, lr, momentum, batch, lr_decay, l1, l2,
     * init, normalize, train_size, subset_seed, prune, keep, selector, alpha, beta, cutoff, notebook,
     * prune_from, prune_every, prune_until, min_rank, factors, prune_seed, seeds, variants}.
     */
    public static Map<String, Object> settings(OverfitExperiment.Settings s) {
        TrainingConfig t = s.training();
        PruneConfig p = s.prune();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("dataset", s.dataset());
        m.put("layers", s.widths());
        m.put("epochs", t.epochs());
        m.put("lr", t.learningRate());
        m.put("momentum", t.momentum());
        m.put("batch", t.batchSize());
        m.put("lr_decay", t.learningRateDecay());
        m.put("l1", t.penalty().l1());
        m.put("l2", t.penalty().l2());
        m.put("init", s.init().cliName());
        m.put("normalize", s.data().normalize());
        m.put("train_size", s.data().trainSize());
        m.put("subset_seed", s.data().subsetSeed());
        PruneConfigJson.put(p, s.schedule(), m);
        m.put("seeds", s.seeds());
        m.put("variants", s.variants().stream().map(Variant::cliName).toList());
        return m;
    }

    /**
     * Reads what {@link #settings} wrote, checking every setting.
     *
     * @throws IllegalArgumentException (or {@link io.nnrmtsvd.io.InvalidInputException}) naming the
     *     setting that is missing, of the wrong kind or out of range
     */
    public static OverfitExperiment.Settings settingsFromJson(Object json) {
        Map<String, Object> m = JsonFields.object(json, "the experiment's settings");
        if (!FORMAT.equals(m.get("format"))) {
            throw new IllegalArgumentException("not the settings of an experiment overfit of this version (format is "
                    + m.get("format") + ", not " + FORMAT + ")");
        }
        TrainingConfig training = new TrainingConfig(JsonFields.count(m, "epochs"), JsonFields.number(m, "lr"),
                JsonFields.number(m, "momentum"), JsonFields.count(m, "batch"), 0, true, JsonFields.number(m, "lr_decay"),
                new WeightPenalty(JsonFields.number(m, "l1"), JsonFields.number(m, "l2")));
        PruneConfig prune = PruneConfigJson.fromJson(m);
        PrunedTraining.Schedule schedule = PruneConfigJson.scheduleFromJson(m);
        List<Object> seedList = JsonFields.array(m.get("seeds"), "'seeds'");
        long[] seeds = new long[seedList.size()];
        for (int i = 0; i < seeds.length; i++) {
            if (!(seedList.get(i) instanceof Long seed)) {
                throw new IllegalArgumentException("'seeds' must hold integers, got " + seedList.get(i));
            }
            seeds[i] = seed;
        }
        List<Variant> variants = new ArrayList<>();
        for (Object v : JsonFields.array(m.get("variants"), "'variants'")) {
            if (!(v instanceof String name)) {
                throw new IllegalArgumentException("'variants' must hold names, got " + v);
            }
            variants.add(Variant.parse(name));
        }
        return new OverfitExperiment.Settings(JsonFields.text(m, "dataset"), JsonFields.widths(m, "layers"), training,
                Initialization.parse(JsonFields.text(m, "init")), new DataPreparation(JsonFields.count(m, "train_size"),
                JsonFields.integer(m, "subset_seed"), JsonFields.flag(m, "normalize")), prune, schedule, seeds,
                variants);
    }

    /** The journal's name of the run of {@code seed} and {@code variant}, e.g. {@code seed 3 prune}. */
    public static String runName(long seed, Variant variant) {
        return "seed " + seed + " " + variant.cliName();
    }

    /**
     * One run: {@code name, seed, variant, final_test_accuracy, final_train_accuracy, gap,
     * best_test_accuracy, parameters, widths, seconds, epochs} (see {@link EpochRecordJson}) and
     * {@code prune_events} (see {@link PruneEventJson}, without spectra).
     */
    public static Map<String, Object> run(OverfitExperiment.Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", runName(r.seed(), r.variant()));
        m.put("seed", r.seed());
        m.put("variant", r.variant().cliName());
        m.put("final_test_accuracy", r.finalTestAccuracy());
        m.put("final_train_accuracy", r.finalTrainAccuracy());
        m.put("gap", r.gap());
        m.put("best_test_accuracy", r.bestTestAccuracy());
        m.put("parameters", r.parameters());
        m.put("widths", r.widths());
        m.put("seconds", r.seconds());
        m.put("epochs", r.epochs().stream().map(EpochRecordJson::toJson).toList());
        m.put("prune_events", r.prunes().stream().map(PruneEventJson::toJson).toList());
        return m;
    }

    /**
     * Reads what {@link #run} wrote ({@code gap} and {@code best_test_accuracy} are derived, not read).
     *
     * @throws IllegalArgumentException for a missing field or one of the wrong kind
     */
    public static OverfitExperiment.Run runFromJson(Object json) {
        Map<String, Object> m = JsonFields.object(json, "a run");
        return new OverfitExperiment.Run(Variant.parse(JsonFields.text(m, "variant")), JsonFields.integer(m, "seed"),
                EpochRecordJson.listFromJson(m.get("epochs"), "'epochs'"), PruneEventJson.listFromJson(m.get("prune_events"), "'prune_events'"),
                JsonFields.number(m, "final_test_accuracy"),
                JsonFields.number(m, "final_train_accuracy"), JsonFields.integer(m, "parameters"),
                JsonFields.text(m, "widths"), JsonFields.number(m, "seconds"));
    }

    /**
     * What {@code experiment overfit} prints with {@code --json}: {@code config} (the settings with
     * the {@code jobs} that ran them), {@code summary} (per variant: {@code final_test, best_test,
     * final_train, gap} as n, mean, sd, ci95_low, ci95_high; {@code mean_parameters, seconds}; and
     * but for the baseline its {@code paired_difference} to the baseline of {@code final_test,
     * best_test, gap}), every run (as {@link #run}, without its name), {@code seconds} (wall time of
     * this invocation) and {@code resumed_runs} (runs read from the journal, not trained).
     */
    public static Map<String, Object> document(OverfitExperiment.Settings s, List<OverfitExperiment.Run> runs,
                                               OverfitExperiment.Summary summary, double seconds, int jobs,
                                               int resumed) {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> cfg = settings(s);
        cfg.remove("format");
        cfg.put("jobs", jobs);
        doc.put("config", cfg);
        Map<String, Object> variants = new LinkedHashMap<>();
        for (Variant v : s.variants()) {
            OverfitExperiment.VariantSummary vs = summary.variants().get(v);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("final_test", SampleSummaryJson.toJson(vs.finalTest()));
            m.put("best_test", SampleSummaryJson.toJson(vs.bestTest()));
            m.put("final_train", SampleSummaryJson.toJson(vs.finalTrain()));
            m.put("gap", SampleSummaryJson.toJson(vs.gap()));
            m.put("mean_parameters", vs.meanParameters());
            m.put("seconds", vs.seconds());
            OverfitExperiment.Difference d = summary.toBaseline().get(v);
            if (d != null) {
                Map<String, Object> diff = new LinkedHashMap<>();
                diff.put("reference", Variant.BASELINE.cliName());
                diff.put("final_test", SampleSummaryJson.toJson(d.finalTest()));
                diff.put("best_test", SampleSummaryJson.toJson(d.bestTest()));
                diff.put("gap", SampleSummaryJson.toJson(d.gap()));
                m.put("paired_difference", diff);
            }
            variants.put(v.cliName(), m);
        }
        doc.put("summary", variants);
        List<Object> rows = new ArrayList<>();
        for (Variant v : s.variants()) {
            for (OverfitExperiment.Run r : OverfitExperiment.runsOf(s, runs, v)) {
                Map<String, Object> row = run(r);
                row.remove("name");
                rows.add(row);
            }
        }
        doc.put("runs", rows);
        doc.put("seconds", seconds);
        doc.put("resumed_runs", resumed);
        return doc;
    }


}
