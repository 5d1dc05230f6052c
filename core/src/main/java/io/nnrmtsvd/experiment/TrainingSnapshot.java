package io.nnrmtsvd.experiment;

import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.prune.PruneEvent;
import java.util.List;
import java.util.Objects;

/**
 * A training run after one of its epochs: its configuration and where it stands, which is enough
 * to resume it exactly. A snapshot read from a file is untrusted: the constructor checks that the
 * state can be the state of a run with this configuration.
 *
 * @param config the run's configuration
 * @param state the network, optimiser, epoch records and prune events so far
 * @param blasThreads the BLAS threads the run used: the same count resumes it to the same bits
 */
public record TrainingSnapshot(TrainingRunConfig config, PrunedTraining.State state, int blasThreads) {
    /** The most BLAS threads a snapshot may ask for. */
    public static final int MAX_BLAS_THREADS = 4096;

    /**
     * @throws IllegalArgumentException if the state does not belong to a run with this configuration
     */
    public TrainingSnapshot {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(state, "state");
        if (blasThreads < 1 || blasThreads > MAX_BLAS_THREADS) {
            throw new IllegalArgumentException("BLAS threads must be in [1, " + MAX_BLAS_THREADS + "], got "
                    + blasThreads);
        }
        int completed = state.training().completedEpochs();
        if (completed < 1 || completed > config.training().epochs()) {
            throw new IllegalArgumentException("the snapshot is after epoch " + completed + " of a run of "
                    + config.training().epochs() + " epochs");
        }
        Network network = state.training().network();
        int[] widths = config.widths();
        if (network.inputSize() != widths[0] || network.outputSize() != widths[widths.length - 1]) {
            throw new IllegalArgumentException("the stored network maps " + network.inputSize() + " inputs to "
                    + network.outputSize() + " outputs, but the run's layers are " + joined(widths));
        }
        if (network.layer(network.size() - 1).relu() != config.outputRelu()) {
            throw new IllegalArgumentException("the stored output layer " + (config.outputRelu() ? "lacks" : "has")
                    + " the ReLU the run's configuration " + (config.outputRelu() ? "asks for" : "does not have"));
        }
        List<EpochRecord> records = state.training().records();
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).epoch() != i + 1) {
                throw new IllegalArgumentException("epoch record " + (i + 1) + " is for epoch " + records.get(i).epoch());
            }
        }
        if (!records.get(records.size() - 1).widths().equals(network.widthsString())) {
            throw new IllegalArgumentException("the last epoch trained " + records.get(records.size() - 1).widths()
                    + " but the stored network is " + network.widthsString());
        }
        if (config.prune().isEmpty() && !state.prunes().isEmpty()) {
            throw new IllegalArgumentException("the run does not prune but the snapshot holds prune events");
        }
        boolean changed = false;
        for (PruneEvent e : state.prunes()) {
            if (e.epoch() < 1 || e.epoch() > completed) {
                throw new IllegalArgumentException("a prune event before epoch " + e.epoch() + " in a snapshot after "
                        + "epoch " + completed);
            }
            changed |= e.changed();
        }
        if (!changed && !network.widthsString().equals(joined(widths))) {
            throw new IllegalArgumentException("the stored network is " + network.widthsString()
                    + " but the run's layers are " + joined(widths) + " and no prune changed them");
        }
    }

    private static String joined(int[] widths) {
        StringBuilder s = new StringBuilder();
        for (int w : widths) {
            s.append(s.length() == 0 ? "" : "-").append(w);
        }
        return s.toString();
    }
}
