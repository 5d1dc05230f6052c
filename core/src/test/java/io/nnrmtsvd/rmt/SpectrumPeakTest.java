package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpectrumPeakTest {
    @Test
    void peakIsTheLeftEdgeOfTheFullestLogBin() {
        // log10 values 0 (once), 1 (three times) and 2 (once): bins of width 0.02, the fullest starts at 1
        double peak = SpectrumPeak.of(new double[] {1, 10, 10, 10, 100});
        assertEquals(10, peak, 1e-13);
    }

    @Test
    void valuesAtOrBelowTheThresholdAreLeftOut() {
        double[] values = {0, 1e-7, 1e-5, 1e-5, 1e-5, 1, 10, 10, 100};
        assertEquals(10, SpectrumPeak.of(values), 1e-13);
        assertThrows(IllegalArgumentException.class, () -> SpectrumPeak.of(new double[] {0, 1e-6, 1e-5}));
    }
}
