package io.nnrmtsvd.nn;

import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.FileFormat;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.Printable;
import io.nnrmtsvd.io.SafetensorsFile;
import io.nnrmtsvd.io.SafetensorsWriter;
import io.nnrmtsvd.io.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Networks as safetensors files, the layout PyTorch's {@code safetensors.torch.load_file} reads:
 * tensors {@code layers.{i}.weight} [out, in] and {@code layers.{i}.bias} [out] in F32 (a layer
 * without bias has no bias tensor), and in {@code __metadata__} the key {@code relu} listing each
 * layer's activation as a string of 0/1 (e.g. {@code "10"}) beside the caller's own keys.
 *
 * <p>A file without {@code relu} metadata (e.g. exported from PyTorch) loads with ReLU after every
 * layer but the last.
 */
public final class ModelFiles {
    /** Metadata key holding each layer's ReLU flag as one character 0 or 1. */
    public static final String RELU_KEY = "relu";
    /** Prefix of tensors that belong to a training snapshot's optimiser, not to the model. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";
    private static final Pattern TENSOR_NAME = Pattern.compile("layers\\.(\\d+)\\.(weight|bias)");

    private ModelFiles() {
    }

    /**
     * Writes the network atomically.
     *
     * @param metadata extra {@code __metadata__} entries (e.g. dataset, provenance); not modified
     */
    public static void save(Path file, Network network, Map<String, String> metadata) {
        save(file, network, metadata, List.of());
    }

    /**
     * Writes the network and {@code extra} tensors after it (named {@link #OPTIMIZER_PREFIX}...,
     * which {@link #load} ignores) atomically.
     */
    public static void save(Path file, Network network, Map<String, String> metadata,
                            List<SafetensorsWriter.Tensor> extra) {
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>(tensors(network));
        tensors.addAll(extra);
        write(file, network, metadata, tensors);
    }

    /** The network's tensors, as {@link #save} writes them. */
    private static List<SafetensorsWriter.Tensor> tensors(Network network) {
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < network.size(); i++) {
            DenseLayer layer = network.layer(i);
            tensors.add(SafetensorsWriter.Tensor.ofFloats("layers." + i + ".weight", Dtype.F32,
                    new long[] {layer.out(), layer.in()}, layer.weights()));
            int index = i;
            layer.bias().ifPresent(b -> tensors.add(SafetensorsWriter.Tensor.ofFloats(
                    "layers." + index + ".bias", Dtype.F32, new long[] {layer.out()}, b)));
        }
        return tensors;
    }

    /** Writes {@code tensors} atomically with the network's activations added to the metadata. */
    private static void write(Path file, Network network, Map<String, String> metadata, List<SafetensorsWriter.Tensor> tensors) {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        StringBuilder relu = new StringBuilder();
        for (DenseLayer layer : network.layers()) {
            relu.append(layer.relu() ? '1' : '0');
        }
        meta.put(RELU_KEY, relu.toString());
        try {
            SafetensorsWriter.write(file, meta, tensors);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the file has the layout of a model: at least one tensor, each named
     * {@code layers.{i}.weight} or {@code layers.{i}.bias} (or {@code optimizer.*}, a training
     * snapshot's). Other safetensors files are checkpoints of other programs.
     */
    public static boolean isModel(SafetensorsFile st) {
        List<TensorInfo> tensors = st.tensors();
        return !tensors.isEmpty() && tensors.stream().allMatch(t -> t.name().startsWith(OPTIMIZER_PREFIX)
                || TENSOR_NAME.matcher(t.name()).matches());
    }

    /**
     * Reads a network written by {@link #save} or any file with the same tensor names.
     *
     * @throws InvalidInputException if the file is not such a model; for a file of another format
     *     (a PyTorch file, say), what it is and how to convert it
     */
    public static Network load(Path file) {
        FileFormat.require(file, "an rmtsvd model (.safetensors)", FileFormat.SAFETENSORS);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            return load(st);
        } catch (IOException e) {
            throw InvalidInputException.unreadable(file, e);
        }
    }

    /**
     * Reads the network from an open safetensors file. Tensors named {@code optimizer.*} (a
     * training snapshot's momentum) are ignored.
     */
    public static Network load(SafetensorsFile st) {
        Path file = st.path();
        Set<Integer> indices = new TreeSet<>();
        for (TensorInfo t : st.tensors()) {
            if (t.name().startsWith(OPTIMIZER_PREFIX)) {
                continue;
            }
            Matcher m = TENSOR_NAME.matcher(t.name());
            if (!m.matches()) {
                throw InvalidInputException.inFile(file, "not an rmtsvd model: unexpected tensor '"
                        + Printable.name(t.name()) + "' (expected layers.{i}.weight and layers.{i}.bias)");
            }
            indices.add(Integer.parseInt(m.group(1)));
        }
        int count = indices.size();
        if (count == 0) {
            throw InvalidInputException.inFile(file, "not an rmtsvd model: no layers.{i}.weight tensors");
        }
        String relu = st.metadata().get(RELU_KEY);
        if (relu != null && !relu.matches("[01]{" + count + "}")) {
            throw InvalidInputException.inFile(file, "metadata '" + RELU_KEY + "' must be " + count
                    + " characters 0 or 1, got '" + InvalidInputException.printable(relu) + "'");
        }
        List<DenseLayer> layers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (!indices.contains(i)) {
                throw InvalidInputException.inFile(file, "layer indices are not 0.." + (count - 1)
                        + ": layers." + i + " is missing");
            }
            TensorInfo w = requireTensor(st, "layers." + i + ".weight");
            if (w.shape().length != 2 || w.dtype() != Dtype.F32 && !w.dtype().isAnalysable()) {
                throw InvalidInputException.inFile(file, w.name() + " must be a 2-D float tensor, got "
                        + w.dtype() + " " + java.util.Arrays.toString(w.shape()));
            }
            int out = Math.toIntExact(w.shape()[0]);
            int in = Math.toIntExact(w.shape()[1]);
            float[] bias = null;
            if (st.contains("layers." + i + ".bias")) {
                TensorInfo b = st.tensor("layers." + i + ".bias");
                if (b.shape().length != 1 || b.shape()[0] != out) {
                    throw InvalidInputException.inFile(file, b.name() + " must have shape [" + out + "], got "
                            + java.util.Arrays.toString(b.shape()));
                }
                bias = st.readFloats(b.name());
            }
            if (!layers.isEmpty() && layers.get(i - 1).out() != in) {
                throw InvalidInputException.inFile(file, w.name() + " takes " + in
                        + " inputs but the previous layer gives " + layers.get(i - 1).out());
            }
            if (in < 1 || out < 1) {
                throw InvalidInputException.inFile(file, w.name() + " has an empty dimension");
            }
            boolean act = relu == null ? i + 1 < count : relu.charAt(i) == '1';
            layers.add(DenseLayer.of(in, out, act, st.readFloats(w.name()), bias));
        }
        return new Network(layers);
    }

    private static TensorInfo requireTensor(SafetensorsFile st, String name) {
        if (!st.contains(name)) {
            throw InvalidInputException.inFile(st.path(), "tensor " + name + " is missing");
        }
        return st.tensor(name);
    }
}
