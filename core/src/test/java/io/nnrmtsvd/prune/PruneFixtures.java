package io.nnrmtsvd.prune;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.DoubleBlas;
import io.nnrmtsvd.linalg.DoubleLapack;
import io.nnrmtsvd.linalg.OffHeapFloats;
import io.nnrmtsvd.linalg.Svd;
import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.Examples;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.Propagation;
import io.nnrmtsvd.rmt.RandomMatrices;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/** Seeded layers and matrix helpers for the prune tests. */
final class PruneFixtures {
    /** Relative Frobenius tolerance of float-stored factors against a double reference. */
    static final double FLOAT_RELATIVE = 1e-5;

    private PruneFixtures() {
    }

    /** i.i.d. N(0, sd^2) entries. */
    static DMatrix gaussian(SplittableRandom rng, int rows, int cols, double sd) {
        return RandomMatrices.gaussian(rng, rows, cols, sd);
    }

    /** Gaussian noise plus sum_j strengths[j] u_j v_j^T with random orthonormal u_j, v_j. */
    static DMatrix planted(SplittableRandom rng, int rows, int cols, double sd, double... strengths) {
        DMatrix w = RandomMatrices.gaussian(rng, rows, cols, sd);
        RandomMatrices.plant(rng, w, strengths);
        return w;
    }

    /** A layer with weights w (rounded to float) and a random bias. */
    static DenseLayer layer(DMatrix w, boolean relu, SplittableRandom rng) {
        float[] weights = new float[w.data().length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) w.data()[i];
        }
        float[] bias = new float[w.rows()];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) rng.nextDouble(-0.5, 0.5);
        }
        return DenseLayer.of(w.cols(), w.rows(), relu, weights, bias);
    }

    /** SVD of the layer's weights in double. */
    static Svd svd(DenseLayer layer) {
        return DoubleLapack.svd(LayerSurgery.weights(layer));
    }

    /** second.W x first.W in double. */
    static DMatrix product(DenseLayer second, DenseLayer first) {
        return DoubleBlas.multiply(LayerSurgery.weights(second), false, LayerSurgery.weights(first), false, 1.0);
    }

    /** ||a - b||_F / ||b||_F. */
    static double relativeError(DMatrix a, DMatrix b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < b.data().length; i++) {
            double d = a.data()[i] - b.data()[i];
            diff += d * d;
            norm += b.data()[i] * b.data()[i];
        }
        return Math.sqrt(diff / norm);
    }

    /** Uniform random inputs in [-1, 1) with label 0 (only outputs are compared). */
    static Examples inputs(SplittableRandom rng, int count, int features) {
        FloatBuffer buffer = OffHeapFloats.allocate((long) count * features);
        for (int i = 0; i < count * features; i++) {
            buffer.put(i, (float) rng.nextDouble(-1, 1));
        }
        return new Examples(buffer, new int[count], features);
    }

    /** The network's outputs (before log-softmax) for every example, row-major. */
    static float[] outputs(Network network, Examples examples) {
        Propagation propagation = new Propagation(network, examples.count(), false);
        propagation.loadRange(examples, 0, examples.count());
        FloatBuffer out = propagation.forward(examples.count());
        float[] values = new float[examples.count() * network.outputSize()];
        out.get(0, values);
        return values;
    }

    /** For each singular triple t of {@code original}, u_t^T m v_t: s_t where a triple was kept, 0 where dropped. */
    static double[] tripleWeights(Svd original, DMatrix m) {
        int p = original.s().length;
        double[] weights = new double[p];
        for (int t = 0; t < p; t++) {
            double sum = 0;
            for (int r = 0; r < m.rows(); r++) {
                double row = 0;
                for (int c = 0; c < m.cols(); c++) {
                    row += m.get(r, c) * original.vt().get(t, c);
                }
                sum += original.u().get(r, t) * row;
            }
            weights[t] = sum;
        }
        return weights;
    }
}
