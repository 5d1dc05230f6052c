package io.nnrmtsvd.rmt;

import static io.nnrmtsvd.rmt.HeavyTailFixtures.map;
import static io.nnrmtsvd.rmt.HeavyTailFixtures.number;
import static io.nnrmtsvd.rmt.HeavyTailFixtures.numbers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.checkpoint.MatrixSpectrum;
import io.nnrmtsvd.checkpoint.SpectrumSettings;
import io.nnrmtsvd.linalg.DMatrix;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The heavy-tail metrics of SPEC section 9 against WeightWatcher 0.7.5.5 (and the powerlaw
 * package it calls) and against the section's formulas written out in numpy/scipy/mpmath, on
 * the committed fixtures in core/src/test/resources/io/nnrmtsvd/rmt/heavytail (see the README
 * there for what each case holds and how it was made). Tolerances: {@link HeavyTailTolerances}.
 */
class HeavyTailReferenceTest {
    private static final List<Map<String, Object>> CASES = HeavyTailFixtures.expected();

    private static List<Map<String, Object>> cases(String kind) {
        return CASES.stream().filter(c -> kind.equals(c.get("kind"))).toList();
    }

    private static void assertRelative(double expected, double actual, double tolerance, String what) {
        assertEquals(expected, actual, tolerance * Math.abs(expected), what);
    }

    /** The fitted alpha, x_min, x_max, D and sigma against one expected fit; the tail size separately. */
    private static void assertFit(Map<String, Object> expected, PowerLawFit fit, double relative, double distance,
                                  String what) {
        assertRelative(number(expected, "alpha"), fit.alpha(), relative, what + " alpha");
        assertRelative(number(expected, "xmin"), fit.xmin(), relative, what + " xmin");
        assertRelative(number(expected, "xmax"), fit.xmax(), relative, what + " xmax");
        assertEquals(number(expected, "D"), fit.distance(), distance, what + " D");
        assertRelative(number(expected, "sigma"), fit.sigma(), relative, what + " sigma");
    }

