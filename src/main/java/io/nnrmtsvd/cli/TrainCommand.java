package io.nnrmtsvd.cli;

import io.nnrmtsvd.experiment.PrunedTraining;
import io.nnrmtsvd.io.AtomicFiles;
import io.nnrmtsvd.io.CheckpointFiles;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.ModelFiles;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.prune.PruneEvent;
import io.nnrmtsvd.report.Json;
import io.nnrmtsvd.report.LayerParameters;
import io.nnrmtsvd.report.LayerSpectrum;
import io.nnrmtsvd.report.RunMetrics;
import io.nnrmtsvd.report.Table;
import io.nnrmtsvd.rmt.Bema;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rmtsvd train}: trains a fully connected network with SGD, optionally pruning it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a fully connected network on a data set (the paper's set-up by default: SGD lr 0.08, "
                + "momentum 0.9, batch 128), "
                + "optionally pruning it with RMT-SVD at the start of scheduled epochs.")
final class TrainCommand implements Callable<Integer> {
    static final String CHECKPOINT_FILE = "checkpoint.safetensors";
    private static final String ARGUMENTS_KEY = "arguments";
    /** Checkpoint metadata key of the prune events so far, so that a resumed run reports them all. */
    private static final String PRUNES_KEY = "prune_events";

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    NetworkOptions network;

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 10;

    @Option(names = "--seed", description = "Seed of initialisation, shuffling and random-keep (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--prune-every", paramLabel = "N", description = "Prune every N epochs (default: ${DEFAULT-VALUE}).")
    int pruneEvery = 1;

    @Option(names = "--prune-from", paramLabel = "E",
            description = "First prune after E trained epochs; 0 is before the first (default: ${DEFAULT-VALUE}).")
    int pruneFrom = 0;

    @Option(names = "--prune-until", paramLabel = "E",
            description = "No prune after more than E trained epochs (default: no limit).")
    int pruneUntil = Integer.MAX_VALUE;

