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
        Factors f = factors(svd, indices);
        DenseLayer first = DenseLayer.of(layer.in(), f.rank(), false, f.down(), null);
        DenseLayer second = DenseLayer.of(f.rank(), layer.out(), layer.relu(), f.up(), layer.bias().orElse(null));
        return List.of(first, second);
    }

    /**
     * The two factors of a split of W (out x in): down = sqrt(S_k) V_k^T and up = U_k sqrt(S_k),
     * so that up * down is the truncation of W to the chosen singular triples.
     *
     * @param down k x in, row-major
     * @param up out x k, row-major
     */
    public record Factors(int rank, float[] down, float[] up) {
    }

    /**
     * The factors keeping the singular triples at {@code indices} (each in [0, s.length), no
     * repeats) in the given order.
     */
    public static Factors factors(Svd svd, int[] indices) {
        int k = indices.length;
        DMatrix u = svd.u();
        DMatrix vt = svd.vt();
        int in = vt.cols();
        int out = u.rows();
        float[] down = new float[Math.multiplyExact(k, in)];
        float[] up = new float[Math.multiplyExact(out, k)];
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
        return new Factors(k, down, up);
    }

    /** The same layer with W replaced by U diag(weights) V^T (one weight per singular triple). */
    public static DenseLayer reweight(DenseLayer layer, Svd svd, double[] weights) {
        return DenseLayer.of(layer.in(), layer.out(), layer.relu(), rebuiltWeights(svd, weights),
                layer.bias().orElse(null));
    }

    /** U diag(weights) V^T as row-major floats (one weight per singular triple of {@code svd}). */
    public static float[] rebuiltWeights(Svd svd, double[] weights) {
        DMatrix w = svd.rebuild(weights);
        float[] values = new float[w.data().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) w.data()[i];
        }
        return values;
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

    /** Whether splitting at rank k stores fewer weights than the dense layer: k (in + out) &lt; in out. */
    public static boolean splitSaves(DenseLayer layer, int k) {
        return splitSaves(layer.out(), layer.in(), k);
    }

    /** Whether factors of rank k store fewer values than an out x in matrix: k (in + out) &lt; in out. */
    public static boolean splitSaves(long out, long in, int k) {
        return k * (in + out) < in * out;
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
