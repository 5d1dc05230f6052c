package io.nnrmtsvd.experiment;

import io.nnrmtsvd.nn.BatchListener;
import io.nnrmtsvd.nn.EpochHook;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Examples;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.Trainer;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.nn.TrainingState;
import io.nnrmtsvd.prune.NetworkPruner;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.prune.PruneEvent;
import io.nnrmtsvd.prune.PruningHook;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Trains one network, pruning it on a schedule when a pruning configuration is given. */
public final class PrunedTraining {
    private PrunedTraining() {
    }

    /**
     * When to prune, counted in epochs already trained (0 = before the first epoch).
     *
     * @param from first prune
     * @param every interval
     * @param until last possible prune ({@code Integer.MAX_VALUE}: no limit)
     */
    public record Schedule(int from, int every, int until) {
        /** @throws IllegalArgumentException unless 0 &lt;= from &lt;= until and every &gt;= 1 */
        public Schedule {
            if (from < 0 || every < 1 || until < from) {
                throw new IllegalArgumentException("--prune-every must be >= 1 and 0 <= --prune-from <= --prune-until");
            }
        }

        /** Before every epoch, as published. */
        public static final Schedule EVERY_EPOCH = new Schedule(0, 1, Integer.MAX_VALUE);
    }

    /** The final network, every epoch and every prune. */
    public record Outcome(Network network, List<EpochRecord> epochs, List<PruneEvent> prunes) {
        public Outcome {
            epochs = List.copyOf(epochs);
            prunes = List.copyOf(prunes);
        }

        /** Test accuracy after the last epoch, or NaN when no epoch ran. */
        public double finalAccuracy() {
            return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).testAccuracy();
        }
    }

    /**
     * Where a run stands after a completed epoch: enough to resume it with its whole history.
     *
     * @param training the trainer's state
     * @param prunes the prunes so far, in order
     */
    public record State(TrainingState training, List<PruneEvent> prunes) {
        public State {
            prunes = List.copyOf(prunes);
        }

        /** Before the first epoch. */
        public static State start(Network network) {
            return new State(new TrainingState(0, network, null, List.of()), List.of());
        }
    }

    /**
     * Listeners for a run's events; any may be a no-op.
     *
     * @param checkpoints given the state after every epoch (see {@link Trainer})
     */
    public record Listeners(Consumer<EpochRecord> epochs, Consumer<PruneEvent> prunes, BatchListener batches,
                            Consumer<State> checkpoints) {
        public static final Listeners NONE = new Listeners(e -> { }, p -> { }, BatchListener.NONE);

        /** Listeners without checkpoints. */
        public Listeners(Consumer<EpochRecord> epochs, Consumer<PruneEvent> prunes, BatchListener batches) {
            this(epochs, prunes, batches, state -> { });
        }
    }

    /**
     * Trains {@code network} in place.
     *
     * @param prune the pruning configuration, or empty to train without pruning
     */
    public static Outcome run(Network network, Examples train, Examples test, TrainingConfig config,
                              Optional<PruneConfig> prune, Schedule schedule, Listeners listeners) {
        return resume(State.start(network), train, test, config, prune, schedule, listeners);
    }

    /**
     * Continues a run from a state saved after one of its epochs (see {@link Trainer#resume});
     * prunes scheduled after that epoch happen as they would have. The outcome lists every epoch
     * and prune of the whole run, as the uninterrupted run's does.
     */
    public static Outcome resume(State start, Examples train, Examples test, TrainingConfig config,
                                 Optional<PruneConfig> prune, Schedule schedule, Listeners listeners) {
        List<PruneEvent> prunes = new ArrayList<>(start.prunes());
        Consumer<PruneEvent> onPrune = e -> {
            prunes.add(e);
            listeners.prunes().accept(e);
        };
        EpochHook pruning = prune.<EpochHook>map(p -> new PruningHook(new NetworkPruner(p), schedule.from(),
                schedule.every(), schedule.until(), config.epochs(), onPrune)).orElse(EpochHook.NONE);
        EpochHook hook = new EpochHook() {
            @Override
            public Optional<Network> beforeEpoch(int epoch, Network current) {
                return pruning.beforeEpoch(epoch, current);
            }

            @Override
            public void afterEpoch(EpochRecord record, Network current) {
                listeners.epochs().accept(record);
            }
        };
        Consumer<TrainingState> checkpoints = state -> listeners.checkpoints().accept(new State(state, prunes));
        Trainer.Result result = new Trainer(config, hook, listeners.batches(), checkpoints)
                .resume(start.training(), train, test);
        return new Outcome(result.network(), result.epochs(), prunes);
    }
}
