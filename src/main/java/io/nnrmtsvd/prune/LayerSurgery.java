package io.nnrmtsvd.prune;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.Svd;
import io.nnrmtsvd.nn.DenseLayer;
import java.util.List;

/**
 * Rebuilds a dense layer from its SVD W = U S V^T (singular values descending). Weights are
 * computed in double and stored as float.
 */
public final class LayerSurgery {
    private LayerSurgery() {
    }

    /**
     * Replaces the layer by two thinner layers with no activation between them (SPEC §6): first
     * sqrt(S_k) V_k^T (k x in, no bias, no activation), then U_k sqrt(S_k) (out x k, with the
     * original bias and activation). Their product is the rank-k truncation of W.
     */
    public static List<DenseLayer> split(DenseLayer layer, Svd svd, int k) {
        checkRank(svd, k);
        return split(layer, svd, firstIndices(k));
    }

    /**
     * As {@link #split(DenseLayer, Svd, int)}, keeping the singular triples at {@code indices}
     * (each in [0, min(out, in)), no repeats) in the given order.
     */
    public static List<DenseLayer> split(DenseLayer layer, Svd svd, int[] indices) {
        int k = indices.length;
        int in = layer.in();
        int out = layer.out();
        float[] down = new float[Math.multiplyExact(k, in)];
        float[] up = new float[Math.multiplyExact(out, k)];
        DMatrix u = svd.u();
        DMatrix vt = svd.vt();
        for (int j = 0; j < k; j++) {
            int t = indices[j];
            double root = Math.sqrt(svd.s()[t]);
            for (int c = 0; c < in; c++) {
                down[j * in + c] = (float) (root * vt.get(t, c));
            }
            for (int r = 0; r < out; r++) {
                up[r * k + j] = (float) (u.get(r, t) * root);
            }
        }
        DenseLayer first = DenseLayer.of(in, k, false, down, null);
        DenseLayer second = DenseLayer.of(k, out, layer.relu(), up, layer.bias().orElse(null));
        return List.of(first, second);
    }

    /** The same layer with W replaced by U diag(weights) V^T (one weight per singular triple). */
    public static DenseLayer reweight(DenseLayer layer, Svd svd, double[] weights) {
        DMatrix w = svd.rebuild(weights);
        float[] values = new float[w.data().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) w.data()[i];
        }
        return DenseLayer.of(layer.in(), layer.out(), layer.relu(), values, layer.bias().orElse(null));
    }

    /** The same layer with W replaced by its rank-k truncation. */
    public static DenseLayer truncate(DenseLayer layer, Svd svd, int k) {
        checkRank(svd, k);
        return truncate(layer, svd, firstIndices(k));
    }

    /** The same layer with W replaced by the sum of the singular triples at {@code indices}. */
    public static DenseLayer truncate(DenseLayer layer, Svd svd, int[] indices) {
        double[] weights = new double[svd.s().length];
        for (int t : indices) {
            weights[t] = svd.s()[t];
        }
        return reweight(layer, svd, weights);
    }

    /** 0, 1, ..., k - 1. */
    public static int[] firstIndices(int k) {
        int[] indices = new int[k];
        for (int i = 0; i < k; i++) {
            indices[i] = i;
        }
        return indices;
    }

    /** Whether splitting at rank k stores fewer weights than the dense layer: k (in + out) < in out. */
    public static boolean splitSaves(DenseLayer layer, int k) {
        return (long) k * (layer.in() + layer.out()) < (long) layer.in() * layer.out();
    }

    /** The layer's weights as a double matrix, out x in. */
    public static DMatrix weights(DenseLayer layer) {
        return DMatrix.copyOf(layer.out(), layer.in(), layer.weights());
    }

    private static void checkRank(Svd svd, int k) {
        if (k < 0 || k > svd.s().length) {
            throw new IllegalArgumentException("rank " + k + " outside [0, " + svd.s().length + "]");
        }
    }
}
