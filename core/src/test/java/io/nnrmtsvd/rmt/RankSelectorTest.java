package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.DoubleLapack;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RankSelectorTest {
    private final SplittableRandom rng = new SplittableRandom(5);

    private static double[] descending(double... values) {
        double[] s = values.clone();
        Arrays.sort(s);
        for (int i = 0; i < s.length / 2; i++) {
            double t = s[i];
            s[i] = s[s.length - 1 - i];
            s[s.length - 1 - i] = t;
        }
        return s;
    }

    @Test
    void gavishDonohoCoefficients() {
        // lambda*(1) = 4 / sqrt(3), the title of their paper
        assertEquals(4 / Math.sqrt(3), GavishDonohoSelector.lambdaStar(1), 1e-15);
        // lambda*(beta) -> sqrt(2) as beta -> 0
        assertEquals(Math.sqrt(2), GavishDonohoSelector.lambdaStar(0), 1e-15);
        assertEquals(0.56 - 0.95 + 1.82 + 1.43, GavishDonohoSelector.omega(1), 1e-15);
        assertEquals(1.43, GavishDonohoSelector.omega(0), 0.0);
    }

    @Test
    void gavishDonohoOnAHandMadeSpectrum() {
        // 5 x 20: beta = 1/4, omega = 0.56/64 - 0.95/16 + 1.82/4 + 1.43 = 1.8340
        double omega = 0.56 / 64 - 0.95 / 16 + 1.82 / 4 + 1.43;
        double[] s = {10, 3, 2, 1.5, 1};
        // median 2, tau = 3.668: only 10 is above
        assertEquals(omega * 2, GavishDonohoSelector.unknownNoise().threshold(s, 5, 20), 1e-14);
        assertEquals(1, GavishDonohoSelector.unknownNoise().select(s, 5, 20));
        assertEquals(1, GavishDonohoSelector.unknownNoise().select(s, 20, 5));
        // even count: median of {8, 6, 1, 1} is 3.5; beta = 4/9
        double[] even = {8, 6, 1, 1};
        double beta = 4.0 / 9;
        double tau = GavishDonohoSelector.omega(beta) * 3.5;
        assertEquals(tau, GavishDonohoSelector.unknownNoise().threshold(even, 4, 9), 1e-14);
        assertEquals(8 > tau ? (6 > tau ? 2 : 1) : 0, GavishDonohoSelector.unknownNoise().select(even, 4, 9));
        // known noise sigma = 0.1, n = 20, beta = 0.25: tau = lambda*(0.25) sqrt(20) 0.1 = 0.786
        double known = GavishDonohoSelector.lambdaStar(0.25) * Math.sqrt(20) * 0.1;
        assertEquals(0.786, known, 1e-3);
        assertEquals(known, GavishDonohoSelector.knownNoise(0.1).threshold(s, 5, 20), 1e-15);
        assertEquals(5, GavishDonohoSelector.knownNoise(0.1).select(s, 5, 20));
        assertEquals(1, GavishDonohoSelector.knownNoise(1).select(s, 5, 20));
    }

    @Test
    void gavishDonohoFindsPlantedSignal() {
        DMatrix w = RandomMatrices.gaussian(rng, 100, 250, 1);
        RandomMatrices.plant(rng, w, new double[] {80, 70, 60});
        double[] s = DoubleLapack.svd(w).s();
        assertEquals(3, GavishDonohoSelector.unknownNoise().select(s, 100, 250));
        assertEquals(3, GavishDonohoSelector.knownNoise(1).select(s, 100, 250));
        assertEquals(3, new BemaSelector(Bema.create()).select(s, 100, 250));
        assertEquals(3, new MarchenkoPasturEdgeSelector(Bema.create()).select(s, 100, 250));
    }

    @Test
    void bemaSelectorMatchesBemaOnTheMatrix() {
        DMatrix w = RandomMatrices.gaussian(rng, 90, 60, 1);
        RandomMatrices.plant(rng, w, new double[] {50, 40});
        double[] s = DoubleLapack.svd(w).s();
        for (Bema bema : new Bema[] {Bema.create(), Bema.create().withNotebookQuirks(true)}) {
            BemaFit direct = bema.fit(w);
            BemaFit viaSvd = new BemaSelector(bema).fit(s, 90, 60);
            assertEquals(direct.spikes(), viaSvd.spikes());
            assertEquals(direct.sigma2(), viaSvd.sigma2(), 1e-10 * direct.sigma2());
            assertEquals(direct.lambdaPlus(), viaSvd.lambdaPlus(), 1e-10 * direct.lambdaPlus());
        }
    }

    @Test
    void marchenkoPasturEdgeUsesNoMargin() {
        // eigenvalues s^2 / n; an equal spectrum fits sigma2 ~ value; edge sits above every value
        double[] equal = new double[30];
        Arrays.fill(equal, 3);
        assertEquals(0, new MarchenkoPasturEdgeSelector(Bema.create()).select(equal, 30, 100));
        // the MP edge is never above BEMA's lambda_plus, so it keeps at least as many
        DMatrix w = RandomMatrices.gaussian(rng, 80, 120, 1);
        double[] s = DoubleLapack.svd(w).s();
        assertTrue(new MarchenkoPasturEdgeSelector(Bema.create()).select(s, 80, 120)
                >= new BemaSelector(Bema.create()).select(s, 80, 120));
    }

    @Test
    void energyOnAHandMadeSpectrum() {
        double[] s = {4, 2, 1, 1}; // energies 16, 4, 1, 1: total 22
        assertEquals(1, new EnergySelector(16.0 / 22).select(s, 4, 10));
        assertEquals(2, new EnergySelector(16.5 / 22).select(s, 4, 10));
        assertEquals(2, new EnergySelector(20.0 / 22).select(s, 4, 10));
        assertEquals(3, new EnergySelector(0.91).select(s, 4, 10));
        assertEquals(4, new EnergySelector(1).select(s, 4, 10));
        assertEquals(0, new EnergySelector(0.9).select(new double[3], 3, 3));
        // equal values: k = ceil(fraction * p)
        double[] equal = new double[10];
        Arrays.fill(equal, 7);
        assertEquals(9, new EnergySelector(0.85).select(equal, 10, 12));
        // extreme magnitudes do not overflow or underflow
        assertEquals(1, new EnergySelector(0.5).select(new double[] {1e200, 1e199}, 2, 2));
        assertEquals(2, new EnergySelector(0.995).select(new double[] {1e-200, 1e-201}, 2, 2));
    }

    @Test
    void fixedRank() {
        assertEquals(3, new FixedRankSelector(3).select(new double[] {5, 4, 3, 2}, 4, 7));
        assertEquals(4, new FixedRankSelector(30).select(new double[] {5, 4, 3, 2}, 4, 7));
        assertEquals(0, new FixedRankSelector(0).select(new double[] {5, 4, 3, 2}, 4, 7));
    }

    @Test
    void edgeSpectraGiveDefinedResults() {
        double[] zeros = new double[8];
        assertEquals(0, RankSelectors.parse("bema", Bema.create()).select(zeros, 8, 20));
        assertEquals(0, RankSelectors.parse("gavish-donoho", Bema.create()).select(zeros, 8, 20));
        assertEquals(0, RankSelectors.parse("energy:0.9", Bema.create()).select(zeros, 8, 20));
        double[] huge = descending(3e30, 1e30, 1e30, 1e30, 1e30, 1e30, 1e30, 1e30);
        double[] tiny = descending(3e-30, 1e-30, 1e-30, 1e-30, 1e-30, 1e-30, 1e-30, 1e-30);
        for (String rule : new String[] {"bema", "mp-edge", "gavish-donoho", "energy:0.5"}) {
            RankSelector selector = RankSelectors.parse(rule, Bema.create());
            assertEquals(selector.select(huge, 8, 20), selector.select(tiny, 8, 20), rule);
        }
    }

    @Test
    void badSingularValuesAreRejected() {
        RankSelector energy = new EnergySelector(0.5);
        assertThrows(IllegalArgumentException.class, () -> energy.select(new double[] {1, 2}, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> energy.select(new double[] {2, 1}, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> energy.select(new double[] {2, Double.NaN}, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> energy.select(new double[] {2, -1}, 2, 3));
        assertThrows(IllegalArgumentException.class,
                () -> GavishDonohoSelector.unknownNoise().select(new double[] {1, 2}, 2, 3));
    }

    @Test
    void parserBuildsEachRuleAndRoundTrips() {
        assertInstanceOf(BemaSelector.class, RankSelectors.parse("bema", Bema.create()));
        assertInstanceOf(MarchenkoPasturEdgeSelector.class, RankSelectors.parse(" mp-edge ", Bema.create()));
        assertInstanceOf(GavishDonohoSelector.class, RankSelectors.parse("gavish-donoho", Bema.create()));
        assertEquals(0.9, ((EnergySelector) RankSelectors.parse("energy:0.9", Bema.create())).fraction());
        assertEquals(12, ((FixedRankSelector) RankSelectors.parse("rank:12", Bema.create())).rank());
        for (String text : new String[] {"bema", "mp-edge", "gavish-donoho", "gavish-donoho:0.25", "energy:0.9", "rank:12"}) {
            assertEquals(text, RankSelectors.parse(text, Bema.create()).toString());
        }
    }

    @Test
    void parserErrorsSayWhatIsWrong() {
        String[][] cases = {
            {"svd", "unknown rank rule 'svd'"},
            {"", "unknown rank rule ''"},
            {"bema:3", "takes no argument"},
            {"energy", "needs a value"},
            {"energy:", "needs a value"},
            {"energy:lots", "'lots' is not a number"},
            {"energy:1.5", "energy fraction must be in (0, 1]"},
            {"rank:-1", "rank must be >= 0"},
            {"rank:2.5", "'2.5' is not an integer"},
            {"gavish-donoho:0", "noise sigma must be finite and > 0"},
        };
        for (String[] c : cases) {
            var e = assertThrows(IllegalArgumentException.class, () -> RankSelectors.parse(c[0], Bema.create()));
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line");
        }
        assertThrows(IllegalArgumentException.class, () -> RankSelectors.parse(null, Bema.create()));
    }
}
