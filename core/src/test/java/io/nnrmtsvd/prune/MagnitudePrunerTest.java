package io.nnrmtsvd.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

class MagnitudePrunerTest {
    @Test
    void zeroesTheSmallestWeightsAcrossLayersAndKeepsBiases() {
        DenseLayer a = DenseLayer.of(2, 2, true, new float[] {0.1f, -5f, 0.3f, 2f}, new float[] {1, 1});
        DenseLayer b = DenseLayer.of(2, 1, false, new float[] {-0.2f, 4f}, new float[] {0});
        Network net = new Network(List.of(a, b));
        assertEquals(9, MagnitudePruner.nonZeroParameters(net));
        // 3 biases + the 3 largest weights: -5, 4, 2
        Network pruned = MagnitudePruner.prune(net, 6);
        assertArrayEquals(new float[] {0, -5f, 0, 2f}, pruned.layer(0).weights());
        assertArrayEquals(new float[] {0, 4f}, pruned.layer(1).weights());
        assertEquals(6, MagnitudePruner.nonZeroParameters(pruned), "every bias counts, as in the target");
        assertArrayEquals(new float[] {0.1f, -5f, 0.3f, 2f}, net.layer(0).weights(), "input untouched");
    }

    @Test
    void tiesAreBrokenToMeetTheCountExactly() {
        DenseLayer a = DenseLayer.of(4, 1, false, new float[] {1, -1, 1, 1}, null);
        Network pruned = MagnitudePruner.prune(new Network(List.of(a)), 2);
        assertEquals(2, MagnitudePruner.nonZeroParameters(pruned));
        assertEquals(0, MagnitudePruner.nonZeroParameters(MagnitudePruner.prune(new Network(List.of(a)), 0)));
        assertEquals(4, MagnitudePruner.nonZeroParameters(MagnitudePruner.prune(new Network(List.of(a)), 100)));
    }
}
