package io.nnrmtsvd.nn;

import io.nnrmtsvd.linalg.FloatBlas;
import io.nnrmtsvd.linalg.OffHeapFloats;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Forward and backward passes of one network over mini-batches of up to {@code capacity} rows,
 * with every buffer allocated once, off-heap. All matrix products go through sgemm; only the
 * element-wise steps (bias, ReLU, softmax) are Java loops.
 *
 * <p>Not thread-safe; one instance per network and thread.
 */
public final class Propagation {
    private final Network network;
    private final int capacity;
    private final FloatBuffer input;
    private final FloatBuffer[] activations;
    private final FloatBuffer[] deltas;
    private final FloatBuffer[] weightGradients;
    private final FloatBuffer[] biasGradients;
    private final FloatBuffer ones;
    private final boolean withGradients;

    /**
     * @param capacity the largest batch this instance handles
     * @param withGradients whether backward passes ({@link #lossAndGradients}, {@link #trainStep}) will run
     */
    public Propagation(Network network, int capacity, boolean withGradients) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity must be positive, got " + capacity);
        }
        this.network = network;
        this.capacity = capacity;
        this.withGradients = withGradients;
        int n = network.size();
        input = OffHeapFloats.allocate((long) capacity * network.inputSize());
        activations = new FloatBuffer[n];
        deltas = new FloatBuffer[n];
        weightGradients = new FloatBuffer[n];
        biasGradients = new FloatBuffer[n];
        for (int l = 0; l < n; l++) {
            DenseLayer layer = network.layer(l);
            activations[l] = OffHeapFloats.allocate((long) capacity * layer.out());
            if (withGradients) {
                deltas[l] = OffHeapFloats.allocate((long) capacity * layer.out());
            }
        }
        ones = OffHeapFloats.allocate(capacity);
        for (int i = 0; i < capacity; i++) {
            ones.put(i, 1f);
        }
    }

    public Network network() {
        return network;
    }

    /** The input batch buffer (capacity x inputSize): fill its first rows before a pass. */
    public FloatBuffer inputBuffer() {
        return input;
    }

    /** Copies the given examples' rows into the input buffer, in the given order. */
    public void loadBatch(Examples examples, int[] order, int from, int rows) {
        int features = examples.features();
        for (int r = 0; r < rows; r++) {
            input.put(r * features, examples.inputs(), order[from + r] * features, features);
        }
    }

    /** Copies {@code rows} consecutive examples starting at {@code from} into the input buffer. */
    public void loadRange(Examples examples, int from, int rows) {
        int features = examples.features();
        input.put(0, examples.inputs(), from * features, rows * features);
    }

    /**
     * Runs the forward pass over the first {@code rows} rows of the input buffer and returns the
     * output layer's activations (rows x outputSize, before log-softmax; valid until the next pass).
     */
    public FloatBuffer forward(int rows) {
        checkRows(rows);
        List<DenseLayer> layers = network.layers();
        FloatBuffer x = input;
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            FloatBuffer z = activations[l];
            int out = layer.out();
            FloatBuffer bias = layer.biasBuffer();
            if (bias != null) {
                for (int r = 0; r < rows; r++) {
                    z.put(r * out, bias, 0, out);
                }
            }
            FloatBlas.gemm(false, true, rows, out, layer.in(), 1f, x, layer.weightBuffer(),
                    bias != null ? 1f : 0f, z);
            if (layer.relu()) {
                int size = rows * out;
                for (int i = 0; i < size; i++) {
                    z.put(i, Math.max(z.get(i), 0f));
                }
            }
            x = z;
        }
        return activations[layers.size() - 1];
    }

    /**
     * Mean negative log-likelihood of the log-softmax of the outputs over the first {@code rows}
     * rows, and the number of rows whose largest output is the label. Runs {@link #forward}.
     */
    public BatchScore score(int rows, int[] labels, int[] order, int from) {
        FloatBuffer out = forward(rows);
        int classes = network.outputSize();
        double lossSum = 0;
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int label = labels[order == null ? from + r : order[from + r]];
            int base = r * classes;
            float max = Float.NEGATIVE_INFINITY;
            int argmax = 0;
            for (int c = 0; c < classes; c++) {
                float v = out.get(base + c);
                if (v > max) {
                    max = v;
                    argmax = c;
                }
            }
            double sumExp = 0;
            for (int c = 0; c < classes; c++) {
                sumExp += Math.exp(out.get(base + c) - max);
            }
            lossSum += Math.log(sumExp) + max - out.get(base + label);
            if (argmax == label) {
                correct++;
            }
        }
        return new BatchScore(lossSum / rows, correct);
    }

    /**
     * Forward and backward pass over the first {@code rows} input rows: returns the mean loss
     * and leaves the gradients of that mean in {@link #weightGradientCopy} and {@link #biasGradientCopy}.
     *
     * @param labels labels, indexed through {@code order[from + r]}
     */
    public double lossAndGradients(int rows, int[] labels, int[] order, int from) {
        int n = network.size();
        if (weightGradients[0] == null) {
            for (int l = 0; l < n; l++) {
                DenseLayer layer = network.layer(l);
                weightGradients[l] = OffHeapFloats.allocate((long) layer.in() * layer.out());
                biasGradients[l] = OffHeapFloats.allocate(layer.out());
            }
        }
        return backward(rows, labels, order, from, weightGradients, biasGradients, 0f);
    }

    /**
     * One SGD step on the first {@code rows} input rows: the forward and backward pass write the
     * mean loss's gradient straight into the optimiser's momentum (v = mu v + g, through sgemm's
     * beta), then the optimiser moves the weights. Returns the mean loss.
     */
    public double trainStep(int rows, int[] labels, int[] order, int from, Sgd sgd) {
        return trainStep(rows, labels, order, from, sgd, WeightPenalty.NONE);
    }

    /**
     * As {@link #trainStep(int, int[], int[], int, Sgd)} with a penalty in the loss: its gradient
     * joins the mean loss's before the momentum step (v = mu v + g + penalty gradient). Returns the
     * mean negative log-likelihood, without the penalty (see {@link WeightPenalty}).
     */
    public double trainStep(int rows, int[] labels, int[] order, int from, Sgd sgd, WeightPenalty penalty) {
        FloatBuffer[] weightVelocity = sgd.weightVelocities();
        FloatBuffer[] biasVelocity = sgd.biasVelocities();
        double loss = backward(rows, labels, order, from, weightVelocity, biasVelocity, (float) sgd.momentum());
        if (!penalty.isNone()) {
            // As many threads as BLAS uses: between its calls they would idle.
            int threads = io.nnrmtsvd.linalg.OpenBlas.threads();
            for (int l = 0; l < network.size(); l++) {
                DenseLayer layer = network.layer(l);
                penalty.addGradient(layer.weightBuffer(), weightVelocity[l], layer.in() * layer.out(), threads);
                if (layer.hasBias()) {
                    penalty.addGradient(layer.biasBuffer(), biasVelocity[l], layer.out());
                }
            }
        }
        sgd.applyVelocities(network);
        return loss;
    }

    /**
     * Forward pass, loss, and backward pass writing into the targets: target = gradient +
     * beta * target, per layer.
     */
    private double backward(int rows, int[] labels, int[] order, int from, FloatBuffer[] weightTargets,
                            FloatBuffer[] biasTargets, float beta) {
        if (!withGradients) {
            throw new IllegalStateException("this Propagation was built without gradients");
        }
        List<DenseLayer> layers = network.layers();
        int last = layers.size() - 1;
        FloatBuffer out = forward(rows);
        int classes = network.outputSize();
        FloatBuffer delta = deltas[last];
        double lossSum = 0;
        float invRows = 1f / rows;
        for (int r = 0; r < rows; r++) {
            int label = labels[order == null ? from + r : order[from + r]];
            int base = r * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, out.get(base + c));
            }
            double sumExp = 0;
            for (int c = 0; c < classes; c++) {
                sumExp += Math.exp(out.get(base + c) - max);
            }
            double logSumExp = Math.log(sumExp) + max;
            lossSum += logSumExp - out.get(base + label);
            for (int c = 0; c < classes; c++) {
                double softmax = Math.exp(out.get(base + c) - logSumExp);
                delta.put(base + c, (float) (softmax - (c == label ? 1 : 0)) * invRows);
            }
        }
        if (layers.get(last).relu()) {
            maskByActivation(delta, out, rows * classes);
        }
        for (int l = last; l >= 0; l--) {
            DenseLayer layer = layers.get(l);
            FloatBuffer x = l == 0 ? input : activations[l - 1];
            FloatBlas.gemm(true, false, layer.out(), layer.in(), rows, 1f, deltas[l], x, beta, weightTargets[l]);
            FloatBlas.gemv(true, rows, layer.out(), 1f, deltas[l], ones, beta, biasTargets[l]);
            if (l > 0) {
                FloatBlas.gemm(false, false, rows, layer.in(), layer.out(), 1f, deltas[l],
                        layer.weightBuffer(), 0f, deltas[l - 1]);
                if (layers.get(l - 1).relu()) {
                    maskByActivation(deltas[l - 1], activations[l - 1], rows * layer.in());
                }
            }
        }
        return lossSum / rows;
    }

    /** A copy of layer {@code l}'s weight gradient from the last {@link #lossAndGradients}. */
    public float[] weightGradientCopy(int l) {
        return OffHeapFloats.toArray(weightGradients[l]);
    }

    /** A copy of layer {@code l}'s bias gradient from the last {@link #lossAndGradients}. */
    public float[] biasGradientCopy(int l) {
        return OffHeapFloats.toArray(biasGradients[l]);
    }

    private static void maskByActivation(FloatBuffer delta, FloatBuffer activation, int size) {
        // ReLU'(z) = 1 exactly where the stored activation relu(z) >= +0 is not +0, i.e. where its
        // bits are not all zero. Bit masking instead of a branch: the sign pattern is random, and
        // mispredicted branches made this loop a fifth of the training time.
        for (int i = 0; i < size; i++) {
            int bits = Float.floatToRawIntBits(activation.get(i));
            int keep = (bits | -bits) >> 31;
            delta.put(i, Float.intBitsToFloat(Float.floatToRawIntBits(delta.get(i)) & keep));
        }
    }

    private void checkRows(int rows) {
        if (rows < 1 || rows > capacity) {
            throw new IllegalArgumentException("batch of " + rows + " rows, capacity " + capacity);
        }
    }

    /** The mean loss and the number of correct predictions of one batch. */
    public record BatchScore(double meanLoss, int correct) {
    }
}
