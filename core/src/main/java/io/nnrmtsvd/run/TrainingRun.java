package io.nnrmtsvd.run;

import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.experiment.PrunedTraining;
import io.nnrmtsvd.experiment.TrainingRunConfig;
import io.nnrmtsvd.experiment.TrainingSnapshot;
import io.nnrmtsvd.io.AtomicFiles;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.nn.BatchListener;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.prune.PruneEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A training run as {@code rmtsvd train} makes it: the data set prepared as the configuration says
 * (subset, normalisation), the initial network of the configuration, trained (and pruned on its schedule), then with {@code compare} the unpruned baseline from the
 * same initial weights; with {@code snapshotEvery}, a {@value #SNAPSHOT_FILE} in the run directory
 * after every that many epochs and after the last, from which {@link #resume} continues the run to
 * the same result (with the same BLAS threads, which the snapshot records).
 */
public final class TrainingRun {
    /** The snapshot's file name inside the run directory. */
    public static final String SNAPSHOT_FILE = "snapshot.safetensors";

    private TrainingRun() {
    }

    /**
     * The outcome.
     *
     * @param config the run's configuration
     * @param initial the network as initialised (its shapes; training changes only its values)
     * @param trained the trained (and pruned) network, its epochs and prunes
     * @param baseline the baseline's, with {@code compare}
     */
    public record Outcome(TrainingRunConfig config, Network initial, PrunedTraining.Outcome trained,
                          Optional<PrunedTraining.Outcome> baseline) {
    }

    /** Told what happens, as it happens. */
    public interface Listener {
        /** Training begins (or continues after {@code completedEpochs}) with {@code network}. */
        void started(Network network, int completedEpochs);

        /** Epoch {@code record} of the trained run, or of the baseline when {@code baseline}. */
        void epoch(boolean baseline, EpochRecord record);

        /** A prune of the trained run. */
        void prune(PruneEvent event);

        /** Progress within epochs of the trained run, or of the baseline. */
        BatchListener batches(boolean baseline);

        /** A snapshot after epoch {@code epoch} is complete at {@code file}. */
        void snapshot(Path file, int epoch);
    }

    /**
     * Trains from the start.
     *
     * @param runDir where snapshots go; may be null when {@code config.snapshotEvery()} is 0
     * @throws IllegalArgumentException if the configuration's widths do not fit the data set
     */
    public static Outcome run(TrainingRunConfig config, Dataset data, Path runDir, Listener listener) {
        data.checkWidths(config.widths());
        Network initial = config.initialNetwork();
        Network baselineStart = config.compare() ? initial.copy() : null;
        return train(config, PrunedTraining.State.start(initial), initial, baselineStart, data, runDir, listener);
    }

    /**
     * Reads the snapshot in {@code runDir} (see {@link TrainingSnapshots#load}); the caller loads the
     * data set its configuration names and calls {@link #resume}.
     *
     * @throws InvalidInputException if there is no snapshot or it is not valid
     */
    public static TrainingSnapshot snapshotIn(Path runDir) {
        Path file = runDir.resolve(SNAPSHOT_FILE);
        if (!Files.isDirectory(runDir)) {
            throw new InvalidInputException(runDir + ": no such run directory");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(runDir + ": no " + SNAPSHOT_FILE
                    + " (was the run started with --snapshot-every?)");
        }
        return TrainingSnapshots.load(file);
    }

    /**
     * Continues the run of {@code snapshot} to its end; snapshots go on into {@code runDir}. The
     * outcome is the uninterrupted run's (same BLAS thread count): every epoch and prune.
     *
     * @throws InvalidInputException if {@code data} is not the data set of the run, or does not
     *     fit the stored network
     */
    public static Outcome resume(TrainingSnapshot snapshot, Dataset data, Path runDir, Listener listener) {
        TrainingRunConfig config = snapshot.config();
        if (!config.dataset().equals(data.name())) {
            throw new InvalidInputException("the run trains on " + config.dataset() + ", not " + data.name());
        }
        try {
            data.checkWidths(config.widths());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("the snapshot's network does not fit " + data.name() + ": "
                    + e.getMessage(), e);
        }
        Network initial = config.initialNetwork();
        return train(config, snapshot.state(), initial, config.compare() ? initial.copy() : null, data, runDir,
                listener);
    }

    private static Outcome train(TrainingRunConfig config, PrunedTraining.State start, Network initial,
                                 Network baselineStart, Dataset whole, Path runDir, Listener listener) {
        Dataset data = config.data().apply(whole);
        listener.started(start.training().network(), start.training().completedEpochs());
        Consumer<PrunedTraining.State> snapshots = config.snapshotEvery() == 0 ? state -> { }
                : snapshotWriter(config, runDir.resolve(SNAPSHOT_FILE), listener);
        PrunedTraining.Outcome trained = PrunedTraining.resume(start, data.train(), data.test(), config.training(),
                config.prune(), config.schedule(), new PrunedTraining.Listeners(r -> listener.epoch(false, r),
                        listener::prune, listener.batches(false), snapshots));
        Optional<PrunedTraining.Outcome> baseline = Optional.empty();
        if (baselineStart != null) {
            baseline = Optional.of(PrunedTraining.run(baselineStart, data.train(), data.test(), config.training(),
                    Optional.empty(), config.schedule(), new PrunedTraining.Listeners(r -> listener.epoch(true, r),
                            e -> { }, listener.batches(true))));
        }
        return new Outcome(config, initial, trained, baseline);
    }

    /** Saves the state after every {@code snapshotEvery}-th epoch and after the last. */
    private static Consumer<PrunedTraining.State> snapshotWriter(TrainingRunConfig config, Path file,
                                                                Listener listener) {
        return state -> {
            int e = state.training().completedEpochs();
            if (e % config.snapshotEvery() == 0 || e == config.training().epochs()) {
                // Together, so that an exit right after the file appears still hears of it.
                AtomicFiles.together(() -> {
                    TrainingSnapshots.save(file, new TrainingSnapshot(config, state, OpenBlas.threads()));
                    listener.snapshot(file, e);
                });
            }
        };
    }
}
