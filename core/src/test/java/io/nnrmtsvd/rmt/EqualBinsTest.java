package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Binning as numpy.histogram bins, counts taken from numpy 2.4.6 (see each test). */
class EqualBinsTest {
    private static long[] counts(double[] values, int bins) {
        return EqualBins.of(values, bins).counts();
    }

    private static int[] nonEmpty(long[] counts) {
        return java.util.stream.IntStream.range(0, counts.length).filter(i -> counts[i] > 0).toArray();
    }

    @Test
    void valuesOnComputedEdgesFallAsNumpyPutsThem() {
        // np.histogram(np.arange(11) / 10, bins=10)[0]: edge 3 is 0.30000000000000004, so 0.3 stays in bin 2
        double[] tenths = new double[11];
        for (int i = 0; i <= 10; i++) {
            tenths[i] = i / 10.0;
        }
        assertArrayEquals(new long[] {1, 1, 2, 0, 1, 2, 1, 0, 1, 2}, counts(tenths, 10));
        // np.histogram([0, 0.29, 0.3, 0.31, 0.7, 1.0], bins=10)[0]
        assertArrayEquals(new long[] {1, 0, 2, 1, 0, 0, 1, 0, 0, 1},
                counts(new double[] {0, 0.29, 0.3, 0.31, 0.7, 1.0}, 10));
    }

    @Test
    void logarithmsOfOneToTenLandInNumpysBins() {
        // np.nonzero(np.histogram(np.log10(np.arange(1, 11.)), bins=100)[0])
        double[] logs = new double[10];
        for (int i = 0; i < 10; i++) {
            logs[i] = Math.log10(i + 1);
        }
        assertArrayEquals(new int[] {0, 30, 47, 60, 69, 77, 84, 90, 95, 99}, nonEmpty(counts(logs, 100)));
    }

    @Test
    void equalValuesAreCentredInAWidenedRange() {
        EqualBins bins = EqualBins.of(new double[] {3, 3, 3}, 100);
        assertEquals(2.5, bins.edges()[0], 0.0);
        assertEquals(3.5, bins.edges()[100], 0.0);
        assertArrayEquals(new int[] {50}, nonEmpty(bins.counts()));
        assertEquals(50, bins.fullest());
    }

    @Test
    void aFixedRangeLeavesOutsideValuesOutAndClosesTheLastBin() {
        long[] counts = EqualBins.over(new double[] {-1, 0, 0.5, 1, 2}, 0, 1, 2).counts();
        assertArrayEquals(new long[] {1, 2}, counts);
        assertEquals(3, Arrays.stream(counts).sum());
    }

    @Test
    void fullestIsTheFirstOfEquals() {
        assertEquals(1, EqualBins.of(new double[] {0, 1.2, 1.3, 2.9, 2.95, 4}, 4).fullest());
        assertThrows(IllegalArgumentException.class, () -> EqualBins.over(new double[] {1}, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> EqualBins.over(new double[] {1}, 1, 0, 5));
    }
}
