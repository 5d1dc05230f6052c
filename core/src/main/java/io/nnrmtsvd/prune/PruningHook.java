package io.nnrmtsvd.prune;

import io.nnrmtsvd.nn.EpochHook;
import io.nnrmtsvd.nn.Network;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Prunes the network before scheduled epochs of training. Epochs are counted as the number of
 * epochs already trained: 0 is before the first epoch (SPEC §7 starts there). Every prune hands
 * the trainer a network, so it starts a fresh optimiser, as the published set-up does.
 */
public final class PruningHook implements EpochHook {
    private final NetworkPruner pruner;
    private final int from;
    private final int every;
    private final int until;
    private final int epochs;
    private final Consumer<PruneEvent> listener;

    /**
     * @param from first prune after this many trained epochs (0 = before the first)
     * @param every prune every this many epochs from then on
     * @param until last prune after at most this many trained epochs ({@code Integer.MAX_VALUE}
     *     for no limit)
     * @param epochs the run's epochs, for the keep schedule
     * @param listener told about every prune
     */
    public PruningHook(NetworkPruner pruner, int from, int every, int until, int epochs,
                       Consumer<PruneEvent> listener) {
        if (from < 0 || every < 1 || until < from) {
            throw new IllegalArgumentException("bad prune schedule: from " + from + ", every " + every
                    + ", until " + until);
        }
        this.pruner = pruner;
        this.from = from;
        this.every = every;
        this.until = until;
        this.epochs = epochs;
        this.listener = listener;
    }

    /** Whether a prune precedes epoch {@code epoch} (1-based). */
    public boolean due(int epoch) {
        int trained = epoch - 1;
        return trained >= from && trained <= until && (trained - from) % every == 0;
    }

    @Override
    public Optional<Network> beforeEpoch(int epoch, Network network) {
        if (!due(epoch)) {
            return Optional.empty();
        }
        NetworkPruner.Result result = pruner.prune(network, epoch, epochs);
        listener.accept(result.event());
        return Optional.of(result.network());
    }
}
