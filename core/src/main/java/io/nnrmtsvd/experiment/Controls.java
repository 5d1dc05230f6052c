package io.nnrmtsvd.experiment;

import io.nnrmtsvd.nn.EpochHook;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Evaluation;
import io.nnrmtsvd.nn.Examples;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.Trainer;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.prune.FactorPolicy;
import io.nnrmtsvd.prune.MagnitudePruner;
import io.nnrmtsvd.prune.NetworkPruner;
import io.nnrmtsvd.prune.PruneEvent;
import io.nnrmtsvd.prune.RandomRankPruner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The controls an RMT-SVD pruned run is compared with, each trained like it (same initial weights
 * when the caller passes them, same configuration and so the same shuffles) and matched to its
 * course: {@link Variant#MAGNITUDE}, the same parameter count by zeroing the smallest weights, and
 * {@link Variant#RANDOM_RANK}, the same ranks with singular values chosen at random.
 */
public final class Controls {
    private Controls() {
    }

    /**
     * A control's outcome.
     *
     * @param epochs one record per epoch
     * @param prunes the random-rank prunes (none for magnitude)
     * @param network the network at the end; for magnitude after its last zeroing
     * @param parameters its parameters; for magnitude the non-zero ones
     */
    public record Outcome(List<EpochRecord> epochs, List<PruneEvent> prunes, Network network, long parameters) {
        public Outcome {
            epochs = List.copyOf(epochs);
            prunes = List.copyOf(prunes);
        }
    }

    /**
     * Magnitude pruning at the pruned run's size: before every epoch, the smallest weights of the
     * whole network are zeroed down to the parameter count the pruned run had during that epoch
     * (each zeroing restarts the optimiser, as every prune does), and once more after the last
     * epoch, to the pruned run's final count. The zeroed weights may grow back while training.
     *
     * @param network trained in place
     * @param pruned the pruned run's epoch records, one per epoch of {@code config}
     * @param epochs told about every epoch
     */
    public static Outcome magnitude(Network network, Examples train, Examples test, TrainingConfig config,
                                    List<EpochRecord> pruned, PrunedTraining.Listeners epochs) {
        Map<Integer, Long> sizeAtEpoch = new HashMap<>();
        for (EpochRecord r : pruned) {
            sizeAtEpoch.put(r.epoch(), r.parameters());
        }
        EpochHook hook = new EpochHook() {
            @Override
            public Optional<Network> beforeEpoch(int epoch, Network current) {
                Long target = sizeAtEpoch.get(epoch);
                return target == null ? Optional.empty() : Optional.of(MagnitudePruner.prune(current, target));
            }

            @Override
            public void afterEpoch(EpochRecord record, Network current) {
                epochs.epochs().accept(record);
            }
        };
        Trainer.Result result = new Trainer(config, hook, epochs.batches()).train(network, train, test);
        Network last = MagnitudePruner.prune(result.network(), pruned.get(pruned.size() - 1).parameters());
        return new Outcome(result.epochs(), List.of(), last, MagnitudePruner.nonZeroParameters(last));
    }

    /**
     * The random-rank control: before each epoch the pruned run pruned, every layer is pruned to the
     * rank and with the action that prune gave it, keeping singular values drawn at random (see
     * {@link RandomRankPruner}).
     *
     * @param network trained in place; its structure must be that of the pruned run's initial network
     * @param pruned the pruned run's prunes, in order
     * @param factors the pruned run's factor policy
     * @param seed seeds the random choices
     */
    public static Outcome randomRank(Network network, Examples train, Examples test, TrainingConfig config,
                                     List<PruneEvent> pruned, FactorPolicy factors, long seed,
                                     PrunedTraining.Listeners listeners) {
        Map<Integer, PruneEvent> templates = new HashMap<>();
        for (PruneEvent e : pruned) {
            templates.put(e.epoch(), e);
        }
        RandomRankPruner pruner = new RandomRankPruner(factors, seed);
        List<PruneEvent> prunes = new ArrayList<>();
        EpochHook hook = new EpochHook() {
            @Override
            public Optional<Network> beforeEpoch(int epoch, Network current) {
                PruneEvent template = templates.get(epoch);
                if (template == null) {
                    return Optional.empty();
                }
                NetworkPruner.Result result = pruner.prune(current, template);
                prunes.add(result.event());
                listeners.prunes().accept(result.event());
                return Optional.of(result.network());
            }

            @Override
            public void afterEpoch(EpochRecord record, Network current) {
                listeners.epochs().accept(record);
            }
        };
        Trainer.Result result = new Trainer(config, hook, listeners.batches()).train(network, train, test);
        return new Outcome(result.epochs(), prunes, result.network(), result.network().parameterCount());
    }

    /** Test accuracy of a control's final network (for magnitude, after its last zeroing). */
    static double accuracy(Outcome outcome, Examples examples) {
        return Evaluation.of(outcome.network(), examples).accuracy();
    }
}
