package io.nnrmtsvd.prune;

import static io.nnrmtsvd.prune.PruneFixtures.FLOAT_RELATIVE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.Svd;
import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.Examples;
import io.nnrmtsvd.nn.Network;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LayerSurgeryTest {
    private static final int IN = 30;
    private static final int OUT = 20;

    private final SplittableRandom rng = new SplittableRandom(20240611L);
    private final DenseLayer layer = PruneFixtures.layer(PruneFixtures.gaussian(rng, OUT, IN, 0.2), true, rng);
    private final Svd svd = PruneFixtures.svd(layer);

    @Test
    void splitProductIsTheRankKTruncation() {
        for (int k : new int[] {1, 5, 11, 19}) {
            List<DenseLayer> split = LayerSurgery.split(layer, svd, k);
            assertEquals(2, split.size());
            DMatrix product = PruneFixtures.product(split.get(1), split.get(0));
            double error = PruneFixtures.relativeError(product, svd.truncate(k));
            assertTrue(error < FLOAT_RELATIVE, "k " + k + ": relative error " + error);
        }
    }

    @Test
    void splitNetworkComputesWhatTheTruncatedDenseLayerComputes() {
        int k = 6;
        List<DenseLayer> split = LayerSurgery.split(layer, svd, k);
        DenseLayer truncated = LayerSurgery.truncate(layer, svd, k);
        DenseLayer head = PruneFixtures.layer(PruneFixtures.gaussian(rng, 4, OUT, 0.3), false, rng);
        Network splitNet = new Network(List.of(split.get(0), split.get(1), head));
        Network denseNet = new Network(List.of(truncated, head));
        Examples x = PruneFixtures.inputs(rng, 50, IN);
        float[] a = PruneFixtures.outputs(splitNet, x);
        float[] b = PruneFixtures.outputs(denseNet, x);
        double scale = 0;
        for (float v : b) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0.1, "outputs are not trivially zero");
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 1e-5 * scale, "output " + i);
        }
    }

    @Test
    void firstFactorHasNoBiasNorReluSecondKeepsBoth() {
        List<DenseLayer> split = LayerSurgery.split(layer, svd, 4);
        DenseLayer first = split.get(0);
        DenseLayer second = split.get(1);
        assertEquals(IN, first.in());
        assertEquals(4, first.out());
        assertFalse(first.hasBias());
        assertFalse(first.relu());
        assertEquals(4, second.in());
        assertEquals(OUT, second.out());
        assertTrue(second.relu());
        assertArrayEquals(layer.bias().orElseThrow(), second.bias().orElseThrow());

        DenseLayer linear = DenseLayer.of(IN, OUT, false, layer.weights(), null);
        List<DenseLayer> noBias = LayerSurgery.split(linear, svd, 4);
        assertFalse(noBias.get(1).relu());
        assertFalse(noBias.get(1).hasBias());
    }

    @Test
    void parameterCountsAreExact() {
        assertEquals((long) IN * OUT + OUT, layer.parameterCount());
        for (int k = 1; k <= OUT; k++) {
            long after = LayerSurgery.split(layer, svd, k).stream().mapToLong(DenseLayer::parameterCount).sum();
            assertEquals((long) k * (IN + OUT) + OUT, after, "k " + k);
            assertEquals(layer.parameterCount(), LayerSurgery.truncate(layer, svd, k).parameterCount());
        }
    }

    @Test
    void splitSavesExactlyWhenFactorsHoldFewerWeights() {
        // 20 x 30: in * out = 600, in + out = 50; 11 * 50 = 550 < 600, 12 * 50 = 600 is not
        assertTrue(LayerSurgery.splitSaves(layer, 11));
        assertFalse(LayerSurgery.splitSaves(layer, 12));
        assertFalse(LayerSurgery.splitSaves(layer, OUT));
        DenseLayer square = DenseLayer.of(4, 4, true, new float[16], new float[4]);
        assertTrue(LayerSurgery.splitSaves(square, 1));
        assertFalse(LayerSurgery.splitSaves(square, 2), "2 * 8 = 16 is not fewer than 16");
    }

    @Test
    void truncateKeepsShapeBiasAndRank() {
        DenseLayer truncated = LayerSurgery.truncate(layer, svd, 3);
        assertEquals(IN, truncated.in());
        assertEquals(OUT, truncated.out());
        assertTrue(truncated.relu());
        assertArrayEquals(layer.bias().orElseThrow(), truncated.bias().orElseThrow());
        double[] s = PruneFixtures.svd(truncated).s();
        for (int j = 0; j < s.length; j++) {
            if (j < 3) {
                assertEquals(svd.s()[j], s[j], 1e-5 * svd.s()[0]);
            } else {
                assertTrue(s[j] < 1e-5 * svd.s()[0], "singular value " + j + " = " + s[j]);
            }
        }
    }

    @Test
    void chosenIndicesKeepThoseTriples() {
        int[] indices = {0, 4, 9};
        DenseLayer truncated = LayerSurgery.truncate(layer, svd, indices);
        List<DenseLayer> split = LayerSurgery.split(layer, svd, indices);
        double[] viaTruncate = PruneFixtures.tripleWeights(svd, LayerSurgery.weights(truncated));
        double[] viaSplit = PruneFixtures.tripleWeights(svd, PruneFixtures.product(split.get(1), split.get(0)));
        for (int t = 0; t < svd.s().length; t++) {
            double expected = t == 0 || t == 4 || t == 9 ? svd.s()[t] : 0;
            assertEquals(expected, viaTruncate[t], 1e-5 * svd.s()[0], "truncate, triple " + t);
            assertEquals(expected, viaSplit[t], 1e-5 * svd.s()[0], "split, triple " + t);
        }
    }

    @Test
    void rankOutsideZeroToPIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> LayerSurgery.split(layer, svd, -1));
        assertThrows(IllegalArgumentException.class, () -> LayerSurgery.split(layer, svd, 0), "no layer of width 0");
        assertThrows(IllegalArgumentException.class, () -> LayerSurgery.split(layer, svd, OUT + 1));
        assertThrows(IllegalArgumentException.class, () -> LayerSurgery.truncate(layer, svd, OUT + 1));
    }
}
