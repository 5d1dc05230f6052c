package io.nnrmtsvd.experiment;

import io.nnrmtsvd.nn.BatchListener;
import io.nnrmtsvd.nn.EpochHook;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Evaluation;
import io.nnrmtsvd.nn.Examples;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.Trainer;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.prune.PruneEvent;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.BemaFit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The paper's two experiments (SPEC §7). A: every variant trained from the same initial weights,
 * repeated over seeds. B: train, BEMA's predicted rank of layer 0, and a rank sweep of that layer.
 */
public final class PaperExperiment {
    private PaperExperiment() {
    }

    /**
     * What to run.
     *
     * @param widths layer widths, input first
     * @param training Experiment A's training set-up; its seed is replaced by each run's seed
     * @param epochsB epochs of Experiment B's training (0 skips Experiment B)
     * @param seeds seeds of Experiment A, one initialisation each
     * @param variants variants of Experiment A, in order; {@link Variant#MAGNITUDE} and
     *     {@link Variant#RANDOM_RANK} need {@link Variant#PRUNE} before them
     * @param prune the pruning of the prune variants (its notebook flag is set by the variant)
     * @param predictedRank the BEMA settings of Experiment B's predicted rank (the notebook's:
     *     alpha {@value PruneConfig#PREDICTED_RANK_ALPHA}, see {@link RankSweep#PREDICTED_RANK})
     * @param sweepRanks ranks of Experiment B's sweep
     * @param parallel run seeds concurrently (the caller sets BLAS to one thread)
     */
    public record Settings(int[] widths, TrainingConfig training, int epochsB, long[] seeds, List<Variant> variants,
                           PruneConfig prune, Bema predictedRank, int[] sweepRanks, boolean parallel) {
        public Settings {
            for (Variant v : variants) {
                if (v.followsPrune() && (!variants.contains(Variant.PRUNE)
                        || variants.indexOf(v) < variants.indexOf(Variant.PRUNE))) {
                    throw new IllegalArgumentException("variant " + v + " needs variant prune before it (it follows "
                            + "its course)");
                }
            }
            if (seeds.length == 0 || variants.isEmpty()) {
                throw new IllegalArgumentException("need at least one seed and one variant");
            }
        }
    }

    /**
     * One variant trained from one seed.
     *
     * @param finalAccuracy test accuracy at the end (for magnitude: after its last zeroing)
     * @param parameters parameters at the end (for magnitude: non-zero ones)
     */
    public record VariantRun(Variant variant, long seed, List<EpochRecord> epochs, List<PruneEvent> prunes,
                             double finalAccuracy, long parameters, String widths, double seconds) {
    }

    /**
     * Experiment A: per seed, per variant; summaries over seeds.
     *
     * @param differenceToReference per variant whose {@link Variant#reference()} ran too, the
     *     paired difference variant - reference of the final accuracies
     */
    public record ResultA(List<Map<Variant, VariantRun>> runs, Map<Variant, SampleSummary> accuracy,
                          Map<Variant, SampleSummary> differenceToReference) {
    }

    /** Experiment B's outcome. */
    public record ResultB(long seed, List<EpochRecord> epochs, double fullAccuracy, BemaFit predicted,
                          double accuracyAtPredicted, List<RankSweep.Point> sweep, int rows, int cols) {
    }

    /** Progress of a run: log lines and batches. */
    public record Listener(Consumer<String> log, BatchListener batches) {
    }

    /** Runs the variants of one seed of Experiment A, wherever that happens. */
    @FunctionalInterface
    public interface SeedRunner {
        Map<Variant, VariantRun> run(long seed);
    }

    /** Runs Experiment A in this process: the seeds one after another, or concurrently if the settings say so. */
    public static ResultA runA(Settings s, Examples train, Examples test, Listener listener)
            throws InterruptedException {
        if (s.parallel() && s.seeds().length > 1) {
            Listener quiet = new Listener(listener.log(), BatchListener.NONE);
            return runA(s, seed -> runSeed(s, seed, train, test, quiet),
                    Math.min(s.seeds().length, Runtime.getRuntime().availableProcessors()));
        }
        List<Map<Variant, VariantRun>> runs = new ArrayList<>();
        for (long seed : s.seeds()) {
            runs.add(runSeed(s, seed, train, test, listener));
        }
        return summarised(s, runs);
    }

