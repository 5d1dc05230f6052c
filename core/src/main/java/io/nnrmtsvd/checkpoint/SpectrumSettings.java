package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.HeavyTailSettings;
import io.nnrmtsvd.rmt.RandomizedSpectrum;
import io.nnrmtsvd.rmt.RawEigenvalues;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import java.util.Objects;

/**
 * What is computed for each matrix or tensor: the BEMA fit, the heavy-tailed fit and metrics, and
 * optionally the randomisation test (SPEC section 9).
 *
 * @param bema the BEMA settings
 * @param heavyTail the power-law fit's settings
 * @param randomizeSeed the seed of the randomisation test's permutation, or null for no test
 */
public record SpectrumSettings(Bema bema, HeavyTailSettings heavyTail, Long randomizeSeed) {
    public SpectrumSettings {
        Objects.requireNonNull(bema, "bema");
        Objects.requireNonNull(heavyTail, "heavyTail");
    }

    /** BEMA with the heavy-tailed fit as WeightWatcher makes it, and no randomisation. */
    public static SpectrumSettings of(Bema bema) {
        return new SpectrumSettings(bema, HeavyTailSettings.DEFAULT, null);
    }

    /** Whether the randomisation test runs. */
    public boolean randomize() {
        return randomizeSeed != null;
    }

    /**
     * The randomisation test of W, whose analysis is {@code analysis}; null when it is not asked for.
     *
     * @param w Not modified.
     */
    public RandomizedSpectrum randomization(DMatrix w, SpectrumAnalysis analysis) {
        return randomizeSeed == null ? null : RandomizedSpectrum.of(w, RawEigenvalues.of(analysis.spectrum()),
                randomizeSeed, bema, RandomizedSpectrum.DEFAULT_ENTRIES);
    }
}
