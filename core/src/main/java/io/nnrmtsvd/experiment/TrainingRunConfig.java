package io.nnrmtsvd.experiment;

import io.nnrmtsvd.data.DataPreparation;
import io.nnrmtsvd.nn.Initialization;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.prune.PruneConfig;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Everything a training run depends on, as one value: what {@code rmtsvd train} builds from its
 * options, what a snapshot of the run stores, and what resuming it validates.
 *
 * @param dataset the data set's name
 * @param widths layer widths of the initial network, input first
 * @param outputRelu ReLU on the output layer too (the original notebook's choice)
 * @param training the SGD set-up, epochs and seed
 * @param prune how to prune, or empty to train without pruning
 * @param schedule when to prune
 * @param compare also train the unpruned baseline from the same initial weights
 * @param snapshotEvery save a snapshot every this many epochs (and after the last); 0 for none
 * @param init how the initial network is drawn
 * @param data what is done to the data set before training (subset, normalisation)
 */
public record TrainingRunConfig(String dataset, int[] widths, boolean outputRelu, TrainingConfig training,
                                Optional<PruneConfig> prune, PrunedTraining.Schedule schedule, boolean compare,
                                int snapshotEvery, Initialization init, DataPreparation data) {
    /**
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public TrainingRunConfig {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(prune, "prune");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(data, "data");
        widths = widths.clone();
        Network.checkWidths(widths);
        if (compare && prune.isEmpty()) {
            throw new IllegalArgumentException("--compare needs --prune");
        }
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("--snapshot-every must be >= 0, got " + snapshotEvery);
        }
    }

    /** A run with PyTorch's default initialisation on the data as it is. */
    public TrainingRunConfig(String dataset, int[] widths, boolean outputRelu, TrainingConfig training,
                             Optional<PruneConfig> prune, PrunedTraining.Schedule schedule, boolean compare,
                             int snapshotEvery) {
        this(dataset, widths, outputRelu, training, prune, schedule, compare, snapshotEvery, Initialization.UNIFORM,
                DataPreparation.NONE);
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    /**
     * The initial network: drawn as {@link #init()} says, seeded from a generator split off the
     * training seed, independent of the shuffling stream.
     */
    public Network initialNetwork() {
        return Network.initialize(widths, outputRelu, init, new SplittableRandom(training.seed()).split());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingRunConfig c && c.dataset.equals(dataset) && Arrays.equals(c.widths, widths)
                && c.outputRelu == outputRelu && c.training.equals(training) && c.prune.equals(prune)
                && c.schedule.equals(schedule) && c.compare == compare && c.snapshotEvery == snapshotEvery
                && c.init == init && c.data.equals(data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dataset, Arrays.hashCode(widths), outputRelu, training, prune, schedule, compare,
                snapshotEvery, init, data);
    }

    @Override
    public String toString() {
        return "TrainingRunConfig[dataset=" + dataset + ", widths=" + Arrays.toString(widths) + ", outputRelu="
                + outputRelu + ", training=" + training + ", prune=" + prune + ", schedule=" + schedule
                + ", compare=" + compare + ", snapshotEvery=" + snapshotEvery + ", init=" + init + ", data=" + data + "]";
    }
}
