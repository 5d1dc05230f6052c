package io.nnrmtsvd.rmt;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * The heavy-tailed side of one spectrum (SPEC section 9): the power-law fit of its tail, the
 * truncated power law when asked for, and the norm and shape metrics, all on the raw eigenvalues
 * s_i^2 of W (WeightWatcher's units). A fit that cannot be made (fewer than two eigenvalues above
 * the floor, an all-zero matrix) is absent with the reason, never an error: the rest of the
 * analysis stands.
 *
 * @param powerLaw the power-law fit; null when it could not be made
 * @param truncated the truncated power law; null when not asked for or not possible
 * @param metrics the norm and shape metrics; null for an all-zero matrix
 * @param reason why the power-law fit or the metrics are absent; empty when both are present
 * @param settings the settings the fits were made with
 */
public record HeavyTailAnalysis(PowerLawFit powerLaw, TruncatedPowerLaw truncated, SpectralMetrics metrics,
                                String reason, HeavyTailSettings settings) {
    /**
     * Analyses raw eigenvalues.
     *
     * @param rawEigenvalues Not modified. s_i^2 of W, ascending.
     * @param bema the BEMA fit of the same spectrum (for mp_softrank)
     */
    public static HeavyTailAnalysis of(double[] rawEigenvalues, int rows, int cols, BemaFit bema,
                                       HeavyTailSettings settings) {
        return analyse(rawEigenvalues, settings, alpha -> SpectralMetrics.of(rawEigenvalues, rows, cols, alpha, bema));
    }

    /**
     * A pooled spectrum, e.g. a convolution's kernel positions ({@link ConvolutionWeights#pooledEigenvalues}):
     * the power-law fit and the metrics without BEMA (mp_softrank NaN).
     *
     * @param rows rows of each pooled matrix
     * @param cols columns of each pooled matrix
     */
    public static HeavyTailAnalysis pooled(double[] rawEigenvalues, int rows, int cols, HeavyTailSettings settings) {
        return analyse(rawEigenvalues, settings, alpha -> SpectralMetrics.of(rawEigenvalues, rows, cols, alpha));
    }

    private static HeavyTailAnalysis analyse(double[] rawEigenvalues, HeavyTailSettings settings,
                                             DoubleFunction<SpectralMetrics> metricsWithAlpha) {
        PowerLawFit powerLaw = null;
        TruncatedPowerLaw truncated = null;
        List<String> reasons = new ArrayList<>();
        try {
            powerLaw = settings.powerLaw().fit(rawEigenvalues);
            if (settings.truncated()) {
                truncated = TruncatedPowerLaw.fit(powerLaw);
            }
        } catch (IllegalArgumentException e) {
            reasons.add("no power-law fit: " + e.getMessage());
        }
        SpectralMetrics metrics = null;
        try {
            metrics = metricsWithAlpha.apply(powerLaw == null ? Double.NaN : powerLaw.alpha());
        } catch (IllegalArgumentException e) {
            reasons.add("no metrics: " + e.getMessage());
        }
        return new HeavyTailAnalysis(powerLaw, truncated, metrics, String.join("; ", reasons), settings);
    }
}
