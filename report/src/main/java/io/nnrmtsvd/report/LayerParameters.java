package io.nnrmtsvd.report;

import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.prune.LayerReport;
import io.nnrmtsvd.prune.PruneEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Parameters (weights and biases) of one original layer before and after pruning.
 *
 * @param layer label, e.g. {@code 0: 784→1000} (index: inputs→outputs)
 * @param before parameters before
 * @param after parameters after, summed over the factors the layer was split into
 */
public record LayerParameters(String layer, long before, long after) {
    /** One entry per layer of a single prune, as the prune reported it. */
    public static List<LayerParameters> of(PruneEvent event) {
        List<LayerParameters> result = new ArrayList<>();
        for (LayerReport r : event.layers()) {
            result.add(new LayerParameters(label(r.index(), r.cols(), r.rows()), r.parametersBefore(),
                    r.parametersAfter()));
        }
        return result;
    }

    /**
     * One entry per layer of {@code before}, matched to the layers of {@code after} that replaced it.
     * A split replaces a layer by a factor without bias followed by one with the original bias, and
     * later prunes may split factors again, so each original layer (all of which have a bias) becomes
     * a run of layers without bias closed by one with a bias. When {@code after} does not have that
     * shape, the whole network is one entry.
     */
    public static List<LayerParameters> of(Network before, Network after) {
        List<Long> groups = new ArrayList<>();
        long pending = 0;
        for (DenseLayer layer : after.layers()) {
            pending += layer.parameterCount();
            if (layer.hasBias()) {
                groups.add(pending);
                pending = 0;
            }
        }
        boolean matches = pending == 0 && groups.size() == before.size()
                && before.layers().stream().allMatch(DenseLayer::hasBias);
        if (!matches) {
            return List.of(new LayerParameters("network " + before.widthsString(), before.parameterCount(),
                    after.parameterCount()));
        }
        List<LayerParameters> result = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            DenseLayer layer = before.layer(i);
            result.add(new LayerParameters(label(i, layer.in(), layer.out()), layer.parameterCount(), groups.get(i)));
        }
        return result;
    }

    private static String label(int index, int in, int out) {
        return index + ": " + in + "→" + out;
    }
}
