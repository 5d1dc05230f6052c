package io.nnrmtsvd.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The processor a benchmark ran on and its single-precision peak, the bound compute-bound
 * benchmarks are measured against: cores x clock x float32 flops per cycle (a fused multiply-add
 * counts two). The flops per cycle follow from the vendor, family and instruction-set flags. Two
 * clocks: {@code cpu MHz} of {@code /proc/cpuinfo} (the nominal rate, or under a hypervisor the rate
 * it reports), and the clock the cores actually run at when all are busy ({@link #measureClockMhz}),
 * turbo included, which is the one the bound uses.
 *
 * @param cpu the model name
 * @param vendor e.g. AuthenticAMD
 * @param family the CPU family (25 = AMD Zen 3 and Zen 4)
 * @param model the CPU model number
 * @param cores processors available to this JVM
 * @param mhz the clock {@code /proc/cpuinfo} reports, 0 if unknown
 * @param busyMhz the clock measured with every core busy ({@link #measureClockMhz}), 0 if not measured
 * @param flopsPerCycle float32 flops per cycle and core at the widest vector FMA
 * @param why how {@code flopsPerCycle} was decided
 */
public record Machine(String cpu, String vendor, int family, int model, int cores, double mhz, double busyMhz,
                      int flopsPerCycle, String why) {
    /**
     * Peak float32 GFLOP/s of {@code threads} cores at the measured clock, or the reported one when
     * it was not measured (NaN if neither is known). Float64 peaks at half of it.
     */
    public double peakGflops(int threads) {
        double clock = busyMhz > 0 ? busyMhz : mhz;
        return clock > 0 ? threads * clock / 1000 * flopsPerCycle : Double.NaN;
    }

    /** The same machine with its busy clock measured. */
    public Machine measured() {
        return new Machine(cpu, vendor, family, model, cores, mhz, measureClockMhz(5), flopsPerCycle, why);
    }

    /**
     * The clock the cores run at while all are busy, in MHz, measured: on every core at once, a
     * chain of dependent one-cycle integer operations (shift, xor, add: three cycles a link on any
     * x86 core) timed by each thread's own CPU time, so that time other processes take does not
     * count; the best of {@code rounds} rounds of about 0.1 s per thread, averaged over the
     * threads. Turbo clocks show here, not in {@link #mhz}.
     */
    public static double measureClockMhz(int rounds) {
        int threads = Runtime.getRuntime().availableProcessors();
        double[] best = new double[threads];
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int index = i;
            workers[i] = new Thread(() -> best[index] = measureThisThread(rounds), "rmtsvd-clock-" + i);
            workers[i].start();
        }
        double sum = 0;
        for (int i = 0; i < threads; i++) {
            try {
                workers[i].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            sum += best[i];
        }
        return sum / threads;
    }

    private static double measureThisThread(int rounds) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long links = 100_000_000L;
        double best = 0;
        long sink = 0;
        for (int r = 0; r <= rounds; r++) {
            long t = mx.getCurrentThreadCpuTime();
            sink += chain(r, links);
            double seconds = (mx.getCurrentThreadCpuTime() - t) / 1e9;
            if (r > 0 && seconds > 0) { // round 0 warms the JIT
                best = Math.max(best, 3.0 * links / seconds / 1e6);
            }
        }
        blackhole = sink;
        return best;
    }

    /** Keeps the chain's result alive, so that the JIT cannot drop the loop. */
    private static volatile long blackhole;

    private static long chain(long x, long links) {
        for (long i = 0; i < links; i++) {
            x = (x ^ (x >>> 7)) + 0x9E3779B97F4A7C15L;
        }
        return x;
    }

    /** This machine, from {@code /proc/cpuinfo}; fields it cannot read are empty or 0. */
    public static Machine read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            lines = List.of();
        }
        return parse(lines, Runtime.getRuntime().availableProcessors());
    }

    /** A machine from the lines of {@code /proc/cpuinfo} (the first processor's entries). */
    static Machine parse(List<String> cpuinfo, int cores) {
        String name = field(cpuinfo, "model name", "unknown");
        String vendor = field(cpuinfo, "vendor_id", "unknown");
        int family = parseInt(field(cpuinfo, "cpu family", "0"));
        int model = parseInt(field(cpuinfo, "model", "0"));
        double mhz;
        try {
            mhz = Double.parseDouble(field(cpuinfo, "cpu MHz", "0"));
        } catch (NumberFormatException e) {
            mhz = 0;
        }
        Set<String> flags = Set.of(field(cpuinfo, "flags", "").split("\\s+"));
        int perCycle;
        String why;
        if (vendor.equals("AuthenticAMD") && family >= 26) {
            perCycle = 64;
            why = "AMD family " + family + " (Zen 5): two 512-bit FMA pipes";
        } else if (vendor.equals("AuthenticAMD") && (family == 25 || family == 23 && model >= 0x30)) {
            perCycle = 32;
            why = "AMD family " + family + " model " + model + " (Zen 2-4): two 256-bit FMA pipes"
                    + (flags.contains("avx512f") ? " (AVX-512 runs as two 256-bit halves)" : "");
        } else if (vendor.equals("AuthenticAMD") && family == 23) {
            perCycle = 16;
            why = "AMD family 23 model " + model + " (Zen 1): two 128-bit FMA pipes";
        } else if (flags.contains("avx512f")) {
            perCycle = 64;
            why = "AVX-512, assuming two 512-bit FMA units (server parts; one-unit parts peak at half)";
        } else if (flags.contains("fma") && flags.contains("avx2")) {
            perCycle = 32;
            why = "AVX2 with FMA: two 256-bit FMA units";
        } else if (flags.contains("avx")) {
            perCycle = 16;
            why = "AVX without FMA";
        } else {
            perCycle = 8;
            why = "SSE";
        }
        return new Machine(name, vendor, family, model, cores, mhz, 0, perCycle, why);
    }

    private static String field(List<String> lines, String key, String otherwise) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                return line.substring(colon + 1).strip();
            }
        }
        return otherwise;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
