package io.nnrmtsvd.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.DoubleLapack;
import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.rmt.Bema;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomRankPrunerTest {
    private final SplittableRandom rng = new SplittableRandom(4242);

    /** 60 -> 40 (ReLU) -> 30 (ReLU) -> 5, planted signal in the two hidden layers. */
    private Network network() {
        return new Network(List.of(
                PruneFixtures.layer(PruneFixtures.planted(rng, 40, 60, 0.1, 6, 5, 4), true, rng),
                PruneFixtures.layer(PruneFixtures.planted(rng, 30, 40, 0.1, 5, 3), true, rng),
                PruneFixtures.layer(PruneFixtures.gaussian(rng, 5, 30, 0.3), false, rng)));
    }

    private static PruneConfig config(double keep) {
        return new PruneConfig(PruneAlgorithm.SPLIT_TRUNCATE, KeepSchedule.constant(keep),
                Bema.create().withAlpha(0.25).withCutoff(1), null, 5, FactorPolicy.MERGE, 1);
    }

    @Test
    void keepsTheTemplatesRanksAndShapesButRandomSingularValues() {
        Network start = network();
        NetworkPruner.Result template = new NetworkPruner(config(0.2)).prune(start, 2, 9);
        NetworkPruner.Result random = new RandomRankPruner(FactorPolicy.MERGE, 3).prune(start, template.event());
        assertEquals(template.network().widthsString(), random.network().widthsString());
        assertEquals(template.network().parameterCount(), random.network().parameterCount());
        LayerReport split = template.event().layers().get(0);
        assertEquals("split", split.action(), "premise: the template splits layer 0");
        LayerReport r = random.event().layers().get(0);
        assertEquals("random-rank split", r.action());
        assertEquals(split.rank(), r.rank());
        // The product of the factors keeps some of layer 0's singular values exactly, not the largest ones.
        double[] original = DoubleLapack.svd(LayerSurgery.weights(start.layer(0))).s();
        DMatrix product = PruneFixtures.product(random.network().layer(1), random.network().layer(0));
        double[] kept = Arrays.copyOf(DoubleLapack.svd(product).s(), split.rank());
        for (double s : kept) {
            assertTrue(Arrays.stream(original).anyMatch(o -> Math.abs(o - s) < 1e-4 * original[0]),
                    s + " is one of the layer's singular values");
        }
        assertFalse(Math.abs(kept[0] - original[0]) < 1e-4 && Math.abs(kept[1] - original[1]) < 1e-4
                && Math.abs(kept[2] - original[2]) < 1e-4, "not simply the top three");
        assertEquals(NetworkPruner.UNCHANGED, random.event().layers().get(2).action(), "the output layer as the template");
    }

    @Test
    void mergedPairsAreReplayedAsOneMatrixAndTheChoiceIsSeededByEpoch() {
        Network start = network();
        NetworkPruner pruner = new NetworkPruner(config(0.3));
        NetworkPruner.Result first = pruner.prune(start, 2, 9);
        RandomRankPruner random = new RandomRankPruner(FactorPolicy.MERGE, 3);
        Network replayed = random.prune(start, first.event()).network();
        NetworkPruner.Result second = new NetworkPruner(config(0.1)).prune(first.network(), 3, 9);
        NetworkPruner.Result again = random.prune(replayed, second.event());
        assertEquals(second.network().widthsString(), again.network().widthsString());
        assertEquals(second.event().layers().size(), again.event().layers().size(), "a pair is one report");
        float[] a = random.prune(start, first.event()).network().layer(0).weights();
        float[] b = random.prune(start, first.event()).network().layer(0).weights();
        assertArrayEquals(a, b, "same seed and epoch, same choice");
        float[] c = new RandomRankPruner(FactorPolicy.MERGE, 4).prune(start, first.event()).network().layer(0)
                .weights();
        assertFalse(Arrays.equals(a, c), "another seed, another choice");
    }

    /** A template prune of a 40x60 layer followed by a 5x40 one it leaves unchanged. */
    private static PruneEvent template(int epoch, int rows, int cols, String action, int rank) {
        return new PruneEvent(epoch, Bema.create(), List.of(
                new LayerReport(0, rows, cols, 0, true, 1, 1, 0, 0, 0.5, rank, action, "", 0, 0),
                new LayerReport(1, 5, 40, 0, true, 1, 1, 0, 0, 0.5, 5, NetworkPruner.UNCHANGED, "", 0, 0)),
                "", "", 0, 0);
    }

    /** The singular values of a layer, or of a factor pair's product. */
    private static double[] singularValues(Network network) {
        DMatrix w = network.size() == 3 ? PruneFixtures.product(network.layer(1), network.layer(0))
                : LayerSurgery.weights(network.layer(0));
        return DoubleLapack.svd(w).s();
    }

    @Test
    void laterPrunesDrawOnlyAmongTheDirectionsEarlierOnesLeft() {
        for (String action : List.of("truncate", "split")) {
            Network network = new Network(List.of(PruneFixtures.layer(PruneFixtures.gaussian(rng, 40, 60, 1), true, rng),
                    PruneFixtures.layer(PruneFixtures.gaussian(rng, 5, 40, 0.3), false, rng)));
            RandomRankPruner pruner = new RandomRankPruner(FactorPolicy.MERGE, 11);
            network = pruner.prune(network, template(2, 40, 60, action, 12)).network();
            // Drawn among all 40, ten of 40 would almost surely (1 - C(12,10)/C(40,10)) hit the 28 emptied ones.
            network = pruner.prune(network, template(3, 40, 60, action, 10)).network();
            double[] s = singularValues(network);
            for (int j = 0; j < 10; j++) {
                assertTrue(s[j] > 1e-3 * s[0], action + ": kept singular value " + j + " is " + s[j] + " of " + s[0]);
            }
            assertTrue(s[10] < 1e-5 * s[0], action + ": rank 10");
        }
    }

    @Test
    void aNetworkThatDoesNotMatchTheTemplateIsRejected() {
        Network start = network();
        PruneEvent template = new NetworkPruner(config(0.2)).prune(start, 2, 9).event();
        Network other = new Network(List.of(start.layer(0), start.layer(1),
                DenseLayer.of(30, 5, false, new float[150], new float[5]), DenseLayer.of(5, 5, false, new float[25],
                        new float[5])));
        assertThrows(IllegalArgumentException.class,
                () -> new RandomRankPruner(FactorPolicy.MERGE, 1).prune(other, template));
    }

    @Test
    void chooseDrawsDistinctSortedIndices() {
        int[] chosen = RandomRankPruner.choose(50, 12, new SplittableRandom(1));
        assertEquals(12, chosen.length);
        for (int i = 1; i < chosen.length; i++) {
            assertTrue(chosen[i] > chosen[i - 1]);
        }
        assertTrue(chosen[0] >= 0 && chosen[11] < 50);
        assertArrayEquals(new int[] {0, 1, 2}, RandomRankPruner.choose(3, 3, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> RandomRankPruner.choose(3, 4, new SplittableRandom(1)));
    }
}
