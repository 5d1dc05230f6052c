package io.nnrmtsvd.prune;

import io.nnrmtsvd.linalg.DoubleLapack;
import io.nnrmtsvd.linalg.Svd;
import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The random-rank control of training-time pruning. Given what one prune of an RMT-SVD run did
 * (its {@link PruneEvent}, the template), it prunes another network of the same structure to the
 * same rank in every layer, with the same action (split or truncate in place), but keeps singular
 * values chosen uniformly at random among the layer's live directions, instead of the largest ones.
 * The result has the template's shapes and parameter counts; what differs is which directions of
 * each layer survive. No spectrum is fitted: the template's ranks are used as they are.
 *
 * <p>The live directions are those earlier prunes of this control left: the inner width of a
 * factor pair, the rank a truncation in place left (remembered by this pruner), else all of them.
 * Drawing among all singular values instead would, from the second prune on, mostly keep the
 * directions an earlier prune emptied (a truncated layer's or a pair's product's near-zero singular
 * values) and empty the layer within a few prunes: on Fashion-MNIST that control fell to chance
 * accuracy (10%) by epoch 29 of 40, which says nothing about RMT's choice.
 *
 * <p>Layers are matched to the template's reports in order; under {@link FactorPolicy#MERGE} a
 * factor pair of an earlier split is one matrix (its product), as the template treated it.
 * One pruner per run, used from one thread (it remembers the ranks it left); the choice before
 * epoch e draws from a stream seeded by the seed and e, so a rerun draws the same.
 */
public final class RandomRankPruner {
    /** The prefix of the actions this pruner reports, e.g. {@code random-rank split}. */
    public static final String ACTION_PREFIX = "random-rank ";
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final FactorPolicy factors;
    private final long seed;
    /** Per layer position, the shape and rank a truncation in place by this pruner left it. */
    private final Map<Integer, int[]> truncated = new HashMap<>();

    /**
     * @param factors the template run's factor policy: {@link FactorPolicy#MERGE} treats a factor
     *     pair as one matrix, any other policy each layer on its own
     * @param seed seeds the random choices
     */
    public RandomRankPruner(FactorPolicy factors, long seed) {
        this.factors = factors;
        this.seed = seed;
    }

    /**
     * Prunes {@code network} as {@code template} pruned its own network, with random singular values.
     *
     * @throws IllegalArgumentException if the network's layers do not match the template's reports
     */
    public NetworkPruner.Result prune(Network network, PruneEvent template) {
        SplittableRandom random = new SplittableRandom(seed + GOLDEN_GAMMA * template.epoch());
        List<DenseLayer> layers = new ArrayList<>();
        List<LayerReport> reports = new ArrayList<>();
        int group = 0;
        for (int i = 0; i < network.size(); i++) {
            boolean pair = factors == FactorPolicy.MERGE && NetworkPruner.isFirstFactor(network, i);
            List<DenseLayer> original = pair ? List.of(network.layer(i), network.layer(i + 1))
                    : List.of(network.layer(i));
            if (group >= template.layers().size()) {
                throw new IllegalArgumentException("the network has more layers than the template prune reports ("
                        + template.layers().size() + ")");
            }
            LayerReport target = template.layers().get(group++);
            DenseLayer matrix = pair ? NetworkPruner.merged(original.get(0), original.get(1)) : original.get(0);
            if (matrix.out() != target.rows() || matrix.in() != target.cols()) {
                throw new IllegalArgumentException("layer " + i + " is " + matrix.out() + "x" + matrix.in()
                        + " but the template's layer " + target.index() + " is " + target.rows() + "x" + target.cols());
            }
            long before = original.stream().mapToLong(DenseLayer::parameterCount).sum();
            boolean split = target.action().endsWith("split");
            boolean truncate = target.action().endsWith("truncate");
            if (!split && !truncate) {
                layers.addAll(original);
                reports.add(report(i, matrix, target, target.rank(), NetworkPruner.UNCHANGED, before, before));
            } else {
                Svd svd = DoubleLapack.svd(LayerSurgery.weights(matrix));
                int live = Math.max(target.rank(), liveRank(group - 1, original, matrix, svd.s().length));
                int[] indices = choose(live, target.rank(), random);
                List<DenseLayer> replacement = split ? LayerSurgery.split(matrix, svd, indices)
                        : List.of(LayerSurgery.truncate(matrix, svd, indices));
                layers.addAll(replacement);
                long after = replacement.stream().mapToLong(DenseLayer::parameterCount).sum();
                reports.add(report(i, matrix, target, indices.length, ACTION_PREFIX + (split ? "split" : "truncate"),
                        before, after));
                if (truncate) {
                    truncated.put(group - 1, new int[] {matrix.out(), matrix.in(), indices.length});
                } else {
                    truncated.remove(group - 1);
                }
            }
            if (pair) {
                i++;
            }
        }
        if (group != template.layers().size()) {
            throw new IllegalArgumentException("the network has fewer layers than the template prune reports ("
                    + template.layers().size() + ")");
        }
        Network pruned = new Network(layers);
        PruneEvent event = new PruneEvent(template.epoch(), template.bema(), reports, network.widthsString(),
                pruned.widthsString(), network.parameterCount(), pruned.parameterCount());
        return new NetworkPruner.Result(pruned, event);
    }

    /**
     * How many of the leading singular values of the layer at {@code position} are live: a pair's
     * inner width, the rank this pruner's last truncation of a layer of that shape there left, or
     * all {@code p}.
     */
    private int liveRank(int position, List<DenseLayer> original, DenseLayer matrix, int p) {
        if (original.size() == 2) {
            return Math.min(p, original.get(0).out());
        }
        int[] last = truncated.get(position);
        if (last != null && last[0] == matrix.out() && last[1] == matrix.in()) {
            return Math.min(p, last[2]);
        }
        return p;
    }

    /** {@code k} distinct indices of [0, p), uniformly at random, ascending. */
    static int[] choose(int p, int k, SplittableRandom random) {
        if (k < 0 || k > p) {
            throw new IllegalArgumentException("rank " + k + " outside [0, " + p + "]");
        }
        int[] all = new int[p];
        for (int j = 0; j < p; j++) {
            all[j] = j;
        }
        for (int j = 0; j < k; j++) {
            int pick = j + random.nextInt(p - j);
            int t = all[j];
            all[j] = all[pick];
            all[pick] = t;
        }
        int[] chosen = Arrays.copyOf(all, k);
        Arrays.sort(chosen);
        return chosen;
    }

    private static LayerReport report(int index, DenseLayer matrix, LayerReport target, int rank, String action,
                                      long before, long after) {
        return new LayerReport(index, matrix.out(), matrix.in(), Double.NaN, false, Double.NaN, Double.NaN, 0, 0,
                target.keep(), rank, action, action.equals(NetworkPruner.UNCHANGED) ? "unchanged in the template" : "",
                before, after);
    }
}
