package io.nnrmtsvd.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.nn.Evaluation;
import io.nnrmtsvd.nn.Examples;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RankSweepTest {
    private static Network network;
    private static Examples test;

    /** A 12-16-4 network trained on Gaussian blobs; layer 0 is 16 x 12 (p = 12). */
    @BeforeAll
    static void train() {
        BlobSplits data = BlobSplits.of(400, 200, 12, 4, 31);
        test = data.test();
        network = Network.initialize(new int[] {12, 16, 4}, false, new SplittableRandom(8));
        PrunedTraining.run(network, data.train(), test, new TrainingConfig(4, 0.05, 0.9, 32, 8), Optional.empty(),
                PrunedTraining.Schedule.EVERY_EPOCH, PrunedTraining.Listeners.NONE);
    }

    @Test
    void parsesPythonRangesWithTheEndExcluded() {
        int[] expected = new int[20];
        for (int i = 0; i < 20; i++) {
            expected[i] = 5 * i;
        }
        assertArrayEquals(expected, RankSweep.parseRanks("0:100:5"));
        assertArrayEquals(new int[] {0, 3, 6, 9}, RankSweep.parseRanks("0:10:3"));
        assertArrayEquals(new int[] {2, 3}, RankSweep.parseRanks("2:4:1"));
        assertArrayEquals(new int[] {7}, RankSweep.parseRanks("7:8:50"));
        assertArrayEquals(new int[] {1, 2}, RankSweep.parseRanks(" 1 : 3 : 1 "));
    }

    @Test
    void parsesLists() {
        assertArrayEquals(new int[] {5, 10, 20}, RankSweep.parseRanks("5,10,20"));
        assertArrayEquals(new int[] {5, 10, 20}, RankSweep.parseRanks("5, 10 ,20"));
        assertArrayEquals(new int[] {12}, RankSweep.parseRanks("12"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "1,,2", "1;2", "0:10", "0:10:5:1", "10:0:1", "5:5:1", "0:10:0", "0:10:-1",
        "a:b:c", "1.5"})
    void rejectsMalformedRanks(String text) {
        assertThrows(IllegalArgumentException.class, () -> RankSweep.parseRanks(text));
    }

    @Test
    void fullRankGivesTheUnmodifiedAccuracy() {
        Evaluation full = Evaluation.of(network, test);
        assertTrue(full.accuracy() > 0.9, "premise: the network learned the blobs, " + full.accuracy());
        List<Integer> progress = new ArrayList<>();
        List<RankSweep.Point> points = RankSweep.run(network, 0, new int[] {0, 2, 12}, test, progress::add);
        assertEquals(List.of(0, 1, 2), progress);
        assertEquals(3, points.size());
        RankSweep.Point last = points.get(2);
        assertEquals(12, last.rank());
        assertEquals(full.accuracy(), last.accuracy());
        assertEquals(full.meanLoss(), last.loss(), 1e-5 * Math.max(1, full.meanLoss()));
        for (RankSweep.Point p : points) {
            assertTrue(p.accuracy() >= 0 && p.accuracy() <= 1, "accuracy " + p.accuracy());
        }
        assertTrue(points.get(0).accuracy() < full.accuracy(), "rank 0 removes what layer 0 computes");
        assertEquals(points.get(2).accuracy(),
                RankSweep.run(network, 1, new int[] {4}, test, i -> { }).get(0).accuracy(),
                "full rank of the 4 x 16 output layer");
    }

    @Test
    void rankOrLayerOutOfRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> RankSweep.run(network, 0, new int[] {13}, test, i -> { }));
        assertThrows(IllegalArgumentException.class, () -> RankSweep.run(network, 0, new int[] {-1}, test, i -> { }));
        assertThrows(IllegalArgumentException.class, () -> RankSweep.run(network, 1, new int[] {5}, test, i -> { }));
        assertThrows(IllegalArgumentException.class, () -> RankSweep.run(network, 2, new int[] {1}, test, i -> { }));
        assertThrows(IllegalArgumentException.class, () -> RankSweep.run(network, -1, new int[] {1}, test, i -> { }));
    }
}
