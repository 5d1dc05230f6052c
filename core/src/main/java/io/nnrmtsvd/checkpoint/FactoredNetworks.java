package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.io.CheckpointFormat;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.SafetensorsFile;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.ModelFiles;
import io.nnrmtsvd.nn.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Networks from compressed checkpoints of rmtsvd models ({@code layers.{i}.weight / bias}), the
 * way a PyTorch loader rebuilds them: a factored layer becomes two layers, {@code down} without
 * bias or activation, then {@code up} with the layer's bias and activation; a truncated layer
 * keeps its place.
 */
public final class FactoredNetworks {
    private FactoredNetworks() {
    }

    /**
     * The network of a checkpoint that is one rmtsvd model file (a single safetensors file of
     * {@code layers.{i}.weight / bias}), or empty for any other checkpoint.
     */
    public static Optional<Network> model(ShardedCheckpoint ck) {
        if (ck.sharded() || ck.format() != CheckpointFormat.SAFETENSORS) {
            return Optional.empty();
        }
        SafetensorsFile file = ck.safetensorsShards().get(0);
        return ModelFiles.isModel(file) ? Optional.of(ModelFiles.load(file)) : Optional.empty();
    }

    /**
     * The network the checkpoint holds.
     *
     * @throws InvalidInputException if it is not a (compressed) rmtsvd model
     */
    public static Network load(ShardedCheckpoint ck) {
        Map<String, FactoredFormat.Factored> factored = FactoredFormat.of(ck).factored();
        String relu = ck.metadata(ModelFiles.RELU_KEY).orElse(null);
        int count = 0;
        while (ck.contains("layers." + count + ".weight") || factored.containsKey("layers." + count + ".weight")) {
            count++;
        }
        if (count == 0 || relu != null && relu.length() != count) {
            throw new InvalidInputException(ck.source() + ": not a compressed rmtsvd model (layers.{i}.weight "
                    + "with a relu flag per layer)");
        }
        List<DenseLayer> layers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "layers." + i + ".weight";
            String biasName = "layers." + i + ".bias";
            float[] bias = ck.contains(biasName) ? ck.readFloats(biasName) : null;
            boolean act = relu == null ? i + 1 < count : relu.charAt(i) == '1';
            FactoredFormat.Factored entry = factored.get(name);
            if (entry != null) {
                TensorInfo down = ck.tensor(entry.down());
                TensorInfo up = ck.tensor(entry.up());
                int k = (int) down.shape()[0];
                layers.add(DenseLayer.of((int) down.shape()[1], k, false, ck.readFloats(down.name()), null));
                layers.add(DenseLayer.of(k, (int) up.shape()[0], act, ck.readFloats(up.name()), bias));
            } else {
                TensorInfo w = ck.tensor(name);
                layers.add(DenseLayer.of((int) w.shape()[1], (int) w.shape()[0], act, ck.readFloats(name), bias));
            }
        }
        return new Network(layers);
    }
}
