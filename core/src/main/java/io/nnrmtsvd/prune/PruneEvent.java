package io.nnrmtsvd.prune;

import io.nnrmtsvd.rmt.Bema;
import java.util.List;

/**
 * One prune of a whole network.
 *
 * @param epoch the 1-based epoch it preceded (0 when not part of training)
 * @param bema the BEMA settings that fitted every layer
 * @param layers one report per layer or merged factor pair, in network order
 * @param widthsBefore widths before, e.g. 784-1000-10
 * @param widthsAfter widths after, e.g. 784-353-1000-10
 * @param parametersBefore parameters before
 * @param parametersAfter parameters after
 */
public record PruneEvent(int epoch, Bema bema, List<LayerReport> layers, String widthsBefore, String widthsAfter,
                         long parametersBefore, long parametersAfter) {
    public PruneEvent {
        layers = List.copyOf(layers);
    }

    /** Whether any layer changed. */
    public boolean changed() {
        return layers.stream().anyMatch(l -> !l.action().equals(NetworkPruner.UNCHANGED));
    }
}
