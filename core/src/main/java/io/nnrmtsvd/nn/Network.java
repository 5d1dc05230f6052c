package io.nnrmtsvd.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * A chain of dense layers followed by log-softmax. Immutable in its structure (pruning that
 * changes the layers builds a new network); the layers' parameters change during training.
 */
public final class Network {
    private final List<DenseLayer> layers;

    /** @param layers at least one; each layer's input size must equal the previous one's output. */
    public Network(List<DenseLayer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).in() != layers.get(i - 1).out()) {
                throw new IllegalArgumentException("layer " + i + " takes " + layers.get(i).in()
                        + " inputs but layer " + (i - 1) + " gives " + layers.get(i - 1).out());
            }
        }
        this.layers = List.copyOf(layers);
    }

    /** The most weights one layer may have: one Java array. */
    public static final long MAX_LAYER_WEIGHTS = Integer.MAX_VALUE - 8;

    /**
     * Fails unless {@code widths}, input first, describe a network that can be built: at least two
     * positive widths, and no layer with more weights than {@link #MAX_LAYER_WEIGHTS}.
     *
     * @throws IllegalArgumentException naming the width at fault
     */
    public static void checkWidths(int[] widths) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("--layers needs at least two widths, e.g. 784,1000,10");
        }
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("--layers widths must be positive, got " + w);
            }
        }
        for (int i = 0; i + 1 < widths.length; i++) {
            long weights = (long) widths[i] * widths[i + 1];
            if (weights > MAX_LAYER_WEIGHTS) {
                throw new IllegalArgumentException("--layers: layer " + i + " (" + widths[i] + " -> " + widths[i + 1]
                        + ") would have " + weights + " weights, more than one array holds (" + MAX_LAYER_WEIGHTS
                        + ")");
            }
        }
    }

    /**
     * A network initialised as PyTorch's {@code nn.Linear} default: weights and biases uniform on
     * [-1/sqrt(in), 1/sqrt(in)]. ReLU follows every hidden layer, and the output layer when
     * {@code outputRelu} (the original notebook's choice).
     *
     * @param dims layer widths, input first, at least two entries
     */
    public static Network initialize(int[] dims, boolean outputRelu, SplittableRandom random) {
        return initialize(dims, outputRelu, Initialization.UNIFORM, random);
    }

    /**
     * A network with the given initialisation; layers are drawn in order, each its weights then
     * its biases. ReLU follows every hidden layer, and the output layer when {@code outputRelu}.
     *
     * @param dims layer widths, input first, at least two entries
     */
    public static Network initialize(int[] dims, boolean outputRelu, Initialization init, SplittableRandom random) {
        if (dims.length < 2) {
            throw new IllegalArgumentException("need at least an input and an output width");
        }
        List<DenseLayer> layers = new ArrayList<>();
        for (int l = 0; l + 1 < dims.length; l++) {
            int in = dims[l];
            int out = dims[l + 1];
            if (in < 1 || out < 1) {
                throw new IllegalArgumentException("layer widths must be positive, got " + in + " and " + out);
            }
            float[] w = new float[Math.multiplyExact(in, out)];
            float[] b = new float[out];
            init.fill(w, b, in, random);
            boolean last = l + 2 == dims.length;
            layers.add(DenseLayer.of(in, out, !last || outputRelu, w, b));
        }
        return new Network(layers);
    }

    public List<DenseLayer> layers() {
        return layers;
    }

    public DenseLayer layer(int index) {
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    public int inputSize() {
        return layers.get(0).in();
    }

    public int outputSize() {
        return layers.get(layers.size() - 1).out();
    }

    /** Widths from input to output, e.g. [784, 353, 1000, 10]. */
    public int[] widths() {
        int[] dims = new int[layers.size() + 1];
        dims[0] = inputSize();
        for (int i = 0; i < layers.size(); i++) {
            dims[i + 1] = layers.get(i).out();
        }
        return dims;
    }

    /** Widths joined by dashes, e.g. {@code 784-353-1000-10}. */
    public String widthsString() {
        return java.util.Arrays.stream(widths()).mapToObj(Integer::toString).collect(Collectors.joining("-"));
    }

    public long parameterCount() {
        return layers.stream().mapToLong(DenseLayer::parameterCount).sum();
    }

    /** A copy whose output layer applies ReLU or not; every other layer is copied as it is. */
    public Network withOutputRelu(boolean relu) {
        List<DenseLayer> copies = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            DenseLayer l = layers.get(i);
            boolean act = i + 1 == layers.size() ? relu : l.relu();
            copies.add(DenseLayer.of(l.in(), l.out(), act, l.weights(), l.bias().orElse(null)));
        }
        return new Network(copies);
    }

    /** A network with independent copies of every layer. */
    public Network copy() {
        return new Network(layers.stream().map(DenseLayer::copy).toList());
    }

    @Override
    public String toString() {
        return "Network[" + widthsString() + ", " + parameterCount() + " parameters]";
    }
}