    /**
     * Runs Experiment A with {@code runner}, up to {@code workers} seeds at a time (each runner call
     * on a thread of its own, e.g. one that waits for a cluster); the runs in the order of the seeds.
     */
    public static ResultA runA(Settings s, SeedRunner runner, int workers) throws InterruptedException {
        List<Map<Variant, VariantRun>> runs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(workers, s.seeds().length)));
        try {
            List<Future<Map<Variant, VariantRun>>> futures = new ArrayList<>();
            for (long seed : s.seeds()) {
                futures.add(pool.submit(() -> runner.run(seed)));
            }
            for (Future<Map<Variant, VariantRun>> f : futures) {
                runs.add(f.get());
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return summarised(s, runs);
    }

    private static ResultA summarised(Settings s, List<Map<Variant, VariantRun>> runs) {
        Map<Variant, SampleSummary> accuracy = new EnumMap<>(Variant.class);
        Map<Variant, SampleSummary> difference = new EnumMap<>(Variant.class);
        for (Variant v : s.variants()) {
            double[] acc = finalAccuracies(runs, v);
            accuracy.put(v, SampleSummary.of(acc));
            v.reference().filter(s.variants()::contains).ifPresent(ref ->
                    difference.put(v, SampleSummary.ofDifferences(acc, finalAccuracies(runs, ref))));
        }
        return new ResultA(runs, accuracy, difference);
    }

    /** Runs Experiment B with the first seed: train, predict layer 0's rank, sweep it. */
    public static ResultB runB(Settings s, Examples train, Examples test, Listener listener) {
        long seed = s.seeds()[0];
        TrainingConfig config = new TrainingConfig(s.epochsB(), s.training().learningRate(), s.training().momentum(),
                s.training().batchSize(), seed);
        Network network = initial(s.widths(), seed);
        Trainer.Result trained = new Trainer(config, logEpochs(listener, "B train", s.epochsB()),
                listener.batches()).train(network, train, test);
        Network model = trained.network();
        double full = Evaluation.of(model, test).accuracy();
        BemaFit predicted = RankSweep.predictedRank(model, 0, s.predictedRank());
        int p = Math.min(model.layer(0).in(), model.layer(0).out());
        int[] ranks = java.util.Arrays.stream(s.sweepRanks()).filter(k -> k <= p).toArray();
        listener.log().accept("B: layer 0 predicted rank " + predicted.spikes() + ", sweeping " + ranks.length + " ranks");
        List<RankSweep.Point> sweep = RankSweep.run(model, 0, ranks, test, i -> { });
        double atPredicted = RankSweep.run(model, 0, new int[] {predicted.spikes()}, test, i -> { }).get(0).accuracy();
        return new ResultB(seed, trained.epochs(), full, predicted, atPredicted, sweep, model.layer(0).out(),
                model.layer(0).in());
    }

    /** The initial network of a seed: PyTorch's default initialisation, no ReLU on the output. */
    public static Network initial(int[] widths, long seed) {
        return Network.initialize(widths, false, new SplittableRandom(seed).split());
    }

    /** Runs every variant of one seed of Experiment A, in the order of the settings. */
    public static Map<Variant, VariantRun> runSeed(Settings s, long seed, Examples train, Examples test,
                                                   Listener listener) {
        Network start = initial(s.widths(), seed);
        TrainingConfig config = new TrainingConfig(s.training().epochs(), s.training().learningRate(),
                s.training().momentum(), s.training().batchSize(), seed, s.training().measureTrainAccuracy());
        Map<Variant, VariantRun> runs = new EnumMap<>(Variant.class);
        for (Variant v : s.variants()) {
            long t0 = System.nanoTime();
            String label = "seed " + seed + " " + v;
            VariantRun run = switch (v) {
                case MAGNITUDE -> runMagnitude(start.copy(), train, test, config, runs.get(Variant.PRUNE), listener,
                        label);
                case RANDOM_RANK -> runRandomRank(start.copy(), train, test, config, s.prune(),
                        runs.get(Variant.PRUNE), listener, label);
                default -> runPruned(v, start, train, test, config, s.prune(), listener, label);
            };
            run = new VariantRun(run.variant(), seed, run.epochs(), run.prunes(), run.finalAccuracy(),
                    run.parameters(), run.widths(), (System.nanoTime() - t0) / 1e9);
            listener.log().accept(String.format(java.util.Locale.ROOT, "%s: final test accuracy %.2f%%, %d parameters, %.1f s",
                    label, 100 * run.finalAccuracy(), run.parameters(), run.seconds()));
            runs.put(v, run);
        }
        return runs;
    }

    private static VariantRun runPruned(Variant v, Network start, Examples train, Examples test,
                                        TrainingConfig config, PruneConfig prune, Listener listener, String label) {
        boolean outputRelu = v == Variant.NOTEBOOK || v == Variant.NOTEBOOK_BASELINE;
        Network network = outputRelu ? start.withOutputRelu(true) : start.copy();
        Optional<PruneConfig> pruning = switch (v) {
            case BASELINE, NOTEBOOK_BASELINE -> Optional.empty();
            case NOTEBOOK -> Optional.of(new PruneConfig(prune.algorithm(), prune.keep(),
                    prune.bema().withNotebookQuirks(true), prune.selector(), prune.minRank(), prune.factors(),
                    prune.seed()));
            default -> Optional.of(prune);
        };
        PrunedTraining.Schedule schedule = switch (v) {
            case PRUNE_INIT_ONLY -> new PrunedTraining.Schedule(0, 1, 0);
            case PRUNE_TRAINED_ONLY -> new PrunedTraining.Schedule(1, 1, Integer.MAX_VALUE);
            default -> PrunedTraining.Schedule.EVERY_EPOCH;
        };
        PrunedTraining.Outcome outcome = PrunedTraining.run(network, train, test, config, pruning, schedule,
                new PrunedTraining.Listeners(
                        r -> listener.log().accept(label + " " + epochLine(r, config.epochs())),
                        e -> listener.log().accept(label + " before epoch " + e.epoch() + ": pruned "
                                + e.widthsBefore() + " -> " + e.widthsAfter()),
                        listener.batches()));
        return new VariantRun(v, config.seed(), outcome.epochs(), outcome.prunes(), outcome.finalAccuracy(),
                outcome.network().parameterCount(), outcome.network().widthsString(), 0);
    }

    private static VariantRun runMagnitude(Network network, Examples train, Examples test, TrainingConfig config,
                                           VariantRun prune, Listener listener, String label) {
        Controls.Outcome outcome = Controls.magnitude(network, train, test, config, prune.epochs(),
                new PrunedTraining.Listeners(r -> listener.log().accept(label + " " + epochLine(r, config.epochs())),
                        e -> { }, listener.batches()));
        return new VariantRun(Variant.MAGNITUDE, config.seed(), outcome.epochs(), List.of(),
                Controls.accuracy(outcome, test), outcome.parameters(), outcome.network().widthsString(), 0);
    }

    private static VariantRun runRandomRank(Network network, Examples train, Examples test, TrainingConfig config,
                                            PruneConfig prune, VariantRun pruned, Listener listener, String label) {
        Controls.Outcome outcome = Controls.randomRank(network, train, test, config, pruned.prunes(), prune.factors(),
                config.seed(), new PrunedTraining.Listeners(
                        r -> listener.log().accept(label + " " + epochLine(r, config.epochs())),
                        e -> listener.log().accept(label + " before epoch " + e.epoch() + ": pruned "
                                + e.widthsBefore() + " -> " + e.widthsAfter()),
                        listener.batches()));
        return new VariantRun(Variant.RANDOM_RANK, config.seed(), outcome.epochs(), outcome.prunes(),
                outcome.epochs().get(outcome.epochs().size() - 1).testAccuracy(), outcome.parameters(),
                outcome.network().widthsString(), 0);
    }

    private static EpochHook logEpochs(Listener listener, String label, int epochs) {
        return new EpochHook() {
            @Override
            public void afterEpoch(EpochRecord record, Network network) {
                listener.log().accept(label + " " + epochLine(record, epochs));
            }
        };
    }

    private static String epochLine(EpochRecord r, int epochs) {
        return String.format(java.util.Locale.ROOT, "epoch %d/%d: test accuracy %.2f%%, %.1f s, %s", r.epoch(), epochs,
                100 * r.testAccuracy(), r.seconds(), r.widths());
    }

    private static double[] finalAccuracies(List<Map<Variant, VariantRun>> runs, Variant v) {
        return runs.stream().mapToDouble(m -> m.get(v).finalAccuracy()).toArray();
    }
}
