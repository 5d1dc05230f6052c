package io.nnrmtsvd.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineTest {
    private static List<String> cpuinfo(String vendor, int family, int model, String flags) {
        return List.of("processor\t: 0", "vendor_id\t: " + vendor, "cpu family\t: " + family, "model\t\t: " + model,
                "model name\t: Test CPU", "cpu MHz\t\t: 2596.150", "flags\t\t: " + flags);
    }

    @Test
    void peakIsCoresTimesClockTimesFlopsPerCycle() {
        Machine zen4 = Machine.parse(cpuinfo("AuthenticAMD", 25, 17, "fpu avx2 fma avx512f"), 2);
        assertEquals("Test CPU", zen4.cpu());
        assertEquals(32, zen4.flopsPerCycle(), "Zen 4 runs AVX-512 on two 256-bit pipes");
        assertEquals(2596.15, zen4.mhz(), 1e-9);
        assertEquals(2 * 2.59615 * 32, zen4.peakGflops(2), 1e-9);
        Machine busy = new Machine(zen4.cpu(), zen4.vendor(), 25, 17, 2, 2596.15, 3600, 32, zen4.why());
        assertEquals(3.6 * 32, busy.peakGflops(1), 1e-9, "the measured clock wins");
        assertEquals(64, Machine.parse(cpuinfo("GenuineIntel", 6, 85, "avx2 fma avx512f"), 2).flopsPerCycle());
        assertEquals(32, Machine.parse(cpuinfo("GenuineIntel", 6, 60, "avx avx2 fma"), 2).flopsPerCycle());
        assertEquals(64, Machine.parse(cpuinfo("AuthenticAMD", 26, 2, "avx2 fma avx512f"), 2).flopsPerCycle());
        assertTrue(Double.isNaN(Machine.parse(List.of(), 1).peakGflops(1)), "nothing known, no peak");
    }

    @Test
    void theMeasuredClockIsAPlausibleProcessorClock() {
        double mhz = Machine.measureClockMhz(2);
        assertTrue(mhz > 300 && mhz < 8000, mhz + " MHz");
    }
}
