package io.nnrmtsvd.codec;

import io.nnrmtsvd.experiment.PaperExperiment;
import io.nnrmtsvd.experiment.PrunedTraining;
import io.nnrmtsvd.experiment.RankSweep;
import io.nnrmtsvd.experiment.Variant;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.prune.PruneConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The result of {@code experiment paper} as JSON. */
public final class PaperJson {
    private PaperJson() {
    }

    /**
     * {@code config} (the settings, with the BEMA settings of the prunes and of the predicted rank
     * and the BLAS {@code threads}), {@code experiment_a} (a summary per variant and every run),
     * {@code experiment_b} when it ran, and the wall time in {@code seconds}.
     */
    public static Map<String, Object> document(PaperExperiment.Settings s, String dataset, PaperExperiment.ResultA a,
                                        PaperExperiment.ResultB b, double seconds, int threads) {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("dataset", dataset);
        cfg.put("layers", s.widths());
        cfg.put("epochs", s.training().epochs());
        cfg.put("epochs_b", s.epochsB());
        cfg.put("lr", s.training().learningRate());
        cfg.put("momentum", s.training().momentum());
        cfg.put("batch", s.training().batchSize());
        cfg.put("seeds", s.seeds());
        cfg.put("variants", s.variants().stream().map(Variant::cliName).toList());
        cfg.put("parallel", s.parallel());
        cfg.put("bema", BemaJson.toJson(s.prune().bema()));
        cfg.put("predicted_rank_bema", BemaJson.toJson(s.predictedRank()));
        cfg.put("threads", threads);
        doc.put("config", cfg);

        Map<String, Object> summary = new LinkedHashMap<>();
        for (Variant v : s.variants()) {
            Map<String, Object> m = SampleSummaryJson.toJson(a.accuracy().get(v));
            m.put("mean_parameters", a.runs().stream().mapToLong(r -> r.get(v).parameters()).average().orElse(0));
            m.put("seconds", a.runs().stream().mapToDouble(r -> r.get(v).seconds()).sum());
            if (a.differenceToReference().containsKey(v)) {
                Map<String, Object> d = SampleSummaryJson.toJson(a.differenceToReference().get(v));
                d.put("reference", v.reference().orElseThrow().cliName());
                m.put("paired_difference", d);
            }
            summary.put(v.cliName(), m);
        }
        List<Object> runs = new ArrayList<>();
        for (Map<Variant, PaperExperiment.VariantRun> seedRuns : a.runs()) {
            for (PaperExperiment.VariantRun r : seedRuns.values()) {
                runs.add(run(r));
            }
        }
        Map<String, Object> expA = new LinkedHashMap<>();
        expA.put("summary", summary);
        expA.put("runs", runs);
        doc.put("experiment_a", expA);
        if (b != null) {
            Map<String, Object> expB = new LinkedHashMap<>();
            expB.put("seed", b.seed());
            expB.put("epochs", b.epochs().stream().map(EpochRecordJson::toJson).toList());
            expB.put("test_accuracy", b.fullAccuracy());
            expB.put("rows", b.rows());
            expB.put("cols", b.cols());
            expB.put("predicted_rank", b.predicted().spikes());
            expB.put("fit_error", b.predicted().fitError());
            expB.put("accuracy_at_predicted_rank", b.accuracyAtPredicted());
            expB.put("parameters_at_predicted_rank", (long) b.predicted().spikes() * (b.rows() + b.cols()));
            List<Object> sweep = new ArrayList<>();
            for (RankSweep.Point p : b.sweep()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rank", p.rank());
                m.put("test_accuracy", p.accuracy());
                sweep.add(m);
            }
            expB.put("sweep", sweep);
            doc.put("experiment_b", expB);
        }
        doc.put("seconds", seconds);
        return doc;
    }

    /** One variant's run from one seed: seed, variant, final_accuracy, parameters, widths, seconds, epochs, prune_events. */
    public static Map<String, Object> run(PaperExperiment.VariantRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", r.seed());
        m.put("variant", r.variant().cliName());
        m.put("final_accuracy", r.finalAccuracy());
        m.put("parameters", r.parameters());
        m.put("widths", r.widths());
        m.put("seconds", r.seconds());
        m.put("epochs", r.epochs().stream().map(EpochRecordJson::toJson).toList());
        m.put("prune_events", r.prunes().stream().map(PruneEventJson::toJson).toList());
        return m;
    }

    /** Reads what {@link #run} wrote. */
    public static PaperExperiment.VariantRun runFromJson(Object json) {
        Map<String, Object> m = JsonFields.object(json, "a run");
        return new PaperExperiment.VariantRun(Variant.parse(JsonFields.text(m, "variant")),
                JsonFields.integer(m, "seed"), EpochRecordJson.listFromJson(m.get("epochs"), "'epochs'"),
                PruneEventJson.listFromJson(m.get("prune_events"), "'prune_events'"),
                JsonFields.number(m, "final_accuracy"), JsonFields.integer(m, "parameters"),
                JsonFields.text(m, "widths"), JsonFields.number(m, "seconds"));
    }

    /**
     * The settings Experiment A's seeds run with (what {@link PaperExperiment#runSeed} reads):
     * layers, epochs, lr, momentum, batch, train_accuracy, the pruning, seeds and variants.
     */
    public static Map<String, Object> seedSettings(PaperExperiment.Settings s) {
        TrainingConfig t = s.training();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", s.widths());
        m.put("epochs", t.epochs());
        m.put("lr", t.learningRate());
        m.put("momentum", t.momentum());
        m.put("batch", t.batchSize());
        m.put("train_accuracy", t.measureTrainAccuracy());
        PruneConfigJson.put(s.prune(), PrunedTraining.Schedule.EVERY_EPOCH, m);
        m.put("seeds", s.seeds());
        m.put("variants", s.variants().stream().map(Variant::cliName).toList());
        return m;
    }

    /** Reads what {@link #seedSettings} wrote; Experiment B's settings are left at none. */
    public static PaperExperiment.Settings seedSettingsFromJson(Object json) {
        Map<String, Object> m = JsonFields.object(json, "the experiment's settings");
        TrainingConfig training = new TrainingConfig(JsonFields.count(m, "epochs"), JsonFields.number(m, "lr"),
                JsonFields.number(m, "momentum"), JsonFields.count(m, "batch"), 0, JsonFields.flag(m, "train_accuracy"));
        List<Object> seedList = JsonFields.array(m.get("seeds"), "'seeds'");
        long[] seeds = new long[seedList.size()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = ((Number) seedList.get(i)).longValue();
        }
        List<Variant> variants = JsonFields.array(m.get("variants"), "'variants'").stream()
                .map(v -> Variant.parse(String.valueOf(v))).toList();
        PruneConfig prune = PruneConfigJson.fromJson(m);
        return new PaperExperiment.Settings(JsonFields.widths(m, "layers"), training, 0, seeds, variants, prune,
                prune.bema(), new int[0], false);
    }
}
