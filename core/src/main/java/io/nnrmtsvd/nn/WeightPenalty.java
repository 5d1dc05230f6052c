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

    /**
     * Adds the penalty's gradient at the first {@code n} values of {@code theta} to {@code target}:
     * target += l1 sign(theta) + 2 l2 theta. {@code theta} not modified, {@code target} modified.
     */
    void addGradient(FloatBuffer theta, FloatBuffer target, int n) {
        float twoL2 = (float) (2 * l2);
        int l1Bits = Float.floatToRawIntBits((float) l1);
        for (int i = 0; i < n; i++) {
            float w = theta.get(i);
            target.put(i, Math.fma(twoL2, w, target.get(i) + signTimes(l1Bits, w)));
        }
    }

    /**
     * One SGD step of the first {@code n} parameters with this penalty in the gradient, in one pass:
     * v += l1 sign(theta) + 2 l2 theta, then theta -= lr v ({@code velocity} holds mu v + g).
     * Both buffers modified.
     */
    void step(FloatBuffer theta, FloatBuffer velocity, int n, float lr) {
        float twoL2 = (float) (2 * l2);
        int l1Bits = Float.floatToRawIntBits((float) l1);
        for (int i = 0; i < n; i++) {
            float w = theta.get(i);
            float v = Math.fma(twoL2, w, velocity.get(i) + signTimes(l1Bits, w));
            velocity.put(i, v);
            theta.put(i, Math.fma(-lr, v, w));
        }
    }

    /**
     * sign(w) times the non-negative float whose bits are given, with sign(+-0) = 0: built from bits
     * rather than branches, whose random outcomes would be mispredicted half the time.
     */
    private static float signTimes(int magnitudeBits, float w) {
        int bits = Float.floatToRawIntBits(w);
        int magnitude = bits & 0x7fffffff;
        int nonZero = (magnitude | -magnitude) >> 31;
        return Float.intBitsToFloat((magnitudeBits | (bits & 0x80000000)) & nonZero);
    }
}
