package io.nnrmtsvd.prune;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.DoubleBlas;
import io.nnrmtsvd.linalg.DoubleLapack;
import io.nnrmtsvd.linalg.Svd;
import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.rmt.BemaFit;
import io.nnrmtsvd.rmt.GramSpectrum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Prunes every layer of a network once (SPEC §5 and §6): SVD of the layer in double, BEMA fit of
 * its spectrum, and, on a good fit, k = signal + floor(keep * noise) singular values kept (at
 * least the configured minimum) by the configured algorithm. Layers with a bad fit are left as
 * they are.
 */
public final class NetworkPruner {
    /** The action of a layer left as it was. */
    public static final String UNCHANGED = "unchanged";
    /** Odd 64-bit constant (2^64 / golden ratio) that spreads consecutive epochs' seeds apart. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final PruneConfig config;

    public NetworkPruner(PruneConfig config) {
        this.config = config;
    }

    /** The pruned network and what was done. */
    public record Result(Network network, PruneEvent event) {
    }

    /**
     * Prunes every layer; the input network is not modified (unchanged layers are shared).
     *
     * @param epoch the 1-based epoch the prune precedes, for the keep schedule (0 outside training)
     * @param epochs the run's epochs, for the keep schedule
     */
    public Result prune(Network network, int epoch, int epochs) {
        return prune(network, epoch, epochs, index -> true);
    }

    /**
     * Prunes the layers whose index {@code selected} accepts and leaves the others unchanged. A
     * factor pair merged under {@link FactorPolicy#MERGE} is selected by its first index.
     */
    public Result prune(Network network, int epoch, int epochs, IntPredicate selected) {
        double keep = config.keepAt(epoch, epochs);
        // Random-keep draws from a stream of its own per epoch, so a resumed run draws the same.
        SplittableRandom random = new SplittableRandom(config.seed() + GOLDEN_GAMMA * epoch);
        List<DenseLayer> layers = new ArrayList<>();
        List<LayerReport> reports = new ArrayList<>();
        int n = network.size();
        for (int i = 0; i < n; i++) {
            DenseLayer layer = network.layer(i);
            if (isFirstFactor(network, i) && config.factors() != FactorPolicy.SEPARATE && selected.test(i)) {
                DenseLayer second = network.layer(i + 1);
                if (config.factors() == FactorPolicy.SKIP) {
                    layers.add(layer);
                    layers.add(second);
                    reports.add(unchanged(i, layer, "factor of an earlier split"));
                    reports.add(unchanged(i + 1, second, "factor of an earlier split"));
                } else {
                    pruneMerged(i, layer, second, keep, random, layers, reports);
                }
                i++;
                continue;
            }
            if (!selected.test(i)) {
                layers.add(layer);
                reports.add(unchanged(i, layer, "not selected"));
                continue;
            }
            Outcome outcome = pruneLayer(i, layer, keep, random);
            layers.addAll(outcome.layers().isEmpty() ? List.of(layer) : outcome.layers());
            reports.add(outcome.report());
        }
        Network pruned = new Network(layers);
        PruneEvent event = new PruneEvent(epoch, config.bema(), reports, network.widthsString(),
                pruned.widthsString(), network.parameterCount(), pruned.parameterCount());
        return new Result(pruned, event);
    }

    /** The layers replacing one (empty when unchanged) and the report. */
    private record Outcome(List<DenseLayer> layers, LayerReport report) {
    }

    /**
     * Whether layer {@code i} is the first factor of an earlier split: a layer with neither bias nor
     * activation that feeds another layer.
     */
    static boolean isFirstFactor(Network network, int i) {
        DenseLayer layer = network.layer(i);
        return !layer.hasBias() && !layer.relu() && i + 1 < network.size();
    }

    /** One layer computing what the factor pair {@code first}, {@code second} computes: W2 W1, b2, act2. */
    static DenseLayer merged(DenseLayer first, DenseLayer second) {
        DMatrix product = DoubleBlas.multiply(LayerSurgery.weights(second), false,
                LayerSurgery.weights(first), false, 1.0);
        float[] w = new float[product.data().length];
        for (int j = 0; j < w.length; j++) {
            w[j] = (float) product.data()[j];
        }
        return DenseLayer.of(first.in(), second.out(), second.relu(), w, second.bias().orElse(null));
    }

    /**
     * Prunes a factor pair as the one matrix it multiplies to. The product has rank at most the
     * pair's inner width w, so its other p - w singular values are zero; a decision to keep w or
     * more of them would only re-split the pair wider (zero directions cost parameters and add
     * nothing), so then the pair is left as it is. A pair therefore never grows.
     */
    private void pruneMerged(int index, DenseLayer first, DenseLayer second, double keep, SplittableRandom random,
                             List<DenseLayer> layers, List<LayerReport> reports) {
        Outcome outcome = pruneLayer(index, merged(first, second), keep, random);
        long before = first.parameterCount() + second.parameterCount();
        LayerReport r = outcome.report();
        int width = first.out();
        if (!outcome.layers().isEmpty() && r.rank() >= width) {
            layers.add(first);
            layers.add(second);
            reports.add(new LayerReport(r.index(), r.rows(), r.cols(), r.fitError(), r.goodFit(), r.sigma2(),
                    r.lambdaPlus(), r.spikes(), r.signal(), r.keep(), width, UNCHANGED,
                    "k " + r.rank() + " is not below the factor pair's width " + width, before, before,
                    r.eigenvalues()));
        } else if (outcome.layers().isEmpty()) {
            layers.add(first);
            layers.add(second);
            reports.add(r.withParameters(before, before));
        } else {
            layers.addAll(outcome.layers());
            reports.add(r.withParameters(before, r.parametersAfter()));
        }
    }

