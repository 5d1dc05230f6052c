package io.nnrmtsvd.nn;

import java.nio.FloatBuffer;

/**
 * L1 and L2 penalties on the parameters, part of the training loss (the follow-up paper's recipe,
 * arXiv 2310.03165): loss = NLL + l1 * sum |theta| + l2 * sum theta^2, the sums running over every
 * parameter of the network, weights and biases alike, as its notebook sums over
 * {@code model.parameters()}; l2 multiplies the plain sum of squares (not its root). The gradient
 * gains l1 * sign(theta) + 2 * l2 * theta, with sign(0) = 0 (PyTorch's subgradient of |x| at 0).
 *
 * <p>The penalty shapes the gradient only: the losses an epoch records are the negative
 * log-likelihood alone, so that they compare across settings.
 *
 * @param l1 weight of the L1 term, >= 0
 * @param l2 weight of the L2 term, >= 0
 */
public record WeightPenalty(double l1, double l2) {
    /** No penalty: plain training. */
    public static final WeightPenalty NONE = new WeightPenalty(0, 0);
    /** The follow-up paper's weights: 5e-6 each. */
    public static final double FOLLOW_UP = 5e-6;

    /** @throws IllegalArgumentException if a weight is negative or not finite */
    public WeightPenalty {
        check("--l1", l1);
        check("--l2", l2);
    }

    private static void check(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
    }

    /** Whether both weights are zero. */
    public boolean isNone() {
        return l1 == 0 && l2 == 0;
    }

    /** l1 * sum |theta| + l2 * sum theta^2 over every weight and bias of {@code network}. */
    public double value(Network network) {
        double abs = 0;
        double squares = 0;
        for (DenseLayer layer : network.layers()) {
            for (float w : layer.weights()) {
                abs += Math.abs(w);
                squares += (double) w * w;
            }
            for (float b : layer.bias().orElse(new float[0])) {
                abs += Math.abs(b);
                squares += (double) b * b;
            }
        }
        return l1 * abs + l2 * squares;
    }

    /** Floats {@link #step} works on at a time: a block that stays in the first-level cache. */
    static final int BLOCK = 1024;

    /**
     * Adds the penalty's gradient at the first {@code n} values of {@code theta} to {@code target}:
     * target += l1 sign(theta) + 2 l2 theta. {@code theta} not modified, {@code target} modified.
     */
    void addGradient(FloatBuffer theta, FloatBuffer target, int n) {
        float a = (float) l1;
        float twoL2 = (float) (2 * l2);
        for (int i = 0; i < n; i++) {
            float w = theta.get(i);
            target.put(i, Math.fma(twoL2, w, target.get(i) + sign(w) * a));
        }
    }

    /**
     * One SGD step of the first {@code n} parameters with this penalty in the gradient, in one pass:
     * v += l1 sign(theta) + 2 l2 theta, then theta -= lr v ({@code velocity} holds mu v + g).
     * Both buffers modified. The values go through two scratch arrays of {@link #BLOCK} floats a
     * block at a time, because the JIT turns loops over arrays into vector instructions and loops
     * over direct buffers not: twice as fast as the same loop on the buffers.
     */
    void step(FloatBuffer theta, FloatBuffer velocity, int n, float lr, float[] scratchTheta, float[] scratchVelocity) {
        float a = (float) l1;
        float twoL2 = (float) (2 * l2);
        float minusLr = -lr;
        for (int from = 0; from < n; from += BLOCK) {
            int m = Math.min(BLOCK, n - from);
            theta.get(from, scratchTheta, 0, m);
            velocity.get(from, scratchVelocity, 0, m);
            for (int i = 0; i < m; i++) {
                float w = scratchTheta[i];
                float v = Math.fma(twoL2, w, scratchVelocity[i] + sign(w) * a);
                scratchVelocity[i] = v;
                scratchTheta[i] = Math.fma(minusLr, v, w);
            }
            theta.put(from, scratchTheta, 0, m);
            velocity.put(from, scratchVelocity, 0, m);
        }
    }

    /**
     * sign(w): +-1, and +-0 for +-0, exactly, without branches (random signs would be mispredicted
     * half the time) and in operations the JIT vectorises: scaling by 2^149 takes the smallest
     * subnormal to 1 (exactly, a power of two), larger magnitudes beyond it, and the clamp to
     * [-1, 1] leaves the sign. NaN stays NaN.
     */
    static float sign(float w) {
        return Math.min(Math.max(w * 0x1p127f * 0x1p22f, -1f), 1f);
    }
}
