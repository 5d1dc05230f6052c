package io.nnrmtsvd.rmt;

import io.nnrmtsvd.linalg.DMatrix;

/**
 * Everything the {@code spectrum} report says about one matrix: its spectrum, the BEMA fit, the
 * rank each selector chooses, and the heavy-tailed fit and metrics of SPEC section 9.
 *
 * @param spectrum the Gram spectrum the fit used
 * @param fit the BEMA fit
 * @param singularValues the singular values of W, descending
 * @param bemaRank eigenvalues above BEMA's lambda_plus (the fit's spikes)
 * @param gavishDonohoRank the Gavish–Donoho hard threshold with unknown noise
 * @param mpEdgeRank eigenvalues above the MP edge with BEMA's sigma2 and no Tracy–Widom margin
 * @param energy90Rank the smallest rank holding 90% of the squared singular values
 * @param heavyTail the power-law fit and the norm and shape metrics, on the raw eigenvalues s_i^2
 */
public record SpectrumAnalysis(GramSpectrum spectrum, BemaFit fit, double[] singularValues, int bemaRank,
                               int gavishDonohoRank, int mpEdgeRank, int energy90Rank, HeavyTailAnalysis heavyTail) {
    /** Share of energy of {@link #energy90Rank}. */
    public static final double ENERGY_FRACTION = 0.9;

    public SpectrumAnalysis {
        singularValues = singularValues.clone();
    }

    @Override
    public double[] singularValues() {
        return singularValues.clone();
    }

    /**
     * Analyses W (rows = outputs) with the given BEMA settings.
     *
     * @param w Not modified.
     * @throws IllegalArgumentException for non-finite entries or a matrix too small for BEMA
     */
    public static SpectrumAnalysis of(DMatrix w, Bema bema) {
        return of(GramSpectrum.of(w, bema.scaling()), bema);
    }

    /** Analyses a spectrum already computed, with the heavy-tailed side fitted as WeightWatcher does. */
    public static SpectrumAnalysis of(GramSpectrum spectrum, Bema bema) {
        return of(spectrum, bema, HeavyTailSettings.DEFAULT);
    }

    /** Analyses a spectrum already computed. */
    public static SpectrumAnalysis of(GramSpectrum spectrum, Bema bema, HeavyTailSettings heavyTail) {
        BemaFit fit = bema.fit(spectrum);
        double divisor = spectrum.scaling() == GramSpectrum.Scaling.BY_N ? spectrum.n() : spectrum.cols();
        double[] eigenvalues = spectrum.eigenvalues();
        int p = eigenvalues.length;
        double[] s = new double[p];
        for (int i = 0; i < p; i++) {
            s[i] = Math.sqrt(eigenvalues[p - 1 - i] * divisor);
        }
        int rows = spectrum.rows();
        int cols = spectrum.cols();
        return new SpectrumAnalysis(spectrum, fit, s, fit.spikes(),
                GavishDonohoSelector.unknownNoise().select(s, rows, cols),
                MarchenkoPasturEdgeSelector.countAboveEdge(fit),
                new EnergySelector(ENERGY_FRACTION).select(s, rows, cols),
                HeavyTailAnalysis.of(RawEigenvalues.of(spectrum), rows, cols, fit, heavyTail));
    }

    /** The largest eigenvalue of the spectrum (0 for an all-zero matrix). */
    public double largestEigenvalue() {
        double[] e = spectrum.eigenvalues();
        return e[e.length - 1];
    }
}
