package io.nnrmtsvd.cli;

import io.nnrmtsvd.codec.OverfitJson;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.experiment.OverfitExperiment;
import io.nnrmtsvd.experiment.SampleSummary;
import io.nnrmtsvd.experiment.Variant;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.prune.PruneEvent;
import io.nnrmtsvd.report.Plots;
import io.nnrmtsvd.report.RunMetrics;
import io.nnrmtsvd.report.Table;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.run.ExperimentEngine;
import io.nnrmtsvd.run.OverfitRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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

/**
 * {@code rmtsvd experiment overfit}: does pruning during training reduce overfitting? Its defaults
 * are issue 18's regime: Fashion-MNIST, 10,000 training images, 784-1000-1000-10, SGD lr 0.02
 * momentum 0.9, batch 128, 40 epochs, keep max(0, 1 - epoch/40), the fit test off, a prune
 * before every epoch from the second, at least 10 singular values, 5 seeds.
 */
@Command(name = "overfit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Does pruning during training reduce overfitting? Baseline, RMT-SVD pruning and its two "
                + "controls at equal size (magnitude, random-rank) from the same initial weights and shuffles, over "
                + "seeds, in a regime that overfits: train and test accuracy after every epoch, the generalisation "
                + "gap, paired differences to the baseline. One job per seed and variant, one BLAS thread each; "
                + "finished jobs are journalled in the run directory, so --resume RUN_DIR redoes only the others.",
        optionListHeading = "%nExperiment:%n",
        footerHeading = "%nExamples:%n",
        footer = {"  rmtsvd experiment overfit --run-dir runs/overfit",
                "  rmtsvd experiment overfit --resume runs/overfit   # after an interruption",
                "  rmtsvd experiment overfit --seeds 2 --epochs 10   # a quicker look"})
final class OverfitCommand implements Callable<Integer> {
    /** Where the jobs run: this machine, or a cluster when the Spark module runs us. */
    private final ExperimentEngine engine;

    /** Options a resumed run may take beside --resume: none changes what the run computes. */
    private static final List<String> RESUME_OPTIONS = List.of("--resume", "--jobs", "--json", "--verbose",
            "--data-dir");
    /** BEMA as the follow-up paper fits during training: alpha 0.25, beta 0.1, the fit test off. */
    private static final Bema FOLLOW_UP_BEMA = Bema.create().withAlpha(0.25).withCutoff(1);

