package io.nnrmtsvd.experiment;

import io.nnrmtsvd.data.DataPreparation;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.nn.BatchListener;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Initialization;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.prune.PruneEvent;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The title's second claim, that pruning noise singular values during training reduces
 * overfitting, tested where a network overfits: a small training set, a wide network, many
 * epochs. For every seed, each variant trains from the same initial weights with the same
 * shuffles: the unpruned {@link Variant#BASELINE}, the RMT-SVD pruned {@link Variant#PRUNE}, and
 * its two controls at equal size, {@link Variant#MAGNITUDE} and {@link Variant#RANDOM_RANK}. Train
 * and test accuracy are measured after every epoch; the generalisation gap is train accuracy minus
 * test accuracy. Summaries over seeds, and differences to the baseline paired by seed, are
 * {@link SampleSummary} values (Student t 95% intervals).
 */
public final class OverfitExperiment {
    /** The variants this experiment runs, in the order they are reported. */
    public static final List<Variant> VARIANTS = List.of(Variant.BASELINE, Variant.PRUNE, Variant.MAGNITUDE,
            Variant.RANDOM_RANK);

    private OverfitExperiment() {
    }

    /**
     * What to run.
     *
     * @param dataset the data set's name
     * @param widths layer widths, input first; ReLU between hidden layers, none on the output
     * @param training the SGD set-up (with the recipe's decay and penalty); its seed is replaced by
     *     each run's seed (and stored as 0), and training accuracy is always measured
     * @param init how the initial networks are drawn
     * @param data what is done to the data set first (the training subset, normalisation)
     * @param prune how {@link Variant#PRUNE} prunes (its random-rank control replays the prunes)
     * @param schedule when {@link Variant#PRUNE} prunes
     * @param seeds one initialisation and one shuffling stream each
     * @param variants a subset of {@link #VARIANTS}; the controls need {@link Variant#PRUNE}
     */
    public record Settings(String dataset, int[] widths, TrainingConfig training, Initialization init,
                           DataPreparation data, PruneConfig prune, PrunedTraining.Schedule schedule, long[] seeds,
                           List<Variant> variants) {
        /** @throws IllegalArgumentException naming the setting that is out of range */
        public Settings {
            Objects.requireNonNull(dataset, "dataset");
            Objects.requireNonNull(init, "init");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(prune, "prune");
            Objects.requireNonNull(schedule, "schedule");
            Network.checkWidths(widths);
            widths = widths.clone();
            seeds = seeds.clone();
            training = training.withTrainAccuracy(true).withSeed(0);
            variants = List.copyOf(variants);
            if (seeds.length == 0 || variants.isEmpty()) {
                throw new IllegalArgumentException("need at least one seed and one variant");
            }
            if (training.epochs() < 1) {
                throw new IllegalArgumentException("--epochs must be >= 1, got " + training.epochs());
            }
            if (Arrays.stream(seeds).distinct().count() != seeds.length) {
                throw new IllegalArgumentException("seeds must differ: " + Arrays.toString(seeds));
            }
            if (new HashSet<>(variants).size() != variants.size()) {
                throw new IllegalArgumentException("a variant is listed twice: " + variants);
            }
            for (Variant v : variants) {
                if (!VARIANTS.contains(v)) {
                    throw new IllegalArgumentException("experiment overfit runs " + VARIANTS + ", not " + v);
                }
                if (v.followsPrune() && !variants.contains(Variant.PRUNE)) {
                    throw new IllegalArgumentException("variant " + v + " needs variant prune (it follows its course)");
                }
            }
        }

        @Override
        public int[] widths() {
            return widths.clone();
        }

        @Override
        public long[] seeds() {
            return seeds.clone();
        }

        /** The training configuration of the runs of one seed. */
        public TrainingConfig trainingFor(long seed) {
            return training.withSeed(seed);
        }

        /** The initial network of a seed, shared by all its variants; no ReLU on the output. */
        public Network initial(long seed) {
            return Network.initialize(widths, false, init, new SplittableRandom(seed).split());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Settings s && s.dataset.equals(dataset) && Arrays.equals(s.widths, widths)
                    && s.training.equals(training) && s.init == init && s.data.equals(data) && s.prune.equals(prune)
                    && s.schedule.equals(schedule) && Arrays.equals(s.seeds, seeds) && s.variants.equals(variants);
        }

        @Override
        public int hashCode() {
            return Objects.hash(dataset, Arrays.hashCode(widths), training, init, data, prune, schedule,
                    Arrays.hashCode(seeds), variants);
        }

        @Override
        public String toString() {
            return "Settings[dataset=" + dataset + ", widths=" + Arrays.toString(widths) + ", training=" + training
                    + ", init=" + init + ", data=" + data + ", prune=" + prune + ", schedule=" + schedule + ", seeds="
                    + Arrays.toString(seeds) + ", variants=" + variants + "]";
        }
    }

    /**
     * One variant trained from one seed.
     *
     * @param epochs one record per epoch, each with train and test accuracy
     * @param prunes the prunes ({@link Variant#PRUNE}, {@link Variant#RANDOM_RANK}; else none)
     * @param finalTestAccuracy test accuracy at the end (for magnitude after its last zeroing)
     * @param finalTrainAccuracy training accuracy at the end (likewise)
     * @param parameters parameters at the end (for magnitude the non-zero ones)
     * @param widths the final network's widths
     * @param seconds wall time of the run
     */
    public record Run(Variant variant, long seed, List<EpochRecord> epochs, List<PruneEvent> prunes,
                      double finalTestAccuracy, double finalTrainAccuracy, long parameters, String widths,
                      double seconds) {
        public Run {
            epochs = List.copyOf(epochs);
            prunes = List.copyOf(prunes);
            if (epochs.isEmpty()) {
                throw new IllegalArgumentException("a run has at least one epoch");
            }
        }

        /** The generalisation gap at the end: train accuracy - test accuracy. */
        public double gap() {
            return finalTrainAccuracy - finalTestAccuracy;
        }

        /** The highest test accuracy after any epoch. */
        public double bestTestAccuracy() {
            return epochs.stream().mapToDouble(EpochRecord::testAccuracy).max().orElseThrow();
        }
    }

    /** Told about a run's epochs, prunes and batches. */
    public record Listener(Consumer<EpochRecord> epochs, Consumer<PruneEvent> prunes, BatchListener batches) {
        /** A listener that ignores everything. */
        public static final Listener NONE = new Listener(r -> { }, e -> { }, BatchListener.NONE);
    }

    /**
     * Trains one variant from one seed.
     *
     * @param data the data set, already prepared with {@link Settings#data()}; only read
     * @param prune the {@link Variant#PRUNE} run of the same seed, for the variants that follow it
     */
    public static Run run(Settings s, long seed, Variant variant, Dataset data, Optional<Run> prune,
                          Listener listener) {
        if (variant.followsPrune() && prune.isEmpty()) {
            throw new IllegalArgumentException("variant " + variant + " needs the prune run of seed " + seed);
        }
        long started = System.nanoTime();
        Network network = s.initial(seed);
        TrainingConfig config = s.trainingFor(seed);
        PrunedTraining.Listeners listeners = new PrunedTraining.Listeners(listener.epochs(), listener.prunes(),
                listener.batches());
        Run run = switch (variant) {
            case BASELINE, PRUNE -> {
                PrunedTraining.Outcome o = PrunedTraining.run(network, data.train(), data.test(), config,
                        variant == Variant.PRUNE ? Optional.of(s.prune()) : Optional.empty(), s.schedule(), listeners);
                EpochRecord last = o.epochs().get(o.epochs().size() - 1);
                yield new Run(variant, seed, o.epochs(), o.prunes(), last.testAccuracy(), last.trainAccuracy(),
                        o.network().parameterCount(), o.network().widthsString(), 0);
            }
            case MAGNITUDE -> {
                Controls.Outcome o = Controls.magnitude(network, data.train(), data.test(), config,
                        prune.orElseThrow().epochs(), listeners);
                yield new Run(variant, seed, o.epochs(), o.prunes(), Controls.accuracy(o, data.test()),
                        Controls.accuracy(o, data.train()), o.parameters(), o.network().widthsString(), 0);
            }
            case RANDOM_RANK -> {
                Controls.Outcome o = Controls.randomRank(network, data.train(), data.test(), config,
                        prune.orElseThrow().prunes(), s.prune().factors(), seed, listeners);
                EpochRecord last = o.epochs().get(o.epochs().size() - 1);
                yield new Run(variant, seed, o.epochs(), o.prunes(), last.testAccuracy(), last.trainAccuracy(),
                        o.parameters(), o.network().widthsString(), 0);
            }
            default -> throw new IllegalArgumentException("experiment overfit does not run variant " + variant);
        };
        return new Run(run.variant(), seed, run.epochs(), run.prunes(), run.finalTestAccuracy(),
                run.finalTrainAccuracy(), run.parameters(), run.widths(), (System.nanoTime() - started) / 1e9);
    }

    /**
     * One variant over seeds.
     *
     * @param finalTest test accuracy at the end
     * @param bestTest the best test accuracy of each run
     * @param finalTrain training accuracy at the end
     * @param gap train - test accuracy at the end
     * @param meanParameters mean parameters at the end
     * @param seconds summed wall time of the runs
     */
    public record VariantSummary(SampleSummary finalTest, SampleSummary bestTest, SampleSummary finalTrain,
                                 SampleSummary gap, double meanParameters, double seconds) {
    }

    /** A variant minus the baseline, seed by seed. */
    public record Difference(SampleSummary finalTest, SampleSummary bestTest, SampleSummary gap) {
    }

    /**
     * Summaries of every variant, and of every variant but the baseline its paired difference to
     * the baseline (when the baseline ran).
     */
    public record Summary(Map<Variant, VariantSummary> variants, Map<Variant, Difference> toBaseline) {
    }

    /**
     * Summarises runs, one per seed and variant of the settings.
     *
     * @throws IllegalArgumentException if a run is missing
     */
    public static Summary summarise(Settings s, List<Run> runs) {
        Map<Variant, VariantSummary> variants = new EnumMap<>(Variant.class);
        Map<Variant, Difference> differences = new EnumMap<>(Variant.class);
        for (Variant v : s.variants()) {
            List<Run> of = runsOf(s, runs, v);
            variants.put(v, new VariantSummary(summary(of, Run::finalTestAccuracy), summary(of, Run::bestTestAccuracy),
                    summary(of, Run::finalTrainAccuracy), summary(of, Run::gap),
                    of.stream().mapToLong(Run::parameters).average().orElseThrow(),
                    of.stream().mapToDouble(Run::seconds).sum()));
        }
        if (s.variants().contains(Variant.BASELINE)) {
            List<Run> base = runsOf(s, runs, Variant.BASELINE);
            for (Variant v : s.variants()) {
                if (v != Variant.BASELINE) {
                    List<Run> of = runsOf(s, runs, v);
                    differences.put(v, new Difference(paired(of, base, Run::finalTestAccuracy),
                            paired(of, base, Run::bestTestAccuracy), paired(of, base, Run::gap)));
                }
            }
        }
        return new Summary(variants, differences);
    }

    /** The runs of variant {@code v}, in the order of the settings' seeds. */
    public static List<Run> runsOf(Settings s, List<Run> runs, Variant v) {
        return Arrays.stream(s.seeds()).mapToObj(seed -> runs.stream()
                .filter(r -> r.seed() == seed && r.variant() == v).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no run of seed " + seed + " variant " + v)))
                .toList();
    }

    private static SampleSummary summary(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
        return SampleSummary.of(runs.stream().mapToDouble(f).toArray());
    }

    private static SampleSummary paired(List<Run> a, List<Run> b, java.util.function.ToDoubleFunction<Run> f) {
        return SampleSummary.ofDifferences(a.stream().mapToDouble(f).toArray(), b.stream().mapToDouble(f).toArray());
    }

    /** A per-epoch quantity. */
    public enum Measure {
        /** Training accuracy after the epoch. */
        TRAIN,
        /** Test accuracy after the epoch. */
        TEST,
        /** Training minus test accuracy after the epoch. */
        GAP;

        double of(EpochRecord r) {
            return switch (this) {
                case TRAIN -> r.trainAccuracy();
                case TEST -> r.testAccuracy();
                case GAP -> r.trainAccuracy() - r.testAccuracy();
            };
        }
    }

    /**
     * A per-epoch quantity over seeds: its mean, and the lowest and highest seed at every epoch.
     *
     * @param epochs 1, 2, ...
     */
    public record Band(int[] epochs, double[] mean, double[] low, double[] high) {
    }

    /** The band of {@code measure} over the runs of variant {@code v}, one per seed. */
    public static Band band(Settings s, List<Run> runs, Variant v, Measure measure) {
        List<Run> of = runsOf(s, runs, v);
        int epochs = of.get(0).epochs().size();
        int[] x = new int[epochs];
        double[] mean = new double[epochs];
        double[] low = new double[epochs];
        double[] high = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            x[e] = e + 1;
            int epoch = e;
            double[] values = of.stream().mapToDouble(r -> measure.of(r.epochs().get(epoch))).toArray();
            mean[e] = Arrays.stream(values).average().orElseThrow();
            low[e] = Arrays.stream(values).min().orElseThrow();
            high[e] = Arrays.stream(values).max().orElseThrow();
        }
        return new Band(x, mean, low, high);
    }
}
