package io.nnrmtsvd.nn;

import io.nnrmtsvd.linalg.OffHeapFloats;
import java.nio.FloatBuffer;
import java.util.Optional;

/**
 * One fully connected layer y = act(W x + b). W is stored out x in row-major (as PyTorch stores
 * {@code nn.Linear} weights) in a direct buffer; the bias is optional (the first factor of a
 * split layer has none). The activation is ReLU or the identity.
 */
public final class DenseLayer {
    private final int in;
    private final int out;
    private final boolean relu;
    private final FloatBuffer weight;
    private final FloatBuffer bias;

    private DenseLayer(int in, int out, boolean relu, FloatBuffer weight, FloatBuffer bias) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("layer dimensions must be positive, got " + out + "x" + in);
        }
        this.in = in;
        this.out = out;
        this.relu = relu;
        this.weight = weight;
        this.bias = bias;
    }

    /**
     * A layer holding copies of the given values.
     *
     * @param weight out * in values, row-major. Not modified.
     * @param bias out values, or {@code null} for a layer without bias. Not modified.
     */
    public static DenseLayer of(int in, int out, boolean relu, float[] weight, float[] bias) {
        if (weight.length != (long) in * out) {
            throw new IllegalArgumentException("weight of a " + out + "x" + in + " layer needs "
                    + (long) in * out + " values, got " + weight.length);
        }
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException("bias needs " + out + " values, got " + bias.length);
        }
        return new DenseLayer(in, out, relu, OffHeapFloats.copyOf(weight),
                bias == null ? null : OffHeapFloats.copyOf(bias));
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public boolean relu() {
        return relu;
    }

    public boolean hasBias() {
        return bias != null;
    }

    /** Weights plus biases. */
    public long parameterCount() {
        return (long) in * out + (bias == null ? 0 : out);
    }

    /** A copy of W, out x in row-major. */
    public float[] weights() {
        return OffHeapFloats.toArray(weight);
    }

    /** A copy of the bias, if the layer has one. */
    public Optional<float[]> bias() {
        return bias == null ? Optional.empty() : Optional.of(OffHeapFloats.toArray(bias));
    }

    /** The same layer with an independent copy of its parameters. */
    public DenseLayer copy() {
        return of(in, out, relu, weights(), bias == null ? null : OffHeapFloats.toArray(bias));
    }

    /** The live weight buffer, for the training loop in this package. */
    FloatBuffer weightBuffer() {
        return weight;
    }

    /** The live bias buffer or {@code null}, for the training loop in this package. */
    FloatBuffer biasBuffer() {
        return bias;
    }

    @Override
    public String toString() {
        return "DenseLayer[" + in + "->" + out + (relu ? ", relu" : "") + (bias == null ? ", no bias" : "") + "]";
    }
}
