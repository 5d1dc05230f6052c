package io.nnrmtsvd.experiment;

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
 */
public record TrainingRunConfig(String dataset, int[] widths, boolean outputRelu, TrainingConfig training,
                                Optional<PruneConfig> prune, PrunedTraining.Schedule schedule, boolean compare,
                                int snapshotEvery) {
    /**
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public TrainingRunConfig {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(prune, "prune");
        Objects.requireNonNull(schedule, "schedule");
        widths = widths.clone();
        Network.checkWidths(widths);
        if (compare && prune.isEmpty()) {
            throw new IllegalArgumentException("--compare needs --prune");
        }
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("--snapshot-every must be >= 0, got " + snapshotEvery);
        }
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    /**
     * The initial network: PyTorch's default initialisation, seeded from a generator split off the
     * training seed, independent of the shuffling stream.
     */
    public Network initialNetwork() {
        return Network.initialize(widths, outputRelu, new SplittableRandom(training.seed()).split());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingRunConfig c && c.dataset.equals(dataset) && Arrays.equals(c.widths, widths)
                && c.outputRelu == outputRelu && c.training.equals(training) && c.prune.equals(prune)
                && c.schedule.equals(schedule) && c.compare == compare && c.snapshotEvery == snapshotEvery;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dataset, Arrays.hashCode(widths), outputRelu, training, prune, schedule, compare,
                snapshotEvery);
    }

    @Override
    public String toString() {
        return "TrainingRunConfig[dataset=" + dataset + ", widths=" + Arrays.toString(widths) + ", outputRelu="
                + outputRelu + ", training=" + training + ", prune=" + prune + ", schedule=" + schedule
                + ", compare=" + compare + ", snapshotEvery=" + snapshotEvery + "]";
    }
}
