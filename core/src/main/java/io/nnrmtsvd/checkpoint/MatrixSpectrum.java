package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.rmt.GramSpectrum;
import io.nnrmtsvd.rmt.RandomizedSpectrum;
import io.nnrmtsvd.rmt.SpectrumAnalysis;

/**
 * What {@code spectrum} computes for one matrix held in memory (a {@code .npy} or {@code .csv}
 * file, a layer of a model): its analysis and, when asked for, the randomisation test.
 *
 * @param analysis the BEMA fit, selector ranks and heavy-tailed fit
 * @param randomized the randomisation test; null when not asked for
 */
public record MatrixSpectrum(SpectrumAnalysis analysis, RandomizedSpectrum randomized) {
    /**
     * Analyses W (rows = outputs).
     *
     * @param w Not modified.
     * @throws IllegalArgumentException for non-finite entries or a matrix too small for BEMA
     */
    public static MatrixSpectrum of(DMatrix w, SpectrumSettings settings) {
        SpectrumAnalysis analysis = SpectrumAnalysis.of(GramSpectrum.of(w, settings.bema().scaling()),
                settings.bema(), settings.heavyTail());
        return new MatrixSpectrum(analysis, settings.randomization(w, analysis));
    }
}
