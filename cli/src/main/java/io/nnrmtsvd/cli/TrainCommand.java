package io.nnrmtsvd.cli;

import io.nnrmtsvd.codec.TrainingRunJson;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.experiment.PrunedTraining;
import io.nnrmtsvd.experiment.TrainingRunConfig;
import io.nnrmtsvd.experiment.TrainingSnapshot;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.OutputFiles;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.nn.BatchListener;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.ModelFiles;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.prune.PruneEvent;
import io.nnrmtsvd.report.LayerParameters;
import io.nnrmtsvd.report.LayerSpectrum;
import io.nnrmtsvd.report.RunMetrics;
import io.nnrmtsvd.report.Table;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.run.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rmtsvd train}: trains a fully connected network with SGD, optionally pruning it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a fully connected network on a data set (the paper's set-up by default: SGD lr 0.08, "
                + "momentum 0.9, batch 128), "
                + "optionally pruning it with RMT-SVD at the start of scheduled epochs.",
        optionListHeading = "%nTraining:%n",
        footerHeading = "%nExamples:%n",
        footer = {"  # The published set-up (SPEC section 7); save the model",
                "  rmtsvd train --epochs 10 --seed 1 --save mlp.safetensors",
                "  # Pruning as published: split-truncate before every epoch, keeping 45%% of the",
                "  # noise, beside the unpruned baseline from the same initial weights",
                "  rmtsvd train --prune split-truncate --keep 0.45 --epochs 9 --compare",
                "  # A snapshot every epoch, and continuing after an interruption",
                "  rmtsvd train --epochs 50 --prune split-truncate --snapshot-every 1 \\",
                "      --run-dir runs/long",
                "  rmtsvd train --resume runs/long"})
final class TrainCommand implements Callable<Integer> {
    /** Options a resumed run may take beside --resume: none changes what the run computes. */
    private static final List<String> RESUME_OPTIONS = List.of("--resume", "--threads", "--json", "--verbose",
            "--save", "--data-dir");

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    NetworkOptions network;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 10;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of initialisation, shuffling and random-keep (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--output-relu",
            description = "Apply ReLU to the output layer too, as the original notebook does.")
    boolean outputRelu;

    @Option(names = "--save", paramLabel = "FILE", description = "Write the trained model to a .safetensors file.")
    Path save;

    @Option(names = "--prune", paramLabel = "ALG",
            description = "Prune during training: split-truncate, truncate, shrink, random-keep or none "
                    + "(default: ${DEFAULT-VALUE}).")
    String prune = "none";

    @Mixin
    ScheduleOptions schedule;

    @Option(names = "--compare",
            description = "Also train the unpruned baseline from the same initial weights and print both curves.")
    boolean compare;

