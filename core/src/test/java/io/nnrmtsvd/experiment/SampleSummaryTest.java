package io.nnrmtsvd.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reference values computed by hand with numpy and scipy.stats.t.ppf (see each comment). */
class SampleSummaryTest {
    @Test
    void meanSampleSdAndStudentInterval() {
        // mean 0.935; sd with divisor n - 1; t(0.975, 3) = 3.1824463052837078
        SampleSummary s = SampleSummary.of(new double[] {0.9, 0.95, 0.97, 0.92});
        assertEquals(4, s.count());
        assertEquals(0.935, s.mean(), 1e-15);
        assertEquals(0.031091263510296018, s.standardDeviation(), 1e-15);
        assertEquals(0.8855268616575281, s.ciLow(), 1e-12);
        assertEquals(0.984473138342472, s.ciHigh(), 1e-12);
    }

    @Test
    void pairedDifferenceIsTheSummaryOfDifferences() {
        // differences 0.105, 0.09, 0.12; t(0.975, 2) = 4.302652729749462
        SampleSummary d = SampleSummary.ofDifferences(new double[] {0.975, 0.97, 0.98}, new double[] {0.87, 0.88, 0.86});
        assertEquals(0.105, d.mean(), 1e-15);
        assertEquals(0.015, d.standardDeviation(), 1e-15);
        assertEquals(0.067737934323745, d.ciLow(), 1e-12);
        assertEquals(0.105 + (0.105 - 0.067737934323745), d.ciHigh(), 1e-12);
    }

    @Test
    void oneValueHasNoSpreadRatherThanZero() {
        SampleSummary s = SampleSummary.of(new double[] {0.97});
        assertEquals(0.97, s.mean());
        assertTrue(Double.isNaN(s.standardDeviation()) && Double.isNaN(s.ciLow()) && Double.isNaN(s.ciHigh()));
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> SampleSummary.of(new double[0]));
        assertThrows(IllegalArgumentException.class,
                () -> SampleSummary.ofDifferences(new double[] {1, 2}, new double[] {1}));
    }
}