    @Option(names = "--compare",
            description = "Also train the unpruned baseline from the same initial weights and print both curves.")
    boolean compare;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Save a checkpoint (model, momentum, epoch records, prune events) into the run "
                    + "directory every N epochs; 0 for none (default: ${DEFAULT-VALUE}).")
    int checkpointEvery = 0;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run whose checkpoint is in RUN_DIR, with its original options; ends "
                    + "with the same weights and metrics as the uninterrupted run (same --threads).")
    Path resume;

    @Mixin
    PruneOptions pruning;

    @Mixin
    ReportOptions report;

    @Mixin
    CommonOptions common;

    /** The state to continue from, when this instance runs a resumed run. */
    private PrunedTraining.State resumeState;

    @Override
    public Integer call() throws IOException {
        if (resume != null) {
            return resumeRun();
        }
        report.check();
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        }
        if (checkpointEvery > 0 && !report.enabled()) {
            throw new IllegalArgumentException("--checkpoint-every needs a run directory (drop --no-report)");
        }
        TrainingConfig config = network.config(epochs, seed);
        PruneAlgorithm algorithm = PruneAlgorithm.parse(prune);
        if (pruneEvery < 1 || pruneFrom < 0 || pruneUntil < pruneFrom) {
            throw new IllegalArgumentException("--prune-every must be >= 1 and 0 <= --prune-from <= --prune-until");
        }
        if (compare && algorithm == PruneAlgorithm.NONE) {
            throw new IllegalArgumentException("--compare needs --prune");
        }
        boolean reluOnOutput = outputRelu || pruning.fit.notebook;
        int threads = common.applyThreads();
        if (save != null) {
            OutputFiles.checkWritable(save);
        }
        LoadedData loaded = data.load();
        Optional<PruneConfig> pruneConfig = algorithm == PruneAlgorithm.NONE ? Optional.empty()
                : Optional.of(pruning.config(algorithm, "0.45", loaded.classes(), seed));
        Network initial = Networks.initialize(network.layers, reluOnOutput, loaded, seed);
        Progress.log("training " + initial.widthsString() + " (" + initial.parameterCount()
                + " parameters) on " + loaded.name() + ", " + epochs + " epochs, " + threads
                + " BLAS threads (" + OpenBlas.coreName() + ")"
                + pruneConfig.map(p -> ", pruning " + algorithm).orElse(""));
        PrunedTraining.Schedule schedule = new PrunedTraining.Schedule(pruneFrom, pruneEvery, pruneUntil);

        Network baselineStart = compare ? initial.copy() : null;
        List<Map<String, Object>> epochRecords = new ArrayList<>();
        List<Map<String, Object>> pruneRecords = new ArrayList<>();
        PrunedTraining.Outcome outcome;
        String label = compare ? "pruned" : "train";
        PrunedTraining.State start = resumeState != null ? resumeState : PrunedTraining.State.start(initial);
        start.training().records().forEach(r -> epochRecords.add(EpochJson.of(r)));
        start.prunes().forEach(e -> pruneRecords.add(PruneJson.of(e)));
        Consumer<PrunedTraining.State> checkpoints = checkpointEvery == 0 ? state -> { } : checkpointWriter(config);
        try (Progress progress = new Progress(label)) {
            outcome = PrunedTraining.resume(start, loaded.train(), loaded.test(), config, pruneConfig, schedule,
                    new PrunedTraining.Listeners(r -> {
                        epochRecords.add(EpochJson.of(r));
                        Progress.log((compare ? "pruned   " : "") + EpochJson.line(r, epochs));
                    }, e -> {
                        pruneRecords.add(PruneJson.of(e));
                        PruneJson.lines(e).forEach(Progress::log);
                    }, progress, checkpoints));
        }
        PrunedTraining.Outcome baseline = null;
        List<Map<String, Object>> baselineRecords = new ArrayList<>();
        if (compare) {
            try (Progress progress = new Progress("baseline")) {
                baseline = PrunedTraining.run(baselineStart, loaded.train(), loaded.test(), config,
                        Optional.empty(), schedule, new PrunedTraining.Listeners(r -> {
                            baselineRecords.add(EpochJson.of(r));
                            Progress.log("baseline " + EpochJson.line(r, epochs));
                        }, e -> { }, progress));
            }
        }
        if (save != null) {
            ModelFiles.save(save, outcome.network(), Map.of("dataset", loaded.name()));
            Progress.log("saved model to " + save);
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("dataset", loaded.name());
        doc.put("layers", outcome.network().widths());
        doc.put("parameters", outcome.network().parameterCount());
        doc.put("config", configJson(threads, algorithm));
        doc.put("epochs", epochRecords);
        if (pruneConfig.isPresent()) {
            doc.put("prune_events", pruneRecords);
        }
        if (baseline != null) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("parameters", baseline.network().parameterCount());
            b.put("epochs", baselineRecords);
            doc.put("baseline", b);
        }
        doc.put("model", save == null ? null : save.toString());
        if (common.json) {
            out.println(Json.toString(doc, true));
        } else {
            if (baseline != null) {
                printComparison(out, outcome, baseline);
            }
            out.printf(Locale.ROOT, "final test accuracy %s, %d parameters (%s)%n",
                    percent(outcome.finalAccuracy()), outcome.network().parameterCount(),
                    outcome.network().widthsString());
        }
        out.flush();
        if (report.enabled()) {
            report.write(spec, runMetrics(doc, initial, outcome, baseline, pruneConfig.isPresent()));
        }
        return ExitCodes.OK;
    }

    /** Saves the state after every {@code --checkpoint-every}-th epoch and after the last. */
    private Consumer<PrunedTraining.State> checkpointWriter(TrainingConfig config) throws IOException {
        Path file = report.directory(spec).path().resolve(CHECKPOINT_FILE);
        List<String> argv = spec.commandLine().getParseResult().originalArgs();
        // The stored options are the command's own: without the leading command name.
        String arguments = Json.toString(argv.isEmpty() || !argv.get(0).equals(spec.name()) ? argv
                : argv.subList(1, argv.size()), false);
        return state -> {
            int e = state.training().completedEpochs();
            if (e % checkpointEvery == 0 || e == config.epochs()) {
                // Together, so that SIGTERM right after the file appears still reports it as saved.
                AtomicFiles.together(() -> {
                    CheckpointFiles.save(file, state.training(), Map.of(ARGUMENTS_KEY, arguments,
                            PRUNES_KEY, PruneJson.stored(state.prunes())));
                    Interruption.saved("checkpoint " + file + " after epoch " + e + " (resume with --resume "
                            + file.getParent() + ")");
                });
            }
        };
    }

    /** Re-runs the command line stored in the run directory's checkpoint, from its state. */
    private int resumeRun() throws IOException {
        List<String> given = spec.commandLine().getParseResult().originalArgs();
        for (String arg : given) {
            if (arg.startsWith("-") && !List.of("--resume", "--threads", "--json", "--verbose").contains(arg.split("=")[0])) {
                throw new IllegalArgumentException("--resume takes the run's own options; only --threads, --json and "
                        + "--verbose may be added, not " + arg);
            }
        }
        Path file = resume.resolve(CHECKPOINT_FILE);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(resume + ": no " + CHECKPOINT_FILE
                    + " (was the run started with --checkpoint-every?)");
        }
        CheckpointFiles.Checkpoint checkpoint = CheckpointFiles.load(file);
        String stored = checkpoint.metadata().get(ARGUMENTS_KEY);
        List<String> arguments = new ArrayList<>();
        if (stored == null || !(Json.parse(stored) instanceof List<?> list)) {
            throw new InvalidInputException(file + ": checkpoint holds no command line");
        }
        list.forEach(a -> arguments.add(String.valueOf(a)));
        arguments.removeIf(a -> a.equals("--no-report"));
        TrainCommand resumed = new TrainCommand();
        CommandLine line = new CommandLine(resumed);
        line.setOut(spec.commandLine().getOut());
        line.setErr(spec.commandLine().getErr());
        line.parseArgs(arguments.toArray(String[]::new));
        resumed.report.runDir = resume;
        // Checkpoints written before the prune events were kept have none. They still resume exactly
        // (a long run need not start over), only without the prunes before the checkpoint.
        String prunes = checkpoint.metadata().get(PRUNES_KEY);
        List<PruneEvent> earlier;
        try {
            earlier = prunes == null ? List.of() : PruneJson.parseStored(prunes);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.inFile(file, "bad prune events in checkpoint: " + e.getMessage());
        }
        resumed.resumeState = new PrunedTraining.State(checkpoint.state(), earlier);
        if (common.threads != null) {
            resumed.common.threads = common.threads;
        }
        resumed.common.json |= common.json;
        resumed.common.verbose |= common.verbose;
        Progress.log("resuming " + resume + " after epoch " + checkpoint.state().completedEpochs());
        return resumed.call();
    }

    /**
     * The run's metrics: accuracy curves, every prune in a table, the spectra at the first and the
     * last prune and of the final networks, and parameters per layer before and after.
     *
     * @param initial the network as initialised (its shapes; training changes only its values)
     * @param pruned whether the run pruned
     */
    private RunMetrics runMetrics(Map<String, Object> doc, Network initial, PrunedTraining.Outcome outcome,
                                  PrunedTraining.Outcome baseline, boolean pruned) {
        RunMetrics m = report.metrics(spec, seed, doc);
        addCurve(m, pruned ? "pruned" : "trained", outcome);
        if (baseline != null) {
            addCurve(m, "baseline", baseline);
        }
        List<PruneEvent> prunes = outcome.prunes();
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
        Bema bema = pruning.fit.bema();
        m.spectra("Spectra of the final " + (pruned ? "pruned " : "") + "network (" + outcome.network().widthsString()
                + ")", LayerSpectrum.of(outcome.network(), bema));
        if (baseline != null) {
            m.spectra("Spectra of the final baseline network (" + baseline.network().widthsString() + ")",
                    LayerSpectrum.of(baseline.network(), bema));
        }
        if (pruned) {
            m.parameters(LayerParameters.of(initial, outcome.network()));
        }
        return m;
    }

    private static void addCurve(RunMetrics m, String name, PrunedTraining.Outcome outcome) {
        List<EpochRecord> epochs = outcome.epochs();
        m.accuracyByEpoch(name, epochs.stream().mapToInt(EpochRecord::epoch).toArray(),
                epochs.stream().mapToDouble(EpochRecord::testAccuracy).toArray());
    }

    private Map<String, Object> configJson(int threads, PruneAlgorithm algorithm) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("epochs", epochs);
        cfg.put("lr", network.lr);
        cfg.put("momentum", network.momentum);
        cfg.put("batch", network.batch);
        cfg.put("seed", seed);
        cfg.put("output_relu", outputRelu || pruning.fit.notebook);
        cfg.put("threads", threads);
        cfg.put("prune", algorithm.cliName());
        if (algorithm != PruneAlgorithm.NONE) {
            cfg.put("keep", pruning.keep == null ? "0.45" : pruning.keep);
            cfg.put("selector", pruning.selector);
            cfg.put("alpha", pruning.fit.alpha);
            cfg.put("beta", pruning.fit.beta);
            cfg.put("cutoff", pruning.fit.cutoff);
            cfg.put("notebook", pruning.fit.notebook);
            cfg.put("prune_from", pruneFrom);
            cfg.put("prune_every", pruneEvery);
        }
        return cfg;
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
