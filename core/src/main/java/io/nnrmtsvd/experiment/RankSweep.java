package io.nnrmtsvd.experiment;

import io.nnrmtsvd.linalg.DoubleLapack;
import io.nnrmtsvd.linalg.Svd;
import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.Evaluation;
import io.nnrmtsvd.nn.Examples;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.prune.LayerSurgery;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.BemaFit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Test accuracy with one layer truncated to each of several ranks (SPEC §7, Experiment B). The
 * layer's SVD is computed once.
 */
public final class RankSweep {
    private RankSweep() {
    }

    /**
     * One point of the sweep.
     *
     * @param rank singular values kept
     * @param accuracy test accuracy, in [0, 1]
     * @param loss mean test loss
     */
    public record Point(int rank, double accuracy, double loss) {
    }

    /**
     * Evaluates the network with layer {@code layerIndex} truncated to each rank.
     *
     * @param ranks each in [0, min(out, in)] of the layer
     * @param progress told the index of each finished rank
     * @throws IllegalArgumentException for a bad layer index or rank
     */
    public static List<Point> run(Network network, int layerIndex, int[] ranks, Examples test, IntConsumer progress) {
        if (layerIndex < 0 || layerIndex >= network.size()) {
            throw new IllegalArgumentException("layer " + layerIndex + " does not exist; the model has layers 0.."
                    + (network.size() - 1));
        }
        DenseLayer layer = network.layer(layerIndex);
        int p = Math.min(layer.in(), layer.out());
        for (int k : ranks) {
            if (k < 0 || k > p) {
                throw new IllegalArgumentException("rank " + k + " is outside [0, " + p + "] for layer "
                        + layerIndex + " (" + layer.out() + "x" + layer.in() + ")");
            }
        }
        Svd svd = DoubleLapack.svd(LayerSurgery.weights(layer));
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < ranks.length; i++) {
            List<DenseLayer> layers = new ArrayList<>(network.layers());
            layers.set(layerIndex, LayerSurgery.truncate(layer, svd, ranks[i]));
            Evaluation e = Evaluation.of(new Network(layers), test);
            points.add(new Point(ranks[i], e.accuracy(), e.meanLoss()));
            progress.accept(i);
        }
        return points;
    }

    /**
     * The BEMA settings the notebook reports the predicted rank with: alpha
     * {@value PruneConfig#PREDICTED_RANK_ALPHA}, the other settings at their defaults.
     */
    public static final Bema PREDICTED_RANK = Bema.create().withAlpha(PruneConfig.PREDICTED_RANK_ALPHA);

    /** BEMA's predicted rank of a layer: its spikes under {@code bema} (e.g. {@link #PREDICTED_RANK}). */
    public static BemaFit predictedRank(Network network, int layerIndex, Bema bema) {
        return bema.fit(LayerSurgery.weights(network.layer(layerIndex)));
    }

    /**
     * Parses {@code FROM:TO:STEP}, Python's range (TO excluded: {@code 0:100:5} is 0, 5, ..., 95), or
     * a comma-separated list.
     *
     * @throws IllegalArgumentException when malformed
     */
    public static int[] parseRanks(String text) {
        try {
            if (text.contains(":")) {
                String[] parts = text.split(":");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("ranks must be FROM:TO:STEP or a list, got '" + text + "'");
                }
                int from = Integer.parseInt(parts[0].strip());
                int to = Integer.parseInt(parts[1].strip());
                int step = Integer.parseInt(parts[2].strip());
                if (step < 1 || to <= from) {
                    throw new IllegalArgumentException("ranks " + text + ": need STEP >= 1 and TO > FROM");
                }
                int count = (to - from + step - 1) / step;
                int[] ranks = new int[count];
                for (int i = 0; i < count; i++) {
                    ranks[i] = from + i * step;
                }
                return ranks;
            }
            return java.util.Arrays.stream(text.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ranks must be FROM:TO:STEP or a list of integers, got '" + text + "'");
        }
    }
}
