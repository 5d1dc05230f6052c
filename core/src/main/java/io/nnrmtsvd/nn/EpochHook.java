package io.nnrmtsvd.nn;

import java.util.Optional;

/**
 * Called by {@link Trainer} around every epoch; pruning plugs in here. Both methods do nothing by
 * default.
 */
public interface EpochHook {
    /** A hook that never changes anything. */
    EpochHook NONE = new EpochHook() {
    };

    /**
     * Called before epoch {@code epoch} (1-based) trains.
     *
     * @return a replacement network (the trainer then starts a fresh optimiser), or empty to keep
     *     training {@code network} as it is
     */
    default Optional<Network> beforeEpoch(int epoch, Network network) {
        return Optional.empty();
    }

    /** Called after epoch {@code record.epoch()} has been trained and evaluated. */
    default void afterEpoch(EpochRecord record, Network network) {
    }
}
