package io.nnrmtsvd.experiment;

import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.GramSpectrum;
import io.nnrmtsvd.rmt.HeavyTailAnalysis;
import io.nnrmtsvd.rmt.HeavyTailSettings;
import io.nnrmtsvd.rmt.RawEigenvalues;
import io.nnrmtsvd.rmt.SpectrumAnalysis;

/**
 * What the heavy-tailed metrics (SPEC section 9) add to the analysis of one layer, as
 * {@code spectrum} runs it on a checkpoint: the whole analysis from the stored floats (Gram
 * matrix, eigenvalues, BEMA, selectors, power-law fit and metrics), and within it the heavy-tailed
 * part alone on the same eigenvalues; the BEMA-only analysis is the difference.
 *
 * @param seconds median seconds of the whole analysis
 * @param heavyTailSeconds median seconds of the heavy-tailed part
 */
public record SpectrumCost(double seconds, double heavyTailSeconds) {
    /** Seconds without the heavy-tailed part: the analysis before it was added. */
    public double bemaOnlySeconds() {
        return seconds - heavyTailSeconds;
    }

    /** The whole analysis over the BEMA-only one. */
    public double ratio() {
        return seconds / bemaOnlySeconds();
    }

    /**
     * Measures a rows x cols layer of {@code values} (row-major floats) after one warm-up.
     *
     * @param repeats measured runs, at least 1
     */
    public static SpectrumCost of(float[] values, int rows, int cols, int repeats) {
        Bema bema = Bema.create();
        double[] whole = new double[repeats];
        double[] tail = new double[repeats];
        for (int r = -1; r < repeats; r++) {
            long start = System.nanoTime();
            SpectrumAnalysis a = SpectrumAnalysis.of(GramSpectrum.ofFloats(values, rows, cols, bema.scaling()), bema,
                    HeavyTailSettings.DEFAULT);
            long analysed = System.nanoTime();
            HeavyTailAnalysis.of(RawEigenvalues.of(a.spectrum()), rows, cols, a.fit(), HeavyTailSettings.DEFAULT);
            long tailed = System.nanoTime();
            if (r >= 0) {
                whole[r] = (analysed - start) / 1e9;
                tail[r] = (tailed - analysed) / 1e9;
            }
        }
        return new SpectrumCost(Benchmarks.median(whole), Benchmarks.median(tail));
    }
}
