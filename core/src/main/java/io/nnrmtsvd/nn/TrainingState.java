package io.nnrmtsvd.nn;

import java.util.List;

/**
 * Where a training run stands after a completed epoch: enough to resume it exactly.
 *
 * @param completedEpochs epochs trained so far
 * @param network the network (its parameters, not a copy)
 * @param optimizer the optimiser's momentum buffers
 * @param records one record per completed epoch
 */
public record TrainingState(int completedEpochs, Network network, Sgd.State optimizer, List<EpochRecord> records) {
    public TrainingState {
        records = List.copyOf(records);
        if (records.size() != completedEpochs) {
            throw new IllegalArgumentException(completedEpochs + " completed epochs but " + records.size() + " records");
        }
    }
}
