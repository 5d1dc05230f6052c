package io.nnrmtsvd.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.prune.PruneEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PrunedTrainingTest {
    private static final BlobSplits DATA = BlobSplits.of(600, 300, 20, 4, 52);
    private static final TrainingConfig CONFIG = new TrainingConfig(3, 0.05, 0.9, 32, 9);

    private static Network fresh() {
        return Network.initialize(new int[] {20, 64, 64, 4}, false, new SplittableRandom(9));
    }

    @Test
    void prunesBeforeTheFirstEpochAndEveryEpochAndStillLearns() {
        List<PruneEvent> heard = new ArrayList<>();
        List<EpochRecord> epochs = new ArrayList<>();
        Network start = fresh();
        PrunedTraining.Outcome outcome = PrunedTraining.run(start, DATA.train(), DATA.test(), CONFIG,
                Optional.of(PruneConfig.published(4, 9)), PrunedTraining.Schedule.EVERY_EPOCH,
                new PrunedTraining.Listeners(epochs::add, heard::add, io.nnrmtsvd.nn.BatchListener.NONE));
        assertEquals(3, outcome.prunes().size());
        assertEquals(outcome.prunes(), heard);
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, outcome.prunes().get(i).epoch(), "a prune precedes epoch " + (i + 1));
        }
        PruneEvent first = outcome.prunes().get(0);
        assertEquals("20-64-64-4", first.widthsBefore());
        assertTrue(first.changed(), "the first prune acts on the random initial weights: "
                + first.layers().stream().map(r -> r.action() + " " + r.reason()).toList());
        assertTrue(first.parametersAfter() < first.parametersBefore());
        assertEquals(3, outcome.epochs().size());
        assertEquals(outcome.epochs(), epochs);
        assertTrue(outcome.finalAccuracy() > 0.9, "final accuracy " + outcome.finalAccuracy());
        assertEquals(outcome.prunes().get(2).widthsAfter(), outcome.network().widthsString());
        assertTrue(outcome.network().parameterCount() < start.parameterCount());
    }

    @Test
    void withoutAPruneConfigNothingIsPruned() {
        PrunedTraining.Outcome outcome = PrunedTraining.run(fresh(), DATA.train(), DATA.test(), CONFIG,
                Optional.empty(), PrunedTraining.Schedule.EVERY_EPOCH, PrunedTraining.Listeners.NONE);
        assertTrue(outcome.prunes().isEmpty());
        assertEquals("20-64-64-4", outcome.network().widthsString());
        assertTrue(outcome.finalAccuracy() > 0.9, "final accuracy " + outcome.finalAccuracy());
    }

    @Test
    void scheduleDecidesWhichEpochsArePruned() {
        PrunedTraining.Outcome outcome = PrunedTraining.run(fresh(), DATA.train(), DATA.test(),
                new TrainingConfig(4, 0.05, 0.9, 32, 9), Optional.of(PruneConfig.published(4, 9)),
                new PrunedTraining.Schedule(1, 2, Integer.MAX_VALUE), PrunedTraining.Listeners.NONE);
        assertEquals(List.of(2, 4), outcome.prunes().stream().map(PruneEvent::epoch).toList());
        assertEquals(4, outcome.epochs().size());
        assertEquals("20-64-64-4", outcome.prunes().get(0).widthsBefore(), "nothing pruned before epoch 2");
        assertEquals(outcome.prunes().get(0).widthsAfter(), outcome.prunes().get(1).widthsBefore());
    }
}