    private Outcome pruneLayer(int index, DenseLayer layer, double keep, SplittableRandom random) {
        int rows = layer.out();
        int cols = layer.in();
        int p = Math.min(rows, cols);
        Svd svd = DoubleLapack.svd(LayerSurgery.weights(layer));
        BemaFit fit = config.bema().fit(GramSpectrum.fromSingularValues(svd.s(), rows, cols, config.bema().scaling()));
        if (config.algorithm() == PruneAlgorithm.NONE) {
            return new Outcome(List.of(), report(index, layer, fit, fit.spikes(), keep, p, UNCHANGED,
                    "pruning is off", layer.parameterCount()));
        }
        if (config.algorithm() == PruneAlgorithm.SHRINK) {
            return fit.goodFit() ? shrink(index, layer, fit, config.signal(fit, svd.s(), rows, cols), keep, svd)
                    : new Outcome(List.of(), report(index, layer, fit, fit.spikes(), keep, p, UNCHANGED,
                            RankDecision.badFitReason(fit), layer.parameterCount()));
        }
        boolean maySplit = config.algorithm() != PruneAlgorithm.TRUNCATE;
        RankDecision decision = RankDecision.of(config, fit, svd.s(), rows, cols, keep, maySplit);
        if (decision.action() == RankDecision.Action.UNCHANGED) {
            int signal = fit.goodFit() ? decision.signal() : fit.spikes();
            return new Outcome(List.of(), report(index, layer, fit, signal, keep, decision.rank(), UNCHANGED,
                    decision.reason(), layer.parameterCount()));
        }
        int[] indices = config.algorithm() == PruneAlgorithm.RANDOM_KEEP
                ? randomIndices(decision.signal(), decision.rank(), p, random)
                : LayerSurgery.firstIndices(decision.rank());
        List<DenseLayer> replacement = decision.action() == RankDecision.Action.SPLIT
                ? LayerSurgery.split(layer, svd, indices)
                : List.of(LayerSurgery.truncate(layer, svd, indices));
        String action = replacement.size() == 2 ? "split" : "truncate";
        if (config.algorithm() == PruneAlgorithm.RANDOM_KEEP) {
            action = "random-keep " + action;
        }
        long after = replacement.stream().mapToLong(DenseLayer::parameterCount).sum();
        return new Outcome(replacement, report(index, layer, fit, decision.signal(), keep, indices.length, action, "",
                after));
    }

    private Outcome shrink(int index, DenseLayer layer, BemaFit fit, int signal, double keep, Svd svd) {
        double[] weights = svd.s().clone();
        int above = 0;
        for (int j = 0; j < weights.length; j++) {
            if (weights[j] <= fit.sPlus()) {
                weights[j] /= 2;
            } else {
                above++;
            }
        }
        if (above == weights.length) {
            return new Outcome(List.of(), report(index, layer, fit, signal, keep, above, UNCHANGED,
                    "no singular value at or below s_plus", layer.parameterCount()));
        }
        DenseLayer shrunk = LayerSurgery.reweight(layer, svd, weights);
        return new Outcome(List.of(shrunk), report(index, layer, fit, signal, keep, above, "shrink", "",
                shrunk.parameterCount()));
    }

    /** The first {@code signal} indices, then {@code k - signal} noise indices drawn uniformly, sorted. */
    private static int[] randomIndices(int signal, int k, int p, SplittableRandom random) {
        int[] noise = new int[p - signal];
        for (int j = 0; j < noise.length; j++) {
            noise[j] = signal + j;
        }
        int draw = Math.max(0, Math.min(noise.length, k - signal));
        for (int j = 0; j < draw; j++) {
            int pick = j + random.nextInt(noise.length - j);
            int t = noise[j];
            noise[j] = noise[pick];
            noise[pick] = t;
        }
        int[] indices = new int[Math.min(signal, p) + draw];
        for (int j = 0; j < Math.min(signal, p); j++) {
            indices[j] = j;
        }
        int[] chosen = Arrays.copyOf(noise, draw);
        Arrays.sort(chosen);
        System.arraycopy(chosen, 0, indices, Math.min(signal, p), draw);
        return indices;
    }

    private static LayerReport report(int index, DenseLayer layer, BemaFit fit, int signal, double keep,
                                      int rank, String action, String reason, long after) {
        return new LayerReport(index, layer.out(), layer.in(), fit.fitError(), fit.goodFit(), fit.sigma2(),
                fit.lambdaPlus(), fit.spikes(), signal, keep, rank, action, reason,
                layer.parameterCount(), after, fit.eigenvalues());
    }

    private static LayerReport unchanged(int index, DenseLayer layer, String reason) {
        int p = Math.min(layer.in(), layer.out());
        return new LayerReport(index, layer.out(), layer.in(), Double.NaN, false, Double.NaN, Double.NaN,
                0, 0, 0, p, UNCHANGED, reason, layer.parameterCount(), layer.parameterCount());
    }
}
