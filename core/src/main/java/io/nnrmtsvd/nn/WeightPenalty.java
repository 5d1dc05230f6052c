package io.nnrmtsvd.nn;

import io.nnrmtsvd.linalg.FloatBlas;
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
    /** Values per part below which splitting the L1 loop does not pay. */
    private static final int PARALLEL_GRAIN = 1 << 16;

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
        addGradient(theta, target, n, 1);
    }

    /**
     * As {@link #addGradient(FloatBuffer, FloatBuffer, int)}, the L1 loop split into up to
     * {@code threads} parts run at once (on the common fork-join pool); every value is computed
     * as it is serially, so the result does not depend on the split.
     */
    void addGradient(FloatBuffer theta, FloatBuffer target, int n, int threads) {
        float twoL2 = (float) (2 * l2);
        if (l1 == 0) {
            if (twoL2 != 0) {
                FloatBlas.axpy(n, twoL2, theta, target);
            }
            return;
        }
        int parts = Math.max(1, Math.min(threads, n / PARALLEL_GRAIN));
        if (parts == 1) {
            addL1AndL2(theta, target, 0, n, twoL2);
        } else {
            java.util.stream.IntStream.range(0, parts).parallel().forEach(part -> addL1AndL2(theta, target,
                    (int) ((long) n * part / parts), (int) ((long) n * (part + 1) / parts), twoL2));
        }
    }

    private void addL1AndL2(FloatBuffer theta, FloatBuffer target, int from, int to, float twoL2) {
        // l1 sign(w) without a branch: the signs of trained weights are random, and a mispredicted
        // branch per weight cost more than the rest of the loop. The sign bit of w goes onto l1's
        // bits, and the result is masked to +0 where w is +-0.
        int l1Bits = Float.floatToRawIntBits((float) l1);
        for (int i = from; i < to; i++) {
            float w = theta.get(i);
            int bits = Float.floatToRawIntBits(w);
            int magnitude = bits & 0x7fffffff;
            int nonZero = (magnitude | -magnitude) >> 31;
            float signed = Float.intBitsToFloat(((bits & 0x80000000) | l1Bits) & nonZero);
            target.put(i, target.get(i) + signed + twoL2 * w);
        }
    }
}
