package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.rmt.GramSpectrum;
import io.nnrmtsvd.rmt.HeavyTailAnalysis;
import io.nnrmtsvd.rmt.RandomizedSpectrum;
import io.nnrmtsvd.rmt.RawEigenvalues;
import io.nnrmtsvd.rmt.SpectrumAnalysis;

/**
 * What {@code spectrum} computes for one matrix held in memory (a {@code .npy} or {@code .csv}
 * file, a layer of a model): its analysis and, when asked for, the randomisation test. A
 * rank-deficient matrix's heavy-tailed metrics come from its singular values by SVD.
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
        if (hasZeros(analysis.spectrum().eigenvalues())) {
            // Singular values below the Gram route's floor (about 1e-7 s_max) read as 0 there; the
            // numerical rank and entropy count them, so take them from an SVD, as WeightWatcher does.
            analysis = analysis.withHeavyTail(HeavyTailAnalysis.of(RawEigenvalues.bySvd(w), w.rows(), w.cols(),
                    analysis.fit(), settings.heavyTail()));
        }
        return new MatrixSpectrum(analysis, settings.randomization(w, analysis));
    }

    private static boolean hasZeros(double[] eigenvalues) {
        return eigenvalues.length > 0 && eigenvalues[0] == 0; // ascending
    }
}
