package io.nnrmtsvd.nn;

import io.nnrmtsvd.linalg.FloatBlas;
import io.nnrmtsvd.linalg.OffHeapFloats;
import java.nio.FloatBuffer;

/**
 * Stochastic gradient descent with momentum as PyTorch's {@code torch.optim.SGD} (no dampening,
 * no Nesterov, no weight decay): v = mu v + g, w = w - lr v. Momentum buffers start at zero, which
 * equals PyTorch's first step v = g. A fresh instance has fresh buffers; build one after every
 * change to the network. The learning rate may change between steps ({@link #setLearningRate}), as
 * PyTorch's schedulers change it.
 */
public final class Sgd {
    private double learningRate;
    private final double momentum;
    private final FloatBuffer[] weightVelocity;
    private final FloatBuffer[] biasVelocity;

    /**
     * The momentum buffers of every layer, copied out: enough, with the network, to resume.
     *
     * @param weightVelocity per layer, out * in values
     * @param biasVelocity per layer, out values (all zero for a layer without bias)
     */
    public record State(float[][] weightVelocity, float[][] biasVelocity) {
    }

    public Sgd(Network network, double learningRate, double momentum) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
        int n = network.size();
        weightVelocity = new FloatBuffer[n];
        biasVelocity = new FloatBuffer[n];
        for (int l = 0; l < n; l++) {
            DenseLayer layer = network.layer(l);
            weightVelocity[l] = OffHeapFloats.allocate((long) layer.in() * layer.out());
            biasVelocity[l] = OffHeapFloats.allocate(layer.out());
        }
    }

    /** An optimiser resuming from saved momentum buffers, which must match the network's shapes. */
    public Sgd(Network network, double learningRate, double momentum, State state) {
        this(network, learningRate, momentum);
        if (state.weightVelocity().length != network.size() || state.biasVelocity().length != network.size()) {
            throw new IllegalArgumentException("optimiser state has " + state.weightVelocity().length
                    + " layers, the network " + network.size());
        }
        for (int l = 0; l < network.size(); l++) {
            load(weightVelocity[l], state.weightVelocity()[l], "weight velocity of layer " + l);
            load(biasVelocity[l], state.biasVelocity()[l], "bias velocity of layer " + l);
        }
    }

    /** A copy of the momentum buffers. */
    public State state() {
        float[][] w = new float[weightVelocity.length][];
        float[][] b = new float[biasVelocity.length][];
        for (int l = 0; l < w.length; l++) {
            w[l] = OffHeapFloats.toArray(weightVelocity[l]);
            b[l] = OffHeapFloats.toArray(biasVelocity[l]);
        }
        return new State(w, b);
    }

    private static void load(FloatBuffer target, float[] values, String what) {
        if (values.length != target.capacity()) {
            throw new IllegalArgumentException(what + " has " + values.length + " values, needs " + target.capacity());
        }
        target.put(0, values);
    }

    /**
     * Sets the step size of the following steps (a learning-rate schedule); the momentum buffers
     * are kept.
     */
    public void setLearningRate(double rate) {
        if (!(rate > 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + rate);
        }
        learningRate = rate;
    }

    /** The momentum coefficient mu. */
    double momentum() {
        return momentum;
    }

    /** The live weight momentum buffers, one per layer, for {@link Propagation#trainStep}. */
    FloatBuffer[] weightVelocities() {
        return weightVelocity;
    }

    /** The live bias momentum buffers, one per layer, for {@link Propagation#trainStep}. */
    FloatBuffer[] biasVelocities() {
        return biasVelocity;
    }

    /** The step size of the next steps. */
    double learningRate() {
        return learningRate;
    }

    /**
     * One step of the first {@code n} parameters, once {@code velocity} holds mu v + g: with no
     * penalty w = w - lr v (saxpy); with one, v += penalty gradient and w = w - lr v in one pass,
     * through the scratch arrays of {@link WeightPenalty#BLOCK} floats.
     */
    static void step(FloatBuffer weights, FloatBuffer velocity, int n, float lr, WeightPenalty penalty,
                     float[] scratchWeights, float[] scratchVelocity) {
        if (penalty.isNone()) {
            FloatBlas.axpy(n, -lr, velocity, weights);
        } else {
            penalty.step(weights, velocity, n, lr, scratchWeights, scratchVelocity);
        }
    }
}
