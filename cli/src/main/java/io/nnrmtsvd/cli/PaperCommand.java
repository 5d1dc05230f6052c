package io.nnrmtsvd.cli;

import io.nnrmtsvd.codec.PaperJson;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.experiment.PaperExperiment;
import io.nnrmtsvd.experiment.RankSweep;
import io.nnrmtsvd.experiment.SampleSummary;
import io.nnrmtsvd.experiment.Variant;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.nn.BatchListener;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.report.RunMetrics;
import io.nnrmtsvd.report.Table;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.run.ExperimentEngine;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rmtsvd experiment paper}: SPEC §7's Experiments A and B, over seeds. */
@Command(name = "paper", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reproduce the paper: Experiment A (baseline vs training-time pruning from the same "
                + "initial weights, over seeds and variants) and Experiment B (BEMA's predicted rank of "
                + "layer 0 and a rank sweep).",
        optionListHeading = "%nExperiment:%n",
        footerHeading = "%nExamples:%n",
        footer = {"  # One seed, baseline and prune: ~45 s on 2 cores",
                "  rmtsvd experiment paper",
                "  # 10 seeds, beside magnitude pruning at equal size (docs/RESULTS.md)",
                "  rmtsvd experiment paper --seeds 10 --variants baseline,prune,magnitude",
                "  # Experiment A's seeds as jobs on Apache Spark (docs/SCALE.md)",
                "  rmtsvd experiment paper --seeds 10 --spark 'local[2]'"})
final class PaperCommand implements Callable<Integer> {
    /** Where Experiment A's seeds run: this machine, or a cluster when the Spark module runs us. */
    private final ExperimentEngine engine;

    @Spec
    CommandSpec spec;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Run Experiment A's seeds on Apache Spark, e.g. "
            + "local[2] or spark://host:7077, one job a seed (needs the Spark module: see docs/SCALE.md).")
    String spark;

    @Mixin
    DataOptions data;

    @Option(names = "--seeds", paramLabel = "N", description = "Initialisations of Experiment A (default: ${DEFAULT-VALUE}).")
    int seeds = 1;

    @Option(names = "--first-seed", paramLabel = "S", description = "Seeds are S, S+1, ... (default: ${DEFAULT-VALUE}).")
    long firstSeed = 1;

    @Option(names = "--epochs", paramLabel = "E", description = "Epochs of Experiment A (default: ${DEFAULT-VALUE}, as published).")
    int epochs = 9;

    @Option(names = "--epochs-b", paramLabel = "E",
            description = "Epochs of Experiment B; 0 skips it (default: ${DEFAULT-VALUE}, as published).")
    int epochsB = 10;

    @Option(names = "--variants", paramLabel = "V,V,...", split = ",", hideParamSyntax = true,
            description = "baseline, prune, prune-init-only, prune-trained-only, notebook, notebook-baseline, "
                    + "magnitude, random-rank (default: baseline,prune).")
    List<String> variants = List.of("baseline", "prune");

    @Mixin
    NetworkOptions network;

    @Option(names = "--parallel", description = "Run seeds concurrently, one BLAS thread each, on all cores.")
    boolean parallel;

    @Option(names = "--sweep-ranks", paramLabel = "FROM:TO:STEP",
            description = "Experiment B's ranks (default: ${DEFAULT-VALUE}).")
    String sweepRanks = "0:100:5";

    @Mixin
    PruneOptions pruning = new PruneOptions(Bema.create(), PruneOptions.PAPER_KEEP);

    @Mixin
    ThreadOptions blas;

    @Mixin
    CommonOptions common;

    @Mixin
    ReportOptions report;

    PaperCommand() {
        this(ExperimentEngine.LOCAL);
    }

    PaperCommand(ExperimentEngine engine) {
        this.engine = engine;
    }

    @Override
    public Integer call() throws InterruptedException, java.io.IOException {
        if (spark != null) {
            return SparkSubmission.run(spec, spark);
        }
        report.check(spec);
        if (seeds < 1 || epochs < 1 || epochsB < 0) {
            throw new IllegalArgumentException("--seeds and --epochs must be >= 1, --epochs-b >= 0");
        }
        List<Variant> chosen = variants.stream().map(Variant::parse).distinct().toList();
        int threads = blas.apply();
        if (parallel && seeds > 1) {
            OpenBlas.setThreads(1);
        }
        long started = System.nanoTime();
        Dataset loaded = data.load();
        loaded.checkWidths(network.layers);
        long[] seedList = new long[seeds];
        for (int i = 0; i < seeds; i++) {
            seedList[i] = firstSeed + i;
        }
        PruneConfig prune = pruning.config(PruneAlgorithm.SPLIT_TRUNCATE, loaded.classes(), firstSeed);
        // Experiment B predicts with the notebook's alpha 0.25 unless --alpha was given.
        Bema predictedRank = spec.commandLine().getParseResult().hasMatchedOption("--alpha") ? prune.bema()
                : prune.bema().withAlpha(RankSweep.PREDICTED_RANK.alpha());
        PaperExperiment.Settings settings = new PaperExperiment.Settings(network.layers,
                network.config(epochs, firstSeed), epochsB, seedList, chosen,
                prune, predictedRank, RankSweep.parseRanks(sweepRanks), parallel);
        Progress.log("experiment paper on " + loaded.name() + ": " + Messages.count(seeds, "seed") + " x "
                + String.join(", ", chosen.stream().map(Variant::cliName).toList()) + ", "
                + Messages.count(epochs, "epoch") + "; B " + Messages.count(epochsB, "epoch") + "; "
                + Messages.count(OpenBlas.threads(), "BLAS thread") + " (" + OpenBlas.coreName() + ")"
                + (parallel ? ", seeds in parallel" : ""));
        PaperExperiment.ResultA a;
        PaperExperiment.ResultB b = null;
        if (engine == ExperimentEngine.LOCAL) {
            try (Progress progress = new Progress("A", epochs)) {
                a = PaperExperiment.runA(settings, loaded.train(), loaded.test(),
                        new PaperExperiment.Listener(Progress::log, progress));
            }
        } else {
            Progress.log("experiment paper: Experiment A's seeds as jobs on " + engine.where());
            PaperExperiment.Listener log = new PaperExperiment.Listener(Progress::log, BatchListener.NONE);
            a = PaperExperiment.runA(settings, seed -> engine.paperSeed(settings, seed, loaded, data.dataDir, log),
                    engine.slots());
        }
        if (epochsB > 0) {
            OpenBlas.setThreads(threads);
            try (Progress progress = new Progress("B", epochsB)) {
                b = PaperExperiment.runB(settings, loaded.train(), loaded.test(),
                        new PaperExperiment.Listener(Progress::log, progress));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Object> doc = PaperJson.document(settings, loaded.name(), a, b, seconds, threads);
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            out.println(Json.toString(doc, true));
        } else {
            printSummary(out, settings, a, b, seconds);
        }
        out.flush();
        if (report.enabled()) {
            report.write(spec, runMetrics(doc, settings, a, b));
        }
        return ExitCodes.OK;
    }

    /** Curves of the first seed, final accuracies over seeds, the summary and Experiment B's sweep. */
    private RunMetrics runMetrics(Map<String, Object> doc, PaperExperiment.Settings s, PaperExperiment.ResultA a,
                                  PaperExperiment.ResultB b) {
        RunMetrics m = report.metrics(spec, firstSeed, doc);
        Map<Variant, PaperExperiment.VariantRun> first = a.runs().get(0);
        for (Variant v : s.variants()) {
            List<EpochRecord> epochs = first.get(v).epochs();
            m.accuracyByEpoch(v.cliName() + " (seed " + first.get(v).seed() + ")",
                    epochs.stream().mapToInt(EpochRecord::epoch).toArray(),
                    epochs.stream().mapToDouble(EpochRecord::testAccuracy).toArray());
            m.finalAccuracies(v.cliName(), a.runs().stream().mapToDouble(r -> r.get(v).finalAccuracy()).toArray());
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Variant v : s.variants()) {
            SampleSummary sum = a.accuracy().get(v);
            SampleSummary diff = a.differenceToReference().get(v);
            rows.add(List.of(v.cliName(), sum.count(), percent(sum.mean()), pp(sum.standardDeviation()), interval(sum),
                    diff == null ? "-" : String.format(Locale.ROOT, "%+.2f pp %s (vs %s)", 100 * diff.mean(),
                            interval(diff), v.reference().orElseThrow())));
        }
        m.table("Experiment A: final test accuracy over seeds", new Table(List.of("variant", "seeds", "mean", "sd (pp)",
                "95% CI", "paired difference to its reference"), rows));
        if (b != null) {
            m.rankSweep("layer 0 (" + b.rows() + "x" + b.cols() + ")", b.sweep().stream().mapToInt(RankSweep.Point::rank)
                    .toArray(), b.sweep().stream().mapToDouble(RankSweep.Point::accuracy).toArray(),
                    b.predicted().spikes(), b.fullAccuracy());
        }
        return m;
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    private static void printSummary(PrintWriter out, PaperExperiment.Settings s, PaperExperiment.ResultA a,
                                     PaperExperiment.ResultB b, double seconds) {
        out.printf(Locale.ROOT, "Experiment A: final test accuracy over %s, %s%n", Messages.count(s.seeds().length,
                "seed"), Messages.count(s.training().epochs(), "epoch"));
        out.printf(Locale.ROOT, "%-20s %8s %8s %19s %11s %9s%n", "variant", "mean", "sd", "95% CI", "parameters", "time");
        for (Variant v : s.variants()) {
            SampleSummary sum = a.accuracy().get(v);
            double meanParams = a.runs().stream().mapToLong(m -> m.get(v).parameters()).average().orElse(0);
            double time = a.runs().stream().mapToDouble(m -> m.get(v).seconds()).sum();
            out.printf(Locale.ROOT, "%-20s %7.2f%% %8s %19s %11.0f %8.1fs%n", v, 100 * sum.mean(),
                    pp(sum.standardDeviation()), interval(sum), meanParams, time);
        }
        for (Map.Entry<Variant, SampleSummary> d : a.differenceToReference().entrySet()) {
            SampleSummary sum = d.getValue();
            out.printf(Locale.ROOT, "paired difference %s - %s: %+.2f pp, 95%% CI %s%n", d.getKey(),
                    d.getKey().reference().orElseThrow(), 100 * sum.mean(), interval(sum));
        }
        if (b != null) {
            out.printf(Locale.ROOT, "Experiment B (seed %d, %s): test accuracy %.2f%%; layer 0 (%dx%d) BEMA "
                            + "predicted rank %d (fit error %.4f); truncated to it: %.2f%%; split at that rank: "
                            + "%d instead of %d parameters%n", b.seed(), Messages.count(b.epochs().size(), "epoch"), 100 * b.fullAccuracy(),
                    b.rows(), b.cols(), b.predicted().spikes(), b.predicted().fitError(), 100 * b.accuracyAtPredicted(),
                    (long) b.predicted().spikes() * (b.rows() + b.cols()), (long) b.rows() * b.cols());
            StringBuilder sweep = new StringBuilder("  sweep (rank: accuracy):");
            for (RankSweep.Point p : b.sweep()) {
                sweep.append(String.format(Locale.ROOT, " %d:%.2f", p.rank(), 100 * p.accuracy()));
            }
            out.println(sweep);
        }
        out.printf(Locale.ROOT, "total time %.1f s%n", seconds);
    }

    private static String pp(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }

    private static String interval(SampleSummary s) {
        return Double.isNaN(s.ciLow()) ? "-"
                : String.format(Locale.ROOT, "[%.2f, %.2f]", 100 * s.ciLow(), 100 * s.ciHigh());
    }
}
