package io.nnrmtsvd.report;

import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.prune.LayerReport;
import io.nnrmtsvd.prune.LayerSurgery;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.BemaFit;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One layer's spectrum as a report shows it: the eigenvalues, the Marchenko–Pastur fit, the ranks
 * that rules chose and what was done to the layer.
 *
 * @param name e.g. {@code layer 0} or a tensor name
 * @param rows outputs of the matrix
 * @param cols inputs of the matrix
 * @param sigma2 fitted noise variance (NaN when not fitted)
 * @param lambdaPlus bulk edge with its Tracy–Widom margin (NaN when not fitted)
 * @param spikes eigenvalues above lambdaPlus
 * @param fitError BEMA's fit error (NaN when not fitted)
 * @param goodFit whether the fit passed its test
 * @param ranks rank by rule name, in display order (unmodifiable)
 * @param action what was done to the layer, empty when nothing was to be done
 * @param eigenvalues the fitted spectrum, ascending; empty when the layer was not fitted (copied)
 */
public record LayerSpectrum(String name, int rows, int cols, double sigma2, double lambdaPlus, int spikes,
                            double fitError, boolean goodFit, Map<String, Integer> ranks, String action,
                            double[] eigenvalues) {
    public LayerSpectrum {
        ranks = Collections.unmodifiableMap(new LinkedHashMap<>(ranks));
        eigenvalues = eigenvalues.clone();
    }

    /** From a fit, with the ranks to show. */
    public static LayerSpectrum of(String name, int rows, int cols, BemaFit fit, Map<String, Integer> ranks,
                                   String action) {
        return new LayerSpectrum(name, rows, cols, fit.sigma2(), fit.lambdaPlus(), fit.spikes(), fit.fitError(),
                fit.goodFit(), ranks, action, fit.eigenvalues());
    }

    /** From a full analysis: the four selectors' ranks under the keys the spectrum command prints. */
    public static LayerSpectrum of(String name, SpectrumAnalysis a) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        ranks.put("bema", a.bemaRank());
        ranks.put("gavish_donoho", a.gavishDonohoRank());
        ranks.put("mp_edge", a.mpEdgeRank());
        ranks.put("energy_90", a.energy90Rank());
        return of(name, a.spectrum().rows(), a.spectrum().cols(), a.fit(), ranks, "");
    }

    /** From what a prune did: BEMA's spikes, the configured selector's signal count and the rank kept. */
    public static LayerSpectrum of(LayerReport r) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        ranks.put("bema", r.spikes());
        ranks.put("selector", r.signal());
        ranks.put("kept", r.rank());
        String action = r.reason().isEmpty() ? r.action() : r.action() + "; " + r.reason();
        return new LayerSpectrum("layer " + r.index(), r.rows(), r.cols(), r.sigma2(), r.lambdaPlus(), r.spikes(),
                r.fitError(), r.goodFit(), ranks, action, r.eigenvalues());
    }

    /**
     * Every layer of a network analysed with the given BEMA settings, named {@code layer 0},
     * {@code layer 1}, ...; a layer BEMA cannot fit (too small) is listed without a spectrum.
     */
    public static List<LayerSpectrum> of(Network network, Bema bema) {
        List<LayerSpectrum> layers = new ArrayList<>();
        for (int i = 0; i < network.size(); i++) {
            DenseLayer layer = network.layer(i);
            String name = "layer " + i;
            try {
                layers.add(of(name, SpectrumAnalysis.of(LayerSurgery.weights(layer), bema)));
            } catch (IllegalArgumentException e) {
                layers.add(new LayerSpectrum(name, layer.out(), layer.in(), Double.NaN, Double.NaN, 0, Double.NaN,
                        false, Map.of(), "not fitted: " + e.getMessage(), new double[0]));
            }
        }
        return layers;
    }

    /** gamma = min(rows, cols) / max(rows, cols). */
    public double gamma() {
        return (double) Math.min(rows, cols) / Math.max(rows, cols);
    }

    /** Whether there is a spectrum with a fit to draw. */
    public boolean fitted() {
        return eigenvalues.length > 0 && Double.isFinite(sigma2) && sigma2 > 0 && Double.isFinite(lambdaPlus);
    }

    @Override
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** The eigenvalues above lambdaPlus, ascending. */
    public double[] spikeValues() {
        return Arrays.stream(eigenvalues).filter(e -> e > lambdaPlus).toArray();
    }

    /** As a JSON object for metrics.json. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("rows", rows);
        m.put("cols", cols);
        m.put("gamma", gamma());
        m.put("sigma2", sigma2);
        m.put("lambda_plus", lambdaPlus);
        m.put("spikes", spikes);
        m.put("fit_error", fitError);
        m.put("good_fit", goodFit);
        m.put("ranks", ranks);
        m.put("action", action);
        m.put("eigenvalues", eigenvalues);
        return m;
    }

    /** Reads what {@link #toJson} wrote (after {@link io.nnrmtsvd.io.Json#parse(String, String)}). */
    public static LayerSpectrum fromJson(Map<String, Object> m) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Map<String, Object> rankObject = JsonFields.object(m.get("ranks"), "'ranks'");
        for (String rule : rankObject.keySet()) {
            ranks.put(rule, Math.toIntExact(JsonFields.integer(rankObject, rule)));
        }
        return new LayerSpectrum(JsonFields.text(m, "name"), Math.toIntExact(JsonFields.integer(m, "rows")),
                Math.toIntExact(JsonFields.integer(m, "cols")), JsonFields.number(m, "sigma2"),
                JsonFields.number(m, "lambda_plus"), Math.toIntExact(JsonFields.integer(m, "spikes")),
                JsonFields.number(m, "fit_error"), JsonFields.flag(m, "good_fit"), ranks,
                JsonFields.text(m, "action"), JsonFields.numbers(m, "eigenvalues"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerSpectrum s && s.name.equals(name) && s.rows == rows && s.cols == cols
                && Double.compare(s.sigma2, sigma2) == 0 && Double.compare(s.lambdaPlus, lambdaPlus) == 0
                && s.spikes == spikes && Double.compare(s.fitError, fitError) == 0 && s.goodFit == goodFit
                && s.ranks.equals(ranks) && s.action.equals(action) && Arrays.equals(s.eigenvalues, eigenvalues);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(name, rows, cols, sigma2, lambdaPlus, spikes, fitError, goodFit, ranks,
                action) + Arrays.hashCode(eigenvalues);
    }

    @Override
    public String toString() {
        return "LayerSpectrum[" + name + ", " + rows + "x" + cols + ", sigma2=" + sigma2 + ", lambdaPlus="
                + lambdaPlus + ", spikes=" + spikes + ", fitError=" + fitError + ", " + eigenvalues.length
                + " eigenvalues]";
    }
}
