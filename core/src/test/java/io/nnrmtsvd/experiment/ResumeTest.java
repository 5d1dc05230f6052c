package io.nnrmtsvd.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.OffHeapFloats;
import io.nnrmtsvd.nn.BatchListener;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Examples;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.Sgd;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.nn.TrainingState;
import io.nnrmtsvd.prune.FactorPolicy;
import io.nnrmtsvd.prune.KeepSchedule;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.rmt.Bema;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A run resumed from the state after an epoch ends exactly as the uninterrupted run. */
class ResumeTest {
    private static Examples data(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        FloatBuffer x = OffHeapFloats.allocate(count * 30L);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(3);
            for (int j = 0; j < 30; j++) {
                x.put(i * 30 + j, (float) ((j % 3 == labels[i] ? 1 : 0) + random.nextDouble(-0.8, 0.8)));
            }
        }
        return new Examples(x, labels, 30);
    }

    /** A deep copy of a state (the live one keeps changing as training goes on). */
    private static PrunedTraining.State snapshot(PrunedTraining.State state) {
        TrainingState s = state.training();
        Sgd.State o = s.optimizer();
        return new PrunedTraining.State(new TrainingState(s.completedEpochs(), s.network().copy(),
                new Sgd.State(o.weightVelocity().clone(), o.biasVelocity().clone()), s.records()), state.prunes());
    }

    /** Records with the wall time zeroed: everything else must match exactly. */
    private static List<EpochRecord> withoutTimes(List<EpochRecord> records) {
        return records.stream().map(r -> new EpochRecord(r.epoch(), r.trainLoss(), r.testLoss(), r.testAccuracy(),
                r.trainAccuracy(), 0, r.parameters(), r.widths())).toList();
    }

    private static void assertResumeEqualsUninterrupted(Optional<PruneConfig> prune) {
        Examples train = data(300, 1);
        Examples test = data(90, 2);
        TrainingConfig config = new TrainingConfig(5, 0.05, 0.9, 32, 7);
        List<PrunedTraining.State> states = new ArrayList<>();
        PrunedTraining.Outcome full = PrunedTraining.run(Network.initialize(new int[] {30, 40, 3}, false,
                        new SplittableRandom(3)), train, test, config, prune, PrunedTraining.Schedule.EVERY_EPOCH,
                new PrunedTraining.Listeners(r -> { }, p -> { }, BatchListener.NONE, s -> states.add(snapshot(s))));
        assertEquals(5, states.size());
        PrunedTraining.State afterTwo = states.get(1);
        PrunedTraining.Outcome resumed = PrunedTraining.resume(afterTwo, train, test, config, prune,
                PrunedTraining.Schedule.EVERY_EPOCH, PrunedTraining.Listeners.NONE);
        assertEquals(full.network().widthsString(), resumed.network().widthsString());
        for (int l = 0; l < full.network().size(); l++) {
            assertArrayEquals(full.network().layer(l).weights(), resumed.network().layer(l).weights(), "layer " + l);
        }
        assertEquals(withoutTimes(full.epochs()), withoutTimes(resumed.epochs()));
        if (prune.isPresent()) {
            assertEquals(5, full.prunes().size());
            assertEquals(2, afterTwo.prunes().size(), "prunes before epochs 1 and 2");
            assertEquals(full.prunes(), resumed.prunes());
        }
    }

    @Test
    void withoutPruning() {
        assertResumeEqualsUninterrupted(Optional.empty());
    }

    @Test
    void withRandomKeepPruningEveryEpoch() {
        PruneConfig randomKeep = new PruneConfig(PruneAlgorithm.RANDOM_KEEP, KeepSchedule.constant(0.45),
                Bema.create().withCutoff(1), null, 3, FactorPolicy.MERGE, 11);
        assertResumeEqualsUninterrupted(Optional.of(randomKeep));
    }

    @Test
    void stateRecordsMustMatchEpochs() {
        Network net = Network.initialize(new int[] {3, 2}, false, new SplittableRandom(1));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TrainingState(2, net, null, List.of())).getMessage().contains("2 completed epochs"));
    }
}