    @Spec
    CommandSpec spec;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Run the jobs on Apache Spark, e.g. local[2] or "
            + "spark://host:7077 (needs the Spark module: see docs/SCALE.md).")
    String spark;

    @Mixin
    DataOptions data = dataOptions();

    @Option(names = "--seeds", paramLabel = "N", description = "Initialisations (default: ${DEFAULT-VALUE}).")
    int seeds = 5;

    @Option(names = "--first-seed", paramLabel = "S", description = "Seeds are S, S+1, ... (default: ${DEFAULT-VALUE}).")
    long firstSeed = 1;

    @Option(names = "--epochs", paramLabel = "E", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 40;

    @Option(names = "--variants", paramLabel = "V,V,...", split = ",", hideParamSyntax = true,
            description = "Any of baseline, prune, magnitude, random-rank; the last two follow prune's course "
                    + "(default: all four).")
    List<String> variants = List.of("baseline", "prune", "magnitude", "random-rank");

    @Mixin
    NetworkOptions network = networkOptions();

    @Mixin
    RecipeOptions recipe = recipeOptions();

    @Mixin
    PruneOptions pruning = new PruneOptions(FOLLOW_UP_BEMA, null);

    @Mixin
    ScheduleOptions schedule = ScheduleOptions.from(1);

    @Option(names = "--jobs", paramLabel = "N",
            description = "Jobs (seed x variant) at a time, one BLAS thread each (default: all ${sys:rmtsvd.cores} cores).")
    Integer jobs;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the experiment journalled in RUN_DIR with its own settings: runs only the jobs "
                    + "that did not finish; the numbers are those of an uninterrupted run.")
    Path resume;

    /** Not offered: one BLAS thread per job; given anyway, it is refused with what to use instead. */
    @Option(names = "--threads", hidden = true)
    Integer threads;

    @Mixin
    ReportOptions report;

    @Mixin
    CommonOptions common;

    OverfitCommand() {
        this(ExperimentEngine.LOCAL);
    }

    OverfitCommand(ExperimentEngine engine) {
        this.engine = engine;
    }

    private static DataOptions dataOptions() {
        DataOptions o = new DataOptions();
        o.dataset = "fashion-mnist";
        return o;
    }

    private static NetworkOptions networkOptions() {
        NetworkOptions o = new NetworkOptions();
        o.layers = new int[] {784, 1000, 1000, 10};
        o.lr = 0.02;
        return o;
    }

    private static RecipeOptions recipeOptions() {
        RecipeOptions o = new RecipeOptions();
        o.trainSize = 10_000;
        return o;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (spark != null) {
            return SparkSubmission.run(spec, spark);
        }
        if (threads != null) {
            throw new IllegalArgumentException("experiment overfit runs one BLAS thread per job; set --jobs, not "
                    + "--threads");
        }
        if (report.noReport) {
            throw new IllegalArgumentException("experiment overfit keeps its journal in its run directory; "
                    + "--no-report is not available");
        }
        int workers = jobs == null ? engine.slots() : jobs;
        if (workers < 1) {
            throw new IllegalArgumentException("--jobs must be >= 1, got " + workers);
        }
        Listener listener = new Listener();
        OverfitRun.Outcome outcome;
        if (resume != null) {
            checkResumeOptions();
            report.resume(resume);
            OverfitExperiment.Settings settings = OverfitRun.settingsIn(resume);
            Dataset loaded = data.load(settings.dataset());
            listener.begin(settings, resume);
            outcome = OverfitRun.resume(resume, loaded, new OverfitRun.Jobs(engine, workers, data.dataDir), listener);
        } else {
            report.check(spec);
            OverfitExperiment.Settings settings = settings();
            Dataset loaded = data.load();
            loaded.checkWidths(settings.widths());
            Path dir = report.directory(spec).path();
            listener.begin(settings, dir);
            outcome = OverfitRun.start(settings, loaded, dir, new OverfitRun.Jobs(engine, workers, data.dataDir),
                    listener);
        }
        Map<String, Object> doc = OverfitJson.document(outcome.settings(), outcome.runs(), outcome.summary(),
                outcome.seconds(), workers, outcome.resumed());
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            out.println(Json.toString(doc, true));
        } else {
            printSummary(out, outcome);
        }
        out.flush();
        report.write(spec, runMetrics(doc, outcome));
        return ExitCodes.OK;
    }

    /** The settings these options describe. */
    OverfitExperiment.Settings settings() {
        if (seeds < 1 || epochs < 1) {
            throw new IllegalArgumentException("--seeds and --epochs must be >= 1");
        }
        long[] seedList = new long[seeds];
        for (int i = 0; i < seeds; i++) {
            seedList[i] = firstSeed + i;
        }
        List<Variant> chosen = variants.stream().map(Variant::parse).distinct().toList();
        int classes = network.layers[network.layers.length - 1];
        PruneConfig prune = pruning.config(PruneAlgorithm.SPLIT_TRUNCATE, "falling:" + epochs, classes, firstSeed);
        return new OverfitExperiment.Settings(data.dataset, network.layers,
                recipe.apply(network.config(epochs, firstSeed)), recipe.initialization(), recipe.data(), prune,
                schedule.schedule(), seedList, chosen);
    }

    private void checkResumeOptions() {
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            if (arg.startsWith("-") && !RESUME_OPTIONS.contains(arg.split("=")[0])) {
                throw new IllegalArgumentException("--resume continues the experiment with its own settings; only "
                        + String.join(", ", RESUME_OPTIONS.subList(1, RESUME_OPTIONS.size())) + " may be added, not "
                        + arg);
            }
        }
    }

    /** Prints a line per epoch, prune and finished job on stderr, with the overall progress. */
    private final class Listener implements OverfitRun.Listener {
        private final long started = System.nanoTime();
        private int epochs;
        private Path dir;

        void begin(OverfitExperiment.Settings s, Path runDir) {
            this.epochs = s.training().epochs();
            this.dir = runDir;
            Progress.log("experiment overfit on " + s.dataset() + " (" + (s.data().trainSize() == 0 ? "all"
                    : Integer.toString(s.data().trainSize())) + " training images): "
                    + String.join("-", java.util.Arrays.stream(s.widths()).mapToObj(Integer::toString).toList())
                    + ", " + Messages.count(s.seeds().length, "seed") + " x "
                    + String.join(", ", s.variants().stream().map(Variant::cliName).toList()) + ", "
                    + Messages.count(epochs, "epoch") + "; run directory "
                    + runDir);
        }

        @Override
        public void started(int done, int total, int workers) {
            Progress.log(String.format(Locale.ROOT, "%d of %s to run (%d finished earlier), %d at a time on %s, "
                    + "1 BLAS thread each (%s)", total - done, Messages.count(total, "job"), done, workers,
                    engine.where(), OpenBlas.coreName()));
        }

        @Override
        public void epoch(long seed, Variant variant, EpochRecord r) {
            Progress.log(String.format(Locale.ROOT, "seed %d %-11s epoch %2d/%d: train %.2f%%, test %.2f%%, gap %+.2f pp, "
                            + "%d parameters, %.1f s", seed, variant, r.epoch(), epochs, 100 * r.trainAccuracy(),
                    100 * r.testAccuracy(), 100 * (r.trainAccuracy() - r.testAccuracy()), r.parameters(), r.seconds()));
        }

        @Override
        public void prune(long seed, Variant variant, PruneEvent e) {
            Progress.log(String.format(Locale.ROOT, "seed %d %-11s before epoch %2d: pruned %s -> %s, %d -> %d "
                    + "parameters", seed, variant, e.epoch(), e.widthsBefore(), e.widthsAfter(), e.parametersBefore(),
                    e.parametersAfter()));
        }

        @Override
        public void finished(OverfitExperiment.Run run, int done, int total) {
            double elapsed = (System.nanoTime() - started) / 1e9;
            Progress.log(String.format(Locale.ROOT, "finished seed %d %s (%d/%d jobs, %.0f s elapsed): test %.2f%%, "
                            + "train %.2f%%, gap %+.2f pp, %d parameters, %.1f s", run.seed(), run.variant(), done, total,
                    elapsed, 100 * run.finalTestAccuracy(), 100 * run.finalTrainAccuracy(), 100 * run.gap(),
                    run.parameters(), run.seconds()));
            Interruption.saved(done + " of " + total + " jobs in " + dir.resolve(OverfitRun.RESULTS_FILE)
                    + " (resume with --resume " + dir + ")");
        }
    }

    private static void printSummary(PrintWriter out, OverfitRun.Outcome o) {
        OverfitExperiment.Settings s = o.settings();
        out.printf(Locale.ROOT, "experiment overfit on %s, %s training images, %s, %s%n", s.dataset(),
                s.data().trainSize() == 0 ? "all" : Integer.toString(s.data().trainSize()),
                Messages.count(s.training().epochs(), "epoch"), Messages.count(s.seeds().length, "seed"));
        out.printf(Locale.ROOT, "%-12s %22s %22s %22s %22s %11s %9s%n", "variant", "final test %", "best test %",
                "final train %", "gap (pp)", "parameters", "time");
        for (Variant v : s.variants()) {
            OverfitExperiment.VariantSummary vs = o.summary().variants().get(v);
            out.printf(Locale.ROOT, "%-12s %22s %22s %22s %22s %11.0f %8.0fs%n", v, withInterval(vs.finalTest()),
                    withInterval(vs.bestTest()), withInterval(vs.finalTrain()), withInterval(vs.gap()),
                    vs.meanParameters(), vs.seconds());
        }
        if (!o.summary().toBaseline().isEmpty()) {
            out.println("paired difference to baseline, seed by seed (pp, mean [95% CI]):");
            out.printf(Locale.ROOT, "%-12s %22s %22s %22s%n", "variant", "final test", "best test", "gap");
            for (Map.Entry<Variant, OverfitExperiment.Difference> d : o.summary().toBaseline().entrySet()) {
                out.printf(Locale.ROOT, "%-12s %22s %22s %22s%n", d.getKey(), signed(d.getValue().finalTest()),
                        signed(d.getValue().bestTest()), signed(d.getValue().gap()));
            }
        }
        out.printf(Locale.ROOT, "wall time %.1f s (%s read from the journal)%n", o.seconds(),
                Messages.count(o.resumed(), "job"));
    }

    /** Mean and interval in percent: {@code 86.12 [85.70, 86.54]}. */
    static String withInterval(SampleSummary s) {
        return Double.isNaN(s.ciLow()) ? String.format(Locale.ROOT, "%.2f", 100 * s.mean())
                : String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", 100 * s.mean(), 100 * s.ciLow(), 100 * s.ciHigh());
    }

    private static String signed(SampleSummary s) {
        return Double.isNaN(s.ciLow()) ? String.format(Locale.ROOT, "%+.2f", 100 * s.mean())
                : String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f]", 100 * s.mean(), 100 * s.ciLow(), 100 * s.ciHigh());
    }

    /** The curves over seeds, final accuracies per seed, and the two summary tables. */
    private RunMetrics runMetrics(Map<String, Object> doc, OverfitRun.Outcome o) {
        OverfitExperiment.Settings s = o.settings();
        RunMetrics m = report.metrics(spec, s.seeds()[0], doc);
        List<Plots.Band> accuracy = new ArrayList<>();
        List<Plots.Band> test = new ArrayList<>();
        List<Plots.Band> gap = new ArrayList<>();
        for (Variant v : s.variants()) {
            int colour = OverfitExperiment.VARIANTS.indexOf(v);
            if (v == Variant.BASELINE || v == Variant.PRUNE) {
                accuracy.add(band(v + " train", s, o, v, OverfitExperiment.Measure.TRAIN, colour, true));
                accuracy.add(band(v + " test", s, o, v, OverfitExperiment.Measure.TEST, colour, false));
            }
            test.add(band(v.cliName(), s, o, v, OverfitExperiment.Measure.TEST, colour, false));
            gap.add(band(v.cliName(), s, o, v, OverfitExperiment.Measure.GAP, colour, false));
        }
        String seedsNote = s.seeds().length == 1 ? " One seed." : " Lines: mean over " + s.seeds().length
                + " seeds; bands: lowest to highest seed.";
        if (!accuracy.isEmpty()) {
            m.bands("accuracy-over-seeds", "Train and test accuracy per epoch", "accuracy (%)",
                    "Training (dashed) and test (solid) accuracy after each epoch." + seedsNote, accuracy);
        }
        m.bands("gap-over-seeds", "Generalisation gap per epoch", "train - test accuracy (pp)",
                "Training minus test accuracy after each epoch." + seedsNote, gap);
        m.bands("test-accuracy-over-seeds", "Test accuracy per epoch, every variant", "test accuracy (%)",
                "Test accuracy after each epoch (magnitude: before its zeroing, which follows the epoch)." + seedsNote,
                test);
        for (Variant v : s.variants()) {
            m.finalAccuracies(v.cliName(), OverfitExperiment.runsOf(s, o.runs(), v).stream()
                    .mapToDouble(OverfitExperiment.Run::finalTestAccuracy).toArray());
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Variant v : s.variants()) {
            OverfitExperiment.VariantSummary vs = o.summary().variants().get(v);
            rows.add(List.of(v.cliName(), vs.finalTest().count(), withInterval(vs.finalTest()),
                    withInterval(vs.bestTest()), withInterval(vs.finalTrain()), withInterval(vs.gap()),
                    String.format(Locale.ROOT, "%,.0f", vs.meanParameters())));
        }
        m.table("Over seeds: mean [95% CI]", new Table(List.of("variant", "seeds", "final test %", "best test %",
                "final train %", "gap (pp)", "parameters"), rows));
        if (!o.summary().toBaseline().isEmpty()) {
            List<List<Object>> diffs = new ArrayList<>();
            for (Map.Entry<Variant, OverfitExperiment.Difference> d : o.summary().toBaseline().entrySet()) {
                diffs.add(List.of(d.getKey().cliName(), signed(d.getValue().finalTest()),
                        signed(d.getValue().bestTest()), signed(d.getValue().gap())));
            }
            m.table("Paired difference to baseline, seed by seed (pp): mean [95% CI]", new Table(List.of("variant",
                    "final test", "best test", "gap"), diffs));
        }
        return m;
    }

    private static Plots.Band band(String name, OverfitExperiment.Settings s, OverfitRun.Outcome o, Variant v,
                                   OverfitExperiment.Measure measure, int colour, boolean dashed) {
        OverfitExperiment.Band b = OverfitExperiment.band(s, o.runs(), v, measure);
        double[] x = java.util.Arrays.stream(b.epochs()).asDoubleStream().toArray();
        return new Plots.Band(name, x, b.mean(), b.low(), b.high(), colour, dashed);
    }
}
