package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpectrumDistanceTest {
    @Test
    void handComputedDistance() {
        // logs {0, 1} and {0, 2} over [0, 2]: bins 0 and 50 against bins 0 and 99; JS = 1/2
        assertEquals(Math.sqrt(0.5), SpectrumDistance.jensenShannon(new double[] {1, 10}, new double[] {1, 100}), 1e-15);
    }

    @Test
    void identicalSpectraAreAtZeroDisjointOnesAtOne() {
        double[] a = PowerLawFitterTest.pareto(new SplittableRandom(3), 300, 2.5, 1);
        assertEquals(0, SpectrumDistance.jensenShannon(a, a.clone()), 0.0);
        assertEquals(1, SpectrumDistance.jensenShannon(new double[] {1, 1, 2}, new double[] {1e6, 2e6}), 1e-15);
    }

    @Test
    void symmetricBoundedAndBlindToZerosAndOrder() {
        SplittableRandom rng = new SplittableRandom(9);
        double[] a = PowerLawFitterTest.pareto(rng, 200, 2, 1);
        double[] b = PowerLawFitterTest.pareto(rng, 150, 3, 1);
        double d = SpectrumDistance.jensenShannon(a, b);
        assertTrue(d > 0 && d < 1, "distance " + d);
        assertEquals(d, SpectrumDistance.jensenShannon(b, a), 1e-15);
        double[] withZeros = new double[a.length + 5];
        for (int i = 0; i < a.length; i++) {
            withZeros[a.length - 1 - i] = a[i];
        }
        assertEquals(d, SpectrumDistance.jensenShannon(withZeros, b), 1e-15);
    }

    @Test
    void spectraWithoutAPositiveValueOrWithBadValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SpectrumDistance.jensenShannon(new double[] {0, 0},
                new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> SpectrumDistance.jensenShannon(new double[] {1},
                new double[] {-1, 2}));
        assertThrows(IllegalArgumentException.class, () -> SpectrumDistance.jensenShannon(new double[] {1},
                new double[] {Double.NaN}));
    }
}
