package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpectralMetricsTest {
    private final SplittableRandom rng = new SplittableRandom(20261202);

    @Test
    void handComputedMetrics() {
        SpectralMetrics m = SpectralMetrics.of(new double[] {0, 1, 3, 4}, 4, 6, 2);
        assertEquals(8, m.norm(), 0.0);
        assertEquals(4, m.lambdaMax(), 0.0);
        assertEquals(Math.log10(8), m.logNorm(), 1e-15);
        assertEquals(Math.log10(4), m.logSpectralNorm(), 1e-15);
        assertEquals(2, m.stableRank(), 0.0);
        assertEquals(2 * Math.log10(4), m.alphaWeighted(), 1e-15);
        assertEquals(Math.log10(26), m.logAlphaNorm(), 1e-15);
        assertEquals(3, m.numericalRank());
        double entropy = -(1.0 / 8 * Math.log(1.0 / 8) + 3.0 / 8 * Math.log(3.0 / 8) + 0.5 * Math.log(0.5)) / Math.log(3);
        assertEquals(entropy, m.entropy(), 1e-15);
        assertTrue(Double.isNaN(m.mpSoftrank()));
    }

    @Test
    void entropyRunsFromZeroForOneDirectionToOneForAFlatSpectrum() {
        SpectralMetrics rankOne = SpectralMetrics.of(new double[] {0, 0, 0, 7}, 4, 4, 3);
        assertEquals(1, rankOne.numericalRank());
        assertEquals(0, rankOne.entropy(), 0.0);
        assertEquals(1, rankOne.stableRank(), 0.0);
        double[] flat = new double[50];
        Arrays.fill(flat, 2.5);
        SpectralMetrics even = SpectralMetrics.of(flat, 50, 80, 3);
        assertEquals(1, even.entropy(), 1e-14);
        assertEquals(50, even.stableRank(), 1e-12);
        assertEquals(50, even.numericalRank());
    }

    @Test
    void rankToleranceIsMaxDimensionTimesEpsilonTimesTheLargestSingularValue() {
        double n = 100;
        double tolerance = n * SpectralMetrics.EPSILON; // relative to s_max = 1
        double above = Math.pow(tolerance * 1.01, 2);
        double below = Math.pow(tolerance * 0.99, 2);
        assertEquals(2, SpectralMetrics.of(new double[] {below, above, 1}, 3, 100, 2).numericalRank());
    }

    @Test
    void logAlphaNormNeitherOverflowsNorUnderflows() {
        SpectralMetrics big = SpectralMetrics.of(new double[] {1e3, 2e3}, 2, 5, 120);
        assertEquals(120 * Math.log10(2e3) + Math.log10(1 + Math.pow(0.5, 120)), big.logAlphaNorm(), 1e-12);
        SpectralMetrics small = SpectralMetrics.of(new double[] {1e-200, 3e-200}, 2, 5, 3);
        assertEquals(Math.log10(28) - 600, small.logAlphaNorm(), 1e-12);
    }

    @Test
    void withoutAnAlphaTheAlphaMetricsAreNaN() {
        SpectralMetrics m = SpectralMetrics.of(new double[] {1, 2, 3}, 3, 3, Double.NaN);
        assertTrue(Double.isNaN(m.alphaWeighted()) && Double.isNaN(m.logAlphaNorm()) && Double.isNaN(m.alpha()));
        assertEquals(2, m.stableRank(), 0.0);
    }

    @Test
    void mpSoftrankIsBemasEdgeOnTheRawScaleOverTheLargestEigenvalue() {
        DMatrix w = RandomMatrices.gaussian(rng, 150, 90, 0.3);
        RandomMatrices.plant(rng, w, new double[] {30, 20});
        double[] eigenvalues = RawEigenvalues.of(w);
        BemaFit fit = Bema.create().fit(w);
        SpectralMetrics m = SpectralMetrics.of(eigenvalues, 150, 90, 2.5, fit);
        assertEquals(150 * fit.lambdaPlus() / eigenvalues[89], m.mpSoftrank(), 1e-12 * m.mpSoftrank());
        assertTrue(m.mpSoftrank() < 1, "spikes lie above the bulk edge");
        // the notebook scales by the number of columns; the edge comes back on the raw scale all the same
        BemaFit quirky = Bema.create().withNotebookQuirks(true).fit(w);
        SpectralMetrics q = SpectralMetrics.of(eigenvalues, 150, 90, 2.5, quirky);
        assertEquals(90 * quirky.lambdaPlus() / eigenvalues[89], q.mpSoftrank(), 1e-12 * q.mpSoftrank());
    }

    @Test
    void metricsFromAPowerLawFitUseItsAlpha() {
        DMatrix w = RandomMatrices.gaussian(rng, 60, 100, 1);
        double[] eigenvalues = RawEigenvalues.of(w);
        PowerLawFit fit = PowerLawFitter.create().fit(eigenvalues);
        SpectralMetrics m = SpectralMetrics.of(eigenvalues, 60, 100, fit, Bema.create().fit(w));
        assertEquals(fit.alpha(), m.alpha(), 0.0);
        assertEquals(fit.alpha() * m.logSpectralNorm(), m.alphaWeighted(), 1e-15 * Math.abs(m.alphaWeighted()));
    }

    @Test
    void pooledSpectraAreAcceptedWithoutBema() {
        double[] pooled = ConvolutionWeights.pooledEigenvalues(RandomMatrices.gaussian(rng, 1, 8 * 5 * 9, 1).data(),
                8, 5, 3, 3);
        SpectralMetrics m = SpectralMetrics.of(pooled, 8, 5, 3);
        assertEquals(45, m.numericalRank());
        assertThrows(IllegalArgumentException.class, () -> SpectralMetrics.of(Arrays.copyOf(pooled, 44), 8, 5, 3));
        BemaFit fit = Bema.create().fit(RandomMatrices.gaussian(rng, 8, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> SpectralMetrics.of(pooled, 8, 5, 3, fit));
    }

    @Test
    void badInputIsRejected() {
        DMatrix w = RandomMatrices.gaussian(rng, 40, 60, 1);
        double[] e = RawEigenvalues.of(w);
        BemaFit fit = Bema.create().fit(w);
        BemaFit other = Bema.create().fit(RandomMatrices.gaussian(rng, 40, 60, 2));
        assertThrows(IllegalArgumentException.class, () -> SpectralMetrics.of(e, 40, 60, 2, other));
        assertThrows(IllegalArgumentException.class, () -> SpectralMetrics.of(e, 41, 60, 2, fit));
        assertThrows(IllegalArgumentException.class, () -> SpectralMetrics.of(new double[40], 40, 60, 2, fit));
        assertThrows(IllegalArgumentException.class, () -> SpectralMetrics.of(e, 40, 60, 0, fit));
        assertThrows(IllegalArgumentException.class, () -> SpectralMetrics.of(e, 40, 60, Double.POSITIVE_INFINITY));
        double[] unsorted = e.clone();
        unsorted[0] = unsorted[39] * 2;
        assertThrows(IllegalArgumentException.class, () -> SpectralMetrics.of(unsorted, 40, 60, 2));
        assertThrows(IllegalArgumentException.class, () -> SpectralMetrics.of(new double[0], 0, 3, 2));
    }
}