    private static void assertEigenvalues(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double largest = expected[expected.length - 1];
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], HeavyTailTolerances.EIGENVALUE * largest, what + " eigenvalue " + i);
        }
    }

    /** WeightWatcher's norm metrics (its alpha is the fit with its floor) and the entropy with its epsilon. */
    private static void assertWeightWatcherMetrics(Map<String, Object> ww, SpectralMetrics m, String what) {
        double tolerance = HeavyTailTolerances.METRIC;
        assertEquals(number(ww, "log_norm"), m.logNorm(), tolerance, what + " log_norm");
        assertEquals(number(ww, "log_spectral_norm"), m.logSpectralNorm(), tolerance, what + " log_spectral_norm");
        assertRelative(number(ww, "stable_rank"), m.stableRank(), tolerance, what + " stable_rank");
        assertEquals(number(ww, "alpha_weighted"), m.alphaWeighted(), tolerance, what + " alpha_weighted");
        assertEquals(number(ww, "log_alpha_norm"), m.logAlphaNorm(), tolerance, what + " log_alpha_norm");
        assertEquals(number(ww, "entropy"), m.entropy(), HeavyTailTolerances.ENTROPY_WEIGHTWATCHER, what + " entropy");
        assertEquals((int) number(ww, "matrix_rank"), m.numericalRank(), what + " matrix_rank");
        assertRelative(number(ww, "norm"), m.norm(), tolerance, what + " norm");
        assertRelative(number(ww, "lambda_max"), m.lambdaMax(), tolerance, what + " lambda_max");
    }

    @Test
    void fixturesHoldEveryKindOfCase() {
        assertEquals("0.7.5.5", CASES.get(0).get("weightwatcher"));
        assertEquals(7, cases("matrix").size());
        assertEquals(1, cases("conv").size());
        assertEquals(7, cases("spectrum").size());
    }

    @Test
    void matricesAgreeWithWeightWatcher() {
        for (Map<String, Object> c : cases("matrix")) {
            String name = (String) c.get("case");
            Map<String, Object> ww = map(c, "ww");
            DMatrix w = HeavyTailFixtures.npy((String) c.get("file")).matrix();
            double[] eigenvalues = RawEigenvalues.of(w);

            PowerLawFit fit = PowerLawFitter.create().withFloor(PowerLawFitter.WEIGHTWATCHER_FLOOR).fit(eigenvalues);
            assertFit(ww, fit, HeavyTailTolerances.FIT_RELATIVE, HeavyTailTolerances.FIT_DISTANCE, name);
            assertEquals((int) number(ww, "num_pl_spikes"), fit.numPlSpikes(), name + " num_pl_spikes");

            // WeightWatcher's rank and entropy come from an SVD: compare those from ours
            double[] bySvd = RawEigenvalues.bySvd(w);
            SpectralMetrics metrics = SpectralMetrics.of(bySvd, w.rows(), w.cols(), fit.alpha(), Bema.create().fit(w));
            assertWeightWatcherMetrics(ww, metrics, name);
            SpectralMetrics gram = SpectralMetrics.of(eigenvalues, w.rows(), w.cols(), fit.alpha(), Bema.create().fit(w));
            assertEquals(metrics.logNorm(), gram.logNorm(), HeavyTailTolerances.METRIC, name);
            assertEquals(metrics.logAlphaNorm(), gram.logAlphaNorm(), HeavyTailTolerances.METRIC, name);
            if (!name.startsWith("zeros_ties")) {
                assertEquals(metrics.numericalRank(), gram.numericalRank(), name);
                assertEquals(metrics.entropy(), gram.entropy(), HeavyTailTolerances.ENTROPY, name);
            }
        }
    }

    @Test
    void gramRouteCannotSeeSingularValuesBelowItsRoundOff() {
        // zeros_ties is rank 54 before its float32 rounding, which leaves ten singular values near
        // 1e-9 s_max: above the rank tolerance 96 eps s_max, below the Gram route's sqrt(p eps) s_max
        Map<String, Object> c = CASES.stream().filter(x -> "zeros_ties_64x96".equals(x.get("case"))).findFirst()
                .orElseThrow();
        DMatrix w = HeavyTailFixtures.npy((String) c.get("file")).matrix();
        SpectralMetrics svd = SpectralMetrics.of(RawEigenvalues.bySvd(w), 64, 96, 2.0);
        SpectralMetrics gram = SpectralMetrics.of(RawEigenvalues.of(w), 64, 96, 2.0);
        assertEquals(64, svd.numericalRank());
        assertEquals((int) number(map(c, "ww"), "matrix_rank"), svd.numericalRank());
        assertEquals(54, gram.numericalRank());
        // the same distribution q, normalised by ln 54 instead of ln 64
        assertEquals(svd.entropy() * Math.log(64) / Math.log(54), gram.entropy(), HeavyTailTolerances.ENTROPY);

        // spectrum on a matrix file sees the floored zeros and takes its metrics from the SVD
        SpectralMetrics product = MatrixSpectrum.of(w, SpectrumSettings.of(Bema.create())).analysis().heavyTail()
                .metrics();
        assertEquals((int) number(map(c, "ww"), "matrix_rank"), product.numericalRank());
        assertEquals(number(map(c, "ww"), "entropy"), product.entropy(), HeavyTailTolerances.ENTROPY_WEIGHTWATCHER);
    }

    @Test
    void matricesAgreeWithTheReferenceFormulas() {
        for (Map<String, Object> c : cases("matrix")) {
            String name = (String) c.get("case");
            Map<String, Object> ref = map(c, "ref");
            DMatrix w = HeavyTailFixtures.npy((String) c.get("file")).matrix();
            double[] eigenvalues = RawEigenvalues.of(w);
            assertEigenvalues(numbers(ref, "eigenvalues"), eigenvalues, name);

            PowerLawFit floored = PowerLawFitter.create().withFloor(PowerLawFitter.WEIGHTWATCHER_FLOOR).fit(eigenvalues);
            assertFit(map(ref, "pl_ww_floor"), floored, HeavyTailTolerances.FIT_RELATIVE,
                    HeavyTailTolerances.FIT_DISTANCE, name + " floor 1e-5");
            PowerLawFit fit = PowerLawFitter.create().fit(eigenvalues);
            assertFit(map(ref, "pl"), fit, HeavyTailTolerances.FIT_RELATIVE, HeavyTailTolerances.FIT_DISTANCE, name);
            assertEquals((int) number(map(ref, "pl"), "num_pl_spikes"), fit.numPlSpikes(), name + " num_pl_spikes");

            Map<String, Object> fingers = map(ref, "fingers");
            PowerLawFit fixed = PowerLawFitter.create().withFingers(true).fit(eigenvalues);
            assertRelative(number(fingers, "x_peak"), fixed.xPeak(), HeavyTailTolerances.FIT_RELATIVE, name + " x_peak");
            assertFit(fingers, fixed, HeavyTailTolerances.FIT_RELATIVE, HeavyTailTolerances.FIT_DISTANCE,
                    name + " fingers");
            assertEquals((int) number(fingers, "num_pl_spikes"), fixed.numPlSpikes(), name + " fingers num_pl_spikes");

            Map<String, Object> metrics = map(ref, "metrics");
            SpectralMetrics m = SpectralMetrics.of(RawEigenvalues.bySvd(w), w.rows(), w.cols(), fit,
                    Bema.create().fit(w));
            double tolerance = HeavyTailTolerances.METRIC;
            assertEquals(number(metrics, "log_norm"), m.logNorm(), tolerance, name + " log_norm");
            assertEquals(number(metrics, "log_spectral_norm"), m.logSpectralNorm(), tolerance, name);
            assertRelative(number(metrics, "stable_rank"), m.stableRank(), tolerance, name + " stable_rank");
            assertEquals(number(metrics, "alpha_weighted"), m.alphaWeighted(), tolerance, name + " alpha_weighted");
            assertEquals(number(metrics, "log_alpha_norm"), m.logAlphaNorm(), tolerance, name + " log_alpha_norm");
            assertEquals(number(metrics, "entropy"), m.entropy(), HeavyTailTolerances.ENTROPY, name + " entropy");
            assertEquals((int) number(metrics, "matrix_rank"), m.numericalRank(), name + " matrix_rank");
            assertRelative(number(ref, "mp_softrank"), m.mpSoftrank(), HeavyTailTolerances.MP_SOFTRANK,
                    name + " mp_softrank");
        }
    }

    @Test
    void truncatedPowerLawAgreesWithMpmathAndWithThePowerlawPackage() {
        for (Map<String, Object> c : cases("matrix")) {
            String name = (String) c.get("case");
            double[] eigenvalues = RawEigenvalues.of(HeavyTailFixtures.npy((String) c.get("file")).matrix());
            TruncatedPowerLaw tpl = TruncatedPowerLaw.fit(PowerLawFitter.create().fit(eigenvalues));

            Map<String, Object> ref = map(map(c, "ref"), "tpl");
            assertEquals(number(ref, "alpha"), tpl.alpha(), HeavyTailTolerances.TPL * (1 + Math.abs(tpl.alpha())),
                    name + " alpha");
            assertRelative(number(ref, "lamb"), tpl.lambda(), HeavyTailTolerances.TPL, name + " lambda");
            assertEquals(number(ref, "R"), tpl.logLikelihoodRatio(), HeavyTailTolerances.TPL_RATIO, name + " R");
            assertEquals(number(ref, "p"), tpl.pValue(), HeavyTailTolerances.TPL_RATIO, name + " p");
            assertRelative(number(ref, "loglik"), tpl.logLikelihood(), HeavyTailTolerances.TPL_RATIO, name + " loglik");

            // the powerlaw package bounds alpha to [0, 3]: comparable where its optimum is inside
            Map<String, Object> powerlaw = map(map(c, "ww"), "tpl");
            if (tpl.alpha() > 0.05 && tpl.alpha() < 2.95) {
                assertEquals(number(powerlaw, "alpha"), tpl.alpha(), HeavyTailTolerances.TPL_POWERLAW, name);
                assertRelative(number(powerlaw, "lamb"), tpl.lambda(), HeavyTailTolerances.TPL_POWERLAW, name);
                assertEquals(number(powerlaw, "R"), tpl.logLikelihoodRatio(), HeavyTailTolerances.TPL_POWERLAW_RATIO,
                        name + " powerlaw R");
                assertEquals(number(powerlaw, "p"), tpl.pValue(), HeavyTailTolerances.TPL_POWERLAW_RATIO, name);
            } else {
                // bounded at alpha = 0, it finds a smaller likelihood: R closer to 0
                assertTrue(number(powerlaw, "R") > tpl.logLikelihoodRatio(), name);
            }
        }
    }

    @Test
    void randomisationAgreesWithTheReference() {
        int compared = 0;
        for (Map<String, Object> c : cases("matrix")) {
            Map<String, Object> rand = map(map(c, "ref"), "rand");
            if (rand == null) {
                continue;
            }
            compared++;
            String name = (String) c.get("case");
            DMatrix w = HeavyTailFixtures.npy((String) c.get("file")).matrix();
            DMatrix wRand = HeavyTailFixtures.npy((String) rand.get("file")).matrix();
            double[] eigenvalues = RawEigenvalues.of(w);
            RandomizedSpectrum r = RandomizedSpectrum.compare(w, eigenvalues, wRand, -1, Bema.create(), 10);

            assertEigenvalues(numbers(rand, "rand_eigenvalues"), r.randEigenvalues(), name + " W_rand");
            assertRelative(number(rand, "max_rand_eval"), r.maxRandEval(), HeavyTailTolerances.FIT_RELATIVE, name);
            assertRelative(number(rand, "ww_softrank"), r.wwSoftrank(), HeavyTailTolerances.FIT_RELATIVE, name);
            assertRelative(number(rand, "trap_threshold"), r.trapThreshold(), HeavyTailTolerances.MP_SOFTRANK, name);
            assertEquals((int) number(rand, "traps"), r.trapCount(), name + " traps");
            assertEquals(number(rand, "rand_distance"), r.randDistance(), HeavyTailTolerances.DISTANCE, name);
            // on numpy's own eigenvalues the distance is the same number
            assertEquals(number(rand, "rand_distance"), SpectrumDistance.jensenShannon(
                    numbers(map(c, "ref"), "eigenvalues"), numbers(rand, "rand_eigenvalues")),
                    HeavyTailTolerances.DISTANCE, name + " rand_distance");

            List<List<Object>> largest = HeavyTailFixtures.rows(rand, "largest");
            assertEquals(largest.size(), r.largestEntries().size());
            for (int i = 0; i < largest.size(); i++) {
                MatrixEntry entry = r.largestEntries().get(i);
                assertEquals((int) number(largest.get(i).get(0)), entry.row(), name + " entry " + i);
                assertEquals((int) number(largest.get(i).get(1)), entry.col(), name + " entry " + i);
                assertEquals(number(largest.get(i).get(2)), entry.value(), 0.0, name + " entry " + i);
            }
        }
        assertEquals(3, compared);
    }

    @Test
    void convolutionAgreesWithWeightWatcher() {
        Map<String, Object> c = cases("conv").get(0);
        HeavyTailFixtures.Array kernel = HeavyTailFixtures.npy((String) c.get("file"));
        int[] shape = kernel.shape();
        double[] pooled = ConvolutionWeights.pooledEigenvalues(kernel.values(), shape[0], shape[1], shape[2], shape[3]);
        Map<String, Object> ww = map(c, "ww");
        assertEigenvalues(numbers(ww, "eigenvalues"), pooled, "WeightWatcher's pooled ESD");
        assertEigenvalues(numbers(map(c, "ref"), "eigenvalues"), pooled, "numpy's pooled ESD");

        PowerLawFit fit = PowerLawFitter.create().withFloor(PowerLawFitter.WEIGHTWATCHER_FLOOR).fit(pooled);
        assertFit(ww, fit, HeavyTailTolerances.FIT_RELATIVE, HeavyTailTolerances.FIT_DISTANCE, "conv");
        assertEquals((int) number(ww, "num_pl_spikes"), fit.numPlSpikes());
        assertWeightWatcherMetrics(ww, SpectralMetrics.of(pooled, shape[0], shape[1], fit.alpha()), "conv");
    }

    @Test
    void spectraAgreeWithWeightWatcherAndTheReference() {
        for (Map<String, Object> c : cases("spectrum")) {
            String name = (String) c.get("case");
            double[] eigenvalues = numbers(c, "eigenvalues");
            Map<String, Object> ww = map(c, "ww");
            Map<String, Object> ref = map(c, "ref");

            PowerLawFit floored = PowerLawFitter.create().withFloor(PowerLawFitter.WEIGHTWATCHER_FLOOR).fit(eigenvalues);
            assertFit(ww, floored, HeavyTailTolerances.FIT_SAME_INPUT, HeavyTailTolerances.FIT_SAME_INPUT, name);
            assertFit(map(ref, "pl_ww_floor"), floored, HeavyTailTolerances.FIT_SAME_INPUT,
                    HeavyTailTolerances.FIT_SAME_INPUT, name);
            assertEquals((int) number(map(ref, "pl_ww_floor"), "num_pl_spikes"), floored.numPlSpikes(), name);
            // WeightWatcher counts every eigenvalue >= x_min, ties below the tail's start included
            long atOrAbove = java.util.Arrays.stream(eigenvalues).filter(v -> v >= floored.xmin()).count();
            assertEquals((int) number(ww, "num_pl_spikes"), atOrAbove, name + " WeightWatcher's count");

            PowerLawFit fit = PowerLawFitter.create().fit(eigenvalues);
            assertFit(map(ref, "pl"), fit, HeavyTailTolerances.FIT_SAME_INPUT, HeavyTailTolerances.FIT_SAME_INPUT, name);
            assertEquals((int) number(map(ref, "pl"), "num_pl_spikes"), fit.numPlSpikes(), name);
        }
        // the case made for it: the tail starts inside a run of ties, so the two counts differ
        Map<String, Object> tied = cases("spectrum").stream().filter(c -> "tied_start".equals(c.get("case")))
                .findFirst().orElseThrow();
        assertTrue(number(map(tied, "ww"), "num_pl_spikes") > number(map(map(tied, "ref"), "pl"), "num_pl_spikes"));
    }
}
