package io.nnrmtsvd.prune;

import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Magnitude pruning, the follow-up paper's comparison: zero the weights of smallest absolute value
 * over the whole network (biases are kept and counted) until at most a target number of
 * parameters is non-zero. The network's shape is unchanged.
 */
public final class MagnitudePruner {
    private MagnitudePruner() {
    }

    /** Weights that are not exactly zero, plus every bias (biases are never pruned). */
    public static long nonZeroParameters(Network network) {
        long count = 0;
        for (DenseLayer layer : network.layers()) {
            for (float w : layer.weights()) {
                if (w != 0f) {
                    count++;
                }
            }
            count += layer.bias().map(b -> (long) b.length).orElse(0L);
        }
        return count;
    }

    /**
     * A copy of the network with the smallest weights zeroed so that at most {@code target}
     * parameters (weights and biases) are non-zero. Ties at the threshold are broken by position
     * so the count is met exactly when possible.
     */
    public static Network prune(Network network, long target) {
        long biases = 0;
        int weights = 0;
        for (DenseLayer layer : network.layers()) {
            biases += layer.bias().map(b -> (long) b.length).orElse(0L);
            weights = Math.addExact(weights, layer.in() * layer.out());
        }
        long keepWeights = Math.max(0, Math.min(weights, target - biases));
        float[] magnitudes = new float[weights];
        int at = 0;
        for (DenseLayer layer : network.layers()) {
            for (float w : layer.weights()) {
                magnitudes[at++] = Math.abs(w);
            }
        }
        float[] sorted = magnitudes.clone();
        Arrays.sort(sorted);
        // Keep the keepWeights largest: everything above the threshold, and as many equal to it as fit.
        float threshold = keepWeights == 0 ? Float.POSITIVE_INFINITY : sorted[(int) (weights - keepWeights)];
        long above = 0;
        for (float m : magnitudes) {
            if (m > threshold) {
                above++;
            }
        }
        long tiesToKeep = keepWeights - above;
        List<DenseLayer> layers = new ArrayList<>();
        for (DenseLayer layer : network.layers()) {
            float[] w = layer.weights();
            for (int i = 0; i < w.length; i++) {
                float m = Math.abs(w[i]);
                if (m < threshold || m == threshold && tiesToKeep-- <= 0) {
                    w[i] = 0f;
                }
            }
            layers.add(DenseLayer.of(layer.in(), layer.out(), layer.relu(), w, layer.bias().orElse(null)));
        }
        return new Network(layers);
    }
}