    @Option(names = "--snapshot-every", paramLabel = "N",
            description = "Save a snapshot of the run (model, momentum, epoch records, prune events, settings) into "
                    + "the run directory every N epochs; 0 for none (default: ${DEFAULT-VALUE}).")
    int snapshotEvery = 0;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run whose snapshot is in RUN_DIR, with its own settings; ends with the same "
                    + "weights and metrics as the uninterrupted run (same --threads).")
    Path resume;

    @Mixin
    RecipeOptions recipe;

    @Mixin
    PruneOptions pruning = new PruneOptions(Bema.create(), PruneOptions.PAPER_KEEP);

    @Mixin
    ReportOptions report;

    @Mixin
    ThreadOptions blas;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        if (resume != null) {
            return resume();
        }
        report.check(spec);
        if (snapshotEvery > 0 && !report.enabled()) {
            throw new IllegalArgumentException("--snapshot-every needs a run directory (drop --no-report)");
        }
        PruneAlgorithm algorithm = PruneAlgorithm.parse(prune);
        int threads = blas.apply();
        if (save != null) {
            OutputFiles.checkWritable(save, List.of());
        }
        Dataset loaded = data.load();
        Optional<PruneConfig> pruneConfig = algorithm == PruneAlgorithm.NONE ? Optional.empty()
                : Optional.of(pruning.config(algorithm, loaded.classes(), seed));
        TrainingRunConfig config = new TrainingRunConfig(loaded.name(), network.layers,
                outputRelu || pruning.fit.notebook, recipe.apply(network.config(epochs, seed)), pruneConfig,
                schedule.schedule(), compare, snapshotEvery,
                recipe.initialization(), recipe.data());
        Path runDir = snapshotEvery > 0 ? report.directory(spec).path() : null;
        try (Listener listener = new Listener(config, threads)) {
            return finish(TrainingRun.run(config, loaded, runDir, listener), threads);
        }
    }

    /** Continues the run whose snapshot is in --resume; nothing stored names where to write. */
    private int resume() throws IOException {
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            if (arg.startsWith("-") && !RESUME_OPTIONS.contains(arg.split("=")[0])) {
                throw new IllegalArgumentException("--resume continues the run with its own settings; only "
                        + String.join(", ", RESUME_OPTIONS.subList(1, RESUME_OPTIONS.size())) + " may be added, not "
                        + arg);
            }
        }
        if (save != null) {
            OutputFiles.checkWritable(save, List.of(resume.resolve(TrainingRun.SNAPSHOT_FILE)));
        }
        report.resume(resume);
        TrainingSnapshot snapshot = TrainingRun.snapshotIn(resume);
        int threads = blas.apply(snapshot.blasThreads());
        Dataset loaded = data.load(snapshot.config().dataset());
        try (Listener listener = new Listener(snapshot.config(), threads)) {
            return finish(TrainingRun.resume(snapshot, loaded, resume, listener), threads);
        }
    }

    /** Saves the model if asked, prints the result and writes the run directory. */
    private int finish(TrainingRun.Outcome outcome, int threads) throws IOException {
        PrunedTraining.Outcome trained = outcome.trained();
        if (save != null) {
            ModelFiles.save(save, trained.network(), Map.of("dataset", outcome.config().dataset()));
            Progress.log("saved model to " + save);
        }
        Map<String, Object> doc = TrainingRunJson.result(outcome.config(), trained, outcome.baseline(), threads, save);
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            out.println(Json.toString(doc, true));
        } else {
            outcome.baseline().ifPresent(b -> printComparison(out, trained, b));
            out.printf(Locale.ROOT, "final test accuracy %s, %d parameters (%s)%n",
                    percent(trained.finalAccuracy()), trained.network().parameterCount(),
                    trained.network().widthsString());
        }
        out.flush();
        if (report.enabled()) {
            report.write(spec, runMetrics(doc, outcome));
        }
        return ExitCodes.OK;
    }

    /** Prints epochs and prunes as they happen, moves the progress bars, notes each snapshot. */
    private final class Listener implements TrainingRun.Listener, AutoCloseable {
        private final TrainingRunConfig config;
        private final int threads;
        private final Progress trainedBar;
        private final Progress baselineBar;

        Listener(TrainingRunConfig config, int threads) {
            this.config = config;
            this.threads = threads;
            this.trainedBar = new Progress(config.compare() ? "pruned" : "train", config.training().epochs());
            this.baselineBar = new Progress("baseline", config.training().epochs());
        }

        @Override
        public void started(Network network, int completedEpochs) {
            Progress.log((completedEpochs == 0 ? "training " : "resuming after epoch " + completedEpochs + ": ")
                    + network.widthsString() + " (" + network.parameterCount() + " parameters) on "
                    + config.dataset() + ", " + Messages.count(config.training().epochs(), "epoch") + ", "
                    + Messages.count(threads, "BLAS thread") + " (" + OpenBlas.coreName() + ")"
                    + config.prune().map(p -> ", pruning " + p.algorithm()).orElse(""));
        }

        @Override
        public void epoch(boolean baseline, EpochRecord record) {
            String label = baseline ? "baseline " : config.compare() ? "pruned   " : "";
            Progress.log(label + Messages.epoch(record, config.training().epochs()));
        }

        @Override
        public void prune(PruneEvent event) {
            Messages.prune(event).forEach(Progress::log);
        }

        @Override
        public BatchListener batches(boolean baseline) {
            return baseline ? baselineBar : trainedBar;
        }

        @Override
        public void snapshot(Path file, int epoch) {
            Interruption.saved("snapshot " + file + " after epoch " + epoch + " (resume with --resume "
                    + file.getParent() + ")");
        }

        @Override
        public void close() {
            trainedBar.close();
            baselineBar.close();
        }
    }

    /**
     * The run's metrics: accuracy curves, every prune in a table, the spectra at the first and the
     * last prune and of the final networks, and parameters per layer before and after.
     */
    private RunMetrics runMetrics(Map<String, Object> doc, TrainingRun.Outcome outcome) {
        TrainingRunConfig config = outcome.config();
        boolean pruned = config.prune().isPresent();
        RunMetrics m = report.metrics(spec, config.training().seed(), doc);
        addCurve(m, pruned ? "pruned" : "trained", outcome.trained());
        outcome.baseline().ifPresent(b -> addCurve(m, "baseline", b));
        List<PruneEvent> prunes = outcome.trained().prunes();
        if (!prunes.isEmpty()) {
            List<List<Object>> rows = new ArrayList<>();
            for (PruneEvent e : prunes) {
                rows.add(List.of(e.epoch(), e.widthsBefore(), e.widthsAfter(), e.parametersBefore(),
                        e.parametersAfter()));
            }
            m.table("Prunes", new Table(List.of("before epoch", "widths before", "widths after",
                    "parameters before", "parameters after"), rows));
            PruneEvent first = prunes.get(0);
            m.spectra("Spectra at the first prune, before epoch " + first.epoch() + " (" + first.widthsBefore() + ")",
                    first.layers().stream().map(LayerSpectrum::of).toList());
            PruneEvent last = prunes.get(prunes.size() - 1);
            if (prunes.size() > 1) {
                m.spectra("Spectra at the last prune, before epoch " + last.epoch() + " (" + last.widthsBefore() + ")",
                        last.layers().stream().map(LayerSpectrum::of).toList());
            }
        }
        Bema bema = config.prune().map(PruneConfig::bema).orElse(pruning.fit.bema());
        Network result = outcome.trained().network();
        m.spectra("Spectra of the final " + (pruned ? "pruned " : "") + "network (" + result.widthsString()
                + ")", LayerSpectrum.of(result, bema));
        outcome.baseline().ifPresent(b -> m.spectra("Spectra of the final baseline network ("
                + b.network().widthsString() + ")", LayerSpectrum.of(b.network(), bema)));
        if (pruned) {
            m.parameters(LayerParameters.of(outcome.initial(), result));
        }
        return m;
    }

    private static void addCurve(RunMetrics m, String name, PrunedTraining.Outcome outcome) {
        List<EpochRecord> epochs = outcome.epochs();
        m.accuracyByEpoch(name, epochs.stream().mapToInt(EpochRecord::epoch).toArray(),
                epochs.stream().mapToDouble(EpochRecord::testAccuracy).toArray());
    }

    private static void printComparison(PrintWriter out, PrunedTraining.Outcome pruned,
                                        PrunedTraining.Outcome baseline) {
        out.println("epoch  baseline  pruned   (test accuracy)");
        for (int i = 0; i < pruned.epochs().size(); i++) {
            EpochRecord p = pruned.epochs().get(i);
            EpochRecord b = baseline.epochs().get(i);
            out.printf(Locale.ROOT, "%5d  %7s  %7s%n", p.epoch(), percent(b.testAccuracy()), percent(p.testAccuracy()));
        }
        out.printf(Locale.ROOT, "parameters: baseline %d, pruned %d%n", baseline.network().parameterCount(),
                pruned.network().parameterCount());
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }
}
