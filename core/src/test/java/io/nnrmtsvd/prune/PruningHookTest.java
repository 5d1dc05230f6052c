package io.nnrmtsvd.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.rmt.Bema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PruningHookTest {
    private static final NetworkPruner PRUNER = new NetworkPruner(new PruneConfig(PruneAlgorithm.SPLIT_TRUNCATE,
            KeepSchedule.constant(0), Bema.create().withCutoff(1), null, 0, FactorPolicy.SEPARATE, 1));

    private static PruningHook hook(int from, int every, int until) {
        return new PruningHook(PRUNER, from, every, until, 10, e -> { });
    }

    private static List<Integer> dueEpochs(PruningHook hook, int epochs) {
        List<Integer> due = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            if (hook.due(epoch)) {
                due.add(epoch);
            }
        }
        return due;
    }

    @Test
    void everyEpochFromTheStart() {
        assertEquals(List.of(1, 2, 3, 4, 5), dueEpochs(hook(0, 1, Integer.MAX_VALUE), 5));
    }

    @Test
    void fromEveryAndUntilCountTrainedEpochs() {
        // prunes after 2, 5 and 8 trained epochs: before epochs 3, 6 and 9; not after 11 (> until)
        assertEquals(List.of(3, 6, 9), dueEpochs(hook(2, 3, 8), 15));
        assertEquals(List.of(1, 3, 5), dueEpochs(hook(0, 2, 4), 10));
        assertEquals(List.of(4), dueEpochs(hook(3, 1, 3), 10), "from == until prunes once");
    }

    @Test
    void badSchedulesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> hook(-1, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> hook(0, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> hook(4, 1, 3));
    }

    @Test
    void beforeEpochPrunesOnlyWhenDueAndReportsTheEvent() {
        List<PruneEvent> events = new ArrayList<>();
        PruningHook hook = new PruningHook(PRUNER, 1, 1, 1, 3, events::add);
        Network network = Network.initialize(new int[] {30, 20, 5}, false, new SplittableRandom(5));
        assertFalse(hook.beforeEpoch(1, network).isPresent());
        assertTrue(events.isEmpty());
        Optional<Network> pruned = hook.beforeEpoch(2, network);
        assertTrue(pruned.isPresent());
        assertEquals(1, events.size());
        assertEquals(2, events.get(0).epoch());
        assertEquals(pruned.get().widthsString(), events.get(0).widthsAfter());
        assertFalse(hook.beforeEpoch(3, network).isPresent());
    }
}
