package io.nnrmtsvd.prune;

import static io.nnrmtsvd.prune.PruneFixtures.FLOAT_RELATIVE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.DoubleBlas;
import io.nnrmtsvd.linalg.Svd;
import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.BemaFit;
import io.nnrmtsvd.rmt.GramSpectrum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NetworkPrunerTest {
    private static final int IN = 80;
    private static final int OUT = 40;
    private static final int P = 40;
    private static final double[] PLANTED = {6, 5, 4};

    private final SplittableRandom rng = new SplittableRandom(77001L);
    /** Gaussian noise: BEMA finds no spike and a good fit. */
    private final DenseLayer noise = PruneFixtures.layer(PruneFixtures.gaussian(rng, OUT, IN, 0.1), true, rng);
    /** Rank-3 signal well above the bulk edge (about 1.5) plus the same kind of noise. */
    private final DenseLayer planted = PruneFixtures.layer(
            PruneFixtures.planted(rng, OUT, IN, 0.1, PLANTED), true, rng);

    private static PruneConfig config(PruneAlgorithm algorithm, double keep, Bema bema, int minRank,
                                      FactorPolicy factors, long seed) {
        return new PruneConfig(algorithm, KeepSchedule.constant(keep), bema, null, minRank, factors, seed);
    }

    private static PruneConfig config(PruneAlgorithm algorithm, double keep, int minRank) {
        return config(algorithm, keep, Bema.create(), minRank, FactorPolicy.SEPARATE, 1);
    }

    private static NetworkPruner.Result pruneOne(PruneConfig config, DenseLayer layer) {
        return new NetworkPruner(config).prune(new Network(List.of(layer)), 0, 1);
    }

    private static BemaFit fitOf(DenseLayer layer, Bema bema) {
        Svd svd = PruneFixtures.svd(layer);
        return bema.fit(GramSpectrum.fromSingularValues(svd.s(), layer.out(), layer.in(), bema.scaling()));
    }

    @Test
    void fixturesHaveTheSpectraTheTestsAssume() {
        BemaFit noiseFit = fitOf(noise, Bema.create());
        assertTrue(noiseFit.goodFit(), noiseFit.toString());
        assertEquals(0, noiseFit.spikes());
        BemaFit plantedFit = fitOf(planted, Bema.create());
        assertTrue(plantedFit.goodFit(), plantedFit.toString());
        assertEquals(PLANTED.length, plantedFit.spikes());
        assertEquals(PLANTED.length, fitOf(planted, Bema.create().withAlpha(0.25)).spikes());
    }

    @Test
    void splitTruncateWithKeepZeroKeepsExactlyThePlantedRank() {
        NetworkPruner.Result result = pruneOne(config(PruneAlgorithm.SPLIT_TRUNCATE, 0, 0), planted);
        LayerReport r = result.event().layers().get(0);
        assertEquals(3, r.spikes());
        assertEquals(3, r.signal());
        assertEquals(3, r.rank());
        assertEquals("split", r.action());
        assertEquals("80-3-40", result.network().widthsString());
        DMatrix product = PruneFixtures.product(result.network().layer(1), result.network().layer(0));
        double error = PruneFixtures.relativeError(product, PruneFixtures.svd(planted).truncate(3));
        assertTrue(error < FLOAT_RELATIVE, "relative error " + error);
    }

    @Test
    void keepsSignalPlusTheFloorOfKeepTimesNoise() {
        NetworkPruner.Result result = pruneOne(config(PruneAlgorithm.SPLIT_TRUNCATE, 0.45, 0), planted);
        int expected = 3 + (int) Math.floor(0.45 * (P - 3));
        LayerReport r = result.event().layers().get(0);
        assertEquals(expected, r.rank());
        assertEquals(0.45, r.keep());
        assertEquals("80-" + expected + "-40", result.network().widthsString());
        assertEquals((long) expected * (IN + OUT) + OUT, r.parametersAfter());
        assertEquals(planted.parameterCount(), r.parametersBefore());
    }

    @Test
    void splitOnlyWhenItSavesParametersOtherwiseTruncateInPlace() {
        // 40 x 80: split saves while k * 120 < 3200, i.e. k <= 26; keep 0.7 gives k = 3 + 25 = 28
        NetworkPruner.Result result = pruneOne(config(PruneAlgorithm.SPLIT_TRUNCATE, 0.7, 0), planted);
        LayerReport r = result.event().layers().get(0);
        assertEquals(28, r.rank());
        assertEquals("truncate", r.action());
        assertEquals("80-40", result.network().widthsString());
        double error = PruneFixtures.relativeError(LayerSurgery.weights(result.network().layer(0)),
                PruneFixtures.svd(planted).truncate(28));
        assertTrue(error < FLOAT_RELATIVE, "relative error " + error);
    }

    @Test
    void rankIsAtLeastMinRankAndAtMostP() {
        LayerReport floored = pruneOne(config(PruneAlgorithm.SPLIT_TRUNCATE, 0, 7), noise).event().layers().get(0);
        assertEquals(0, floored.signal());
        assertEquals(7, floored.rank());
        assertEquals("split", floored.action());

        NetworkPruner.Result capped = pruneOne(config(PruneAlgorithm.SPLIT_TRUNCATE, 0, 1000), noise);
        LayerReport r = capped.event().layers().get(0);
        assertEquals(P, r.rank());
        assertEquals(NetworkPruner.UNCHANGED, r.action());
        assertSame(noise, capped.network().layer(0));

        LayerReport all = pruneOne(config(PruneAlgorithm.TRUNCATE, 1, 0), noise).event().layers().get(0);
        assertEquals(P, all.rank());
        assertEquals(NetworkPruner.UNCHANGED, all.action());
    }

    @Test
    void rankZeroZeroesTheWeightsInPlaceInsteadOfSplittingToWidthZero() {
        // the follow-up paper's set-up: no floor on the rank, keep falling to 0; a pure-noise layer keeps nothing
        NetworkPruner.Result result = pruneOne(config(PruneAlgorithm.SPLIT_TRUNCATE, 0, 0), noise);
        LayerReport r = result.event().layers().get(0);
        assertEquals(0, r.rank());
        assertEquals("80-40", result.network().widthsString());
        DenseLayer zeroed = result.network().layer(0);
        for (float w : zeroed.weights()) {
            assertEquals(0f, w);
        }
        assertArrayEquals(noise.bias().orElseThrow(), zeroed.bias().orElseThrow());
    }

    @Test
    void aStructuredMatrixWithABadFitIsLeftUntouched() {
        // all singular values equal: nothing like a Marchenko-Pastur bulk
        Svd base = PruneFixtures.svd(noise);
        double[] ones = new double[P];
        Arrays.fill(ones, 1.0);
        DenseLayer flat = PruneFixtures.layer(base.rebuild(ones), true, rng);
        BemaFit fit = fitOf(flat, Bema.create());
        assertFalse(fit.goodFit(), "premise: fit error " + fit.fitError());

        float[] before = flat.weights();
        for (PruneAlgorithm algorithm : new PruneAlgorithm[] {PruneAlgorithm.SPLIT_TRUNCATE,
            PruneAlgorithm.TRUNCATE, PruneAlgorithm.SHRINK, PruneAlgorithm.RANDOM_KEEP}) {
            NetworkPruner.Result result = pruneOne(config(algorithm, 0, 0), flat);
            assertSame(flat, result.network().layer(0), algorithm.cliName());
            LayerReport r = result.event().layers().get(0);
            assertEquals(NetworkPruner.UNCHANGED, r.action());
            assertFalse(r.goodFit());
            assertTrue(r.reason().startsWith("bad fit"), r.reason());
            assertEquals(P, r.rank());
            assertFalse(result.event().changed());
        }
        assertArrayEquals(before, flat.weights());
    }

    @Test
    void aTinyCutoffLeavesEvenANoiseLayerUntouched() {
        PruneConfig strict = config(PruneAlgorithm.SPLIT_TRUNCATE, 0, Bema.create().withCutoff(1e-9), 0,
                FactorPolicy.SEPARATE, 1);
        NetworkPruner.Result result = pruneOne(strict, planted);
        assertSame(planted, result.network().layer(0));
        assertEquals(NetworkPruner.UNCHANGED, result.event().layers().get(0).action());
        assertEquals(result.event().parametersBefore(), result.event().parametersAfter());
    }

    @Test
    void truncateNeverSplits() {
        NetworkPruner.Result result = pruneOne(config(PruneAlgorithm.TRUNCATE, 0, 0), planted);
        assertEquals("80-40", result.network().widthsString());
        LayerReport r = result.event().layers().get(0);
        assertEquals("truncate", r.action());
        assertEquals(3, r.rank());
        assertEquals(r.parametersBefore(), r.parametersAfter());
        double error = PruneFixtures.relativeError(LayerSurgery.weights(result.network().layer(0)),
                PruneFixtures.svd(planted).truncate(3));
        assertTrue(error < FLOAT_RELATIVE, "relative error " + error);
    }

    @Test
    void shrinkHalvesExactlyTheSingularValuesAtOrBelowSPlus() {
        Svd svd = PruneFixtures.svd(planted);
        double sPlus = fitOf(planted, Bema.create()).sPlus();
        double[] expected = svd.s().clone();
        int above = 0;
        for (int j = 0; j < expected.length; j++) {
            if (expected[j] <= sPlus) {
                expected[j] /= 2;
            } else {
                above++;
            }
        }
        assertEquals(3, above, "premise: the three planted values lie above s_plus " + sPlus);
        Arrays.sort(expected);

        NetworkPruner.Result result = pruneOne(config(PruneAlgorithm.SHRINK, 0.45, 0), planted);
        LayerReport r = result.event().layers().get(0);
        assertEquals("shrink", r.action());
        assertEquals(3, r.rank());
        assertEquals("80-40", result.network().widthsString());
        double[] actual = PruneFixtures.svd(result.network().layer(0)).s();
        Arrays.sort(actual);
        for (int j = 0; j < P; j++) {
            assertEquals(expected[j], actual[j], 1e-5 * svd.s()[0], "singular value " + j);
        }
        assertArrayEquals(planted.bias().orElseThrow(), result.network().layer(0).bias().orElseThrow());
    }

    @Test
    void randomKeepIsReproducibleForASeedAndKeepsAllSignal() {
        int k = 3 + (int) Math.floor(0.3 * (P - 3));
        NetworkPruner.Result a = pruneOne(config(PruneAlgorithm.RANDOM_KEEP, 0.3, Bema.create(), 0,
                FactorPolicy.SEPARATE, 11), planted);
        NetworkPruner.Result b = pruneOne(config(PruneAlgorithm.RANDOM_KEEP, 0.3, Bema.create(), 0,
                FactorPolicy.SEPARATE, 11), planted);
        NetworkPruner.Result c = pruneOne(config(PruneAlgorithm.RANDOM_KEEP, 0.3, Bema.create(), 0,
                FactorPolicy.SEPARATE, 12), planted);
        assertEquals("random-keep split", a.event().layers().get(0).action());
        assertEquals(k, a.event().layers().get(0).rank());
        assertEquals(3, a.event().layers().get(0).signal());
        assertEquals(a.network().widthsString(), b.network().widthsString());
        for (int l = 0; l < a.network().size(); l++) {
            assertArrayEquals(a.network().layer(l).weights(), b.network().layer(l).weights(), "layer " + l);
        }
        List<Integer> keptA = kept(planted, a.network());
        List<Integer> keptC = kept(planted, c.network());
        assertEquals(k, keptA.size());
        assertEquals(k, keptC.size());
        assertEquals(List.of(0, 1, 2), keptA.subList(0, 3));
        assertEquals(List.of(0, 1, 2), keptC.subList(0, 3));
        assertNotEquals(keptA, keptC, "another seed chooses other noise triples");
        assertNotEquals(range(k), keptA, "the noise triples are not simply the largest ones");
    }

    /** The singular triples of {@code original} that the pruned single-layer chain keeps, ascending. */
    private static List<Integer> kept(DenseLayer original, Network pruned) {
        Svd svd = PruneFixtures.svd(original);
        DMatrix m = LayerSurgery.weights(pruned.layer(0));
        for (int l = 1; l < pruned.size(); l++) {
            m = DoubleBlas.multiply(LayerSurgery.weights(pruned.layer(l)), false, m, false, 1.0);
        }
        double[] weights = PruneFixtures.tripleWeights(svd, m);
        List<Integer> kept = new ArrayList<>();
        for (int t = 0; t < weights.length; t++) {
            double tol = 1e-4 * svd.s()[0];
            if (Math.abs(weights[t] - svd.s()[t]) < tol) {
                kept.add(t);
            } else {
                assertEquals(0, weights[t], tol, "triple " + t + " is neither kept nor dropped");
            }
        }
        return kept;
    }

    private static List<Integer> range(int k) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            list.add(i);
        }
        return list;
    }

    @Test
    void noneLeavesEveryLayer() {
        Network network = new Network(List.of(planted, head(rng)));
        NetworkPruner.Result result = new NetworkPruner(config(PruneAlgorithm.NONE, 0, 0)).prune(network, 1, 1);
        assertSame(planted, result.network().layer(0));
        assertEquals(2, result.network().size());
        for (LayerReport r : result.event().layers()) {
            assertEquals(NetworkPruner.UNCHANGED, r.action());
            assertEquals("pruning is off", r.reason());
        }
        assertFalse(result.event().changed());
    }

    @Test
    void onlySelectedLayersArePrunedAndTheInputNetworkIsNotModified() {
        DenseLayer head = head(rng);
        Network network = new Network(List.of(planted, head));
        float[] before = planted.weights();
        NetworkPruner.Result result = new NetworkPruner(config(PruneAlgorithm.SPLIT_TRUNCATE, 0, 0))
                .prune(network, 0, 1, i -> i == 1);
        assertSame(planted, result.network().layer(0));
        assertEquals("not selected", result.event().layers().get(0).reason());
        assertEquals(1, result.event().layers().get(1).index());

        NetworkPruner.Result all = new NetworkPruner(config(PruneAlgorithm.SPLIT_TRUNCATE, 0, 0)).prune(network, 0, 1);
        assertTrue(all.network().widthsString().startsWith("80-3-40-"), all.network().widthsString());
        assertArrayEquals(before, planted.weights());
        assertSame(planted, network.layer(0));
        assertEquals("80-40-10", network.widthsString());
        assertEquals(network.parameterCount(), all.event().parametersBefore());
        assertEquals(all.network().parameterCount(), all.event().parametersAfter());
        assertEquals("80-40-10", all.event().widthsBefore());
        assertEquals(all.network().widthsString(), all.event().widthsAfter());
        assertTrue(all.event().changed());
    }

    /** A 10 x 40 output layer without ReLU. */
    private static DenseLayer head(SplittableRandom rng) {
        return PruneFixtures.layer(PruneFixtures.gaussian(rng, 10, OUT, 0.1), false, rng);
    }

    @Test
    void notebookNoiseCountIsOneMore() {
        assertEquals(784, NoiseCount.of(784, 0, false));
        assertEquals(785, NoiseCount.of(784, 0, true));
        assertEquals(37, NoiseCount.of(40, 3, false));
        assertEquals(38, NoiseCount.of(40, 3, true));
        // SPEC section 7: the notebook's first prune of a random 1000 x 784 layer keeps floor(0.45 * 785) = 353
        assertEquals(353, (int) Math.floor(0.45 * NoiseCount.of(784, 0, true)));
        assertEquals(352, (int) Math.floor(0.45 * NoiseCount.of(784, 0, false)));
    }

    @Test
    void notebookQuirksChangeTheRankTheWayNoiseCountSays() {
        // 42 x 84 noise: floor(0.45 * 43) = 19 against floor(0.45 * 42) = 18
        DenseLayer layer = PruneFixtures.layer(PruneFixtures.gaussian(rng, 42, 84, 0.1), true, rng);
        for (boolean quirks : new boolean[] {false, true}) {
            Bema bema = Bema.create().withCutoff(1).withNotebookQuirks(quirks);
            LayerReport r = pruneOne(config(PruneAlgorithm.SPLIT_TRUNCATE, 0.45, bema, 0, FactorPolicy.SEPARATE, 1),
                    layer).event().layers().get(0);
            int noiseCount = quirks ? 42 - r.signal() + 1 : 42 - r.signal();
            assertEquals(r.signal() + (int) Math.floor(0.45 * noiseCount), r.rank(), "quirks " + quirks);
            if (r.signal() == 0) {
                assertEquals(quirks ? 19 : 18, r.rank());
            }
        }
    }

    // ---- factor policies -------------------------------------------------------------------

    /** planted 80 -> 40 (ReLU) then a 40 -> 10 head; keep 0.45, fit test off, at least 10 kept. */
    private Network splitOnce(FactorPolicy policy) {
        Network network = new Network(List.of(planted, head(rng)));
        NetworkPruner.Result first = new NetworkPruner(factorConfig(policy)).prune(network, 1, 9);
        assertEquals("80-19-40-10", first.network().widthsString(), "premise: the first prune splits layer 0");
        return first.network();
    }

    private static PruneConfig factorConfig(FactorPolicy policy) {
        return config(PruneAlgorithm.SPLIT_TRUNCATE, 0.45, Bema.create().withCutoff(1), 10, policy, 1);
    }

    @Test
    void skipLeavesFactorsOfAnEarlierSplit() {
        Network split = splitOnce(FactorPolicy.SKIP);
        NetworkPruner.Result again = new NetworkPruner(factorConfig(FactorPolicy.SKIP)).prune(split, 2, 9);
        assertSame(split.layer(0), again.network().layer(0));
        assertSame(split.layer(1), again.network().layer(1));
        assertEquals("factor of an earlier split", again.event().layers().get(0).reason());
        assertEquals("factor of an earlier split", again.event().layers().get(1).reason());
        assertEquals(3, again.event().layers().size());
    }

    @Test
    void separatePrunesEachFactorAsALayer() {
        Network split = splitOnce(FactorPolicy.SEPARATE);
        NetworkPruner.Result again = new NetworkPruner(factorConfig(FactorPolicy.SEPARATE)).prune(split, 2, 9);
        List<LayerReport> reports = again.event().layers();
        assertEquals(3, reports.size(), "one report per layer, factors included");
        assertEquals(19, reports.get(0).rows());
        assertEquals(80, reports.get(0).cols());
        assertEquals(40, reports.get(1).rows());
        assertEquals(19, reports.get(1).cols());
        for (LayerReport r : reports.subList(0, 2)) {
            assertTrue(Double.isFinite(r.fitError()), "factor " + r.index() + " was analysed");
        }
        assertTrue(again.network().size() > split.size(), "the factors split again: "
                + again.network().widthsString());
    }

    @Test
    void mergeKeepsAtMostTwoFactorsPerOriginalLayer() {
        Network network = splitOnce(FactorPolicy.MERGE);
        NetworkPruner pruner = new NetworkPruner(factorConfig(FactorPolicy.MERGE));
        Network separate = network;
        NetworkPruner separatePruner = new NetworkPruner(factorConfig(FactorPolicy.SEPARATE));
        for (int epoch = 2; epoch <= 6; epoch++) {
            DMatrix before = PruneFixtures.product(network.layer(1), network.layer(0));
            NetworkPruner.Result result = pruner.prune(network, epoch, 9);
            network = result.network();
            assertEquals(2, network.layers().stream().filter(DenseLayer::hasBias).count(), network.widthsString());
            assertTrue(network.size() <= 4, network.widthsString());
            assertEquals(80, network.inputSize());
            assertEquals(10, network.outputSize());
            LayerReport merged = result.event().layers().get(0);
            assertEquals(40, merged.rows(), "the pair is pruned as one 40 x 80 matrix");
            assertEquals(80, merged.cols());
            assertEquals(2, result.event().layers().size());
            if (merged.action().equals("split")) {
                DMatrix after = PruneFixtures.product(network.layer(1), network.layer(0));
                Svd svd = io.nnrmtsvd.linalg.DoubleLapack.svd(before);
                double error = PruneFixtures.relativeError(after, svd.truncate(merged.rank()));
                assertTrue(error < 1e-4, "epoch " + epoch + ": relative error " + error);
            }
            separate = separatePruner.prune(separate, epoch, 9).network();
        }
        assertTrue(separate.size() > 4, "without merging the chain grows: " + separate.widthsString());
    }

    @Test
    void aMergedPairNeverGrowsWhenItsZeroSingularValuesWouldCountAsKept() {
        // The pair's product has rank 19 of 40: 21 zero singular values. Keeping 45% of the "noise"
        // of the 40 would ask for more than 19; the pair stays as it is instead of re-splitting wider
        // (or, where a split no longer saves, becoming a dense rank-19 layer).
        Network network = splitOnce(FactorPolicy.MERGE);
        for (double keep : new double[] {0.45, 0.9, 1.0}) {
            PruneConfig config = new PruneConfig(PruneAlgorithm.SPLIT_TRUNCATE, KeepSchedule.constant(keep),
                    Bema.create().withCutoff(1), null, 10, FactorPolicy.MERGE, 1);
            NetworkPruner.Result again = new NetworkPruner(config).prune(network, 2, 9);
            assertEquals("80-19-40-10", again.network().widthsString(), "keep " + keep);
            assertSame(network.layer(0), again.network().layer(0));
            LayerReport pair = again.event().layers().get(0);
            assertEquals(NetworkPruner.UNCHANGED, pair.action());
            assertEquals(pair.parametersBefore(), pair.parametersAfter());
        }
        PruneConfig falling = new PruneConfig(PruneAlgorithm.SPLIT_TRUNCATE, KeepSchedule.falling(4),
                Bema.create().withCutoff(1), null, 2, FactorPolicy.MERGE, 1);
        NetworkPruner pruner = new NetworkPruner(falling);
        long parameters = network.parameterCount();
        for (int epoch = 2; epoch <= 6; epoch++) {
            NetworkPruner.Result result = pruner.prune(network, epoch, 9);
            assertTrue(result.network().parameterCount() <= parameters, "epoch " + epoch + ": "
                    + result.network().widthsString());
            assertTrue(result.network().layer(0).out() <= network.layer(0).out());
            network = result.network();
            parameters = network.parameterCount();
        }
    }
}
