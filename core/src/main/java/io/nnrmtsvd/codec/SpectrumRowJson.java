package io.nnrmtsvd.codec;

import io.nnrmtsvd.checkpoint.MatrixSpectrum;
import io.nnrmtsvd.checkpoint.TensorResult;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.rmt.BemaFit;
import io.nnrmtsvd.rmt.HeavyTailAnalysis;
import io.nnrmtsvd.rmt.MatrixEntry;
import io.nnrmtsvd.rmt.PowerLawFit;
import io.nnrmtsvd.rmt.RandomizedSpectrum;
import io.nnrmtsvd.rmt.SpectralMetrics;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import io.nnrmtsvd.rmt.TruncatedPowerLaw;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The row {@code rmtsvd spectrum} prints for one matrix, the same in {@code --json}, in a run's
 * {@code metrics.json} and in a checkpoint run's journal.
 */
public final class SpectrumRowJson {
    private SpectrumRowJson() {
    }

    /**
     * name, rows, cols, p, n, gamma, sigma2, lambda_plus, s_plus, spikes, fit_error, good_fit,
     * largest_eigenvalue, the heavy-tailed keys of {@link #heavyTail}, ranks {bema, gavish_donoho,
     * mp_edge, energy_90} and bema (the settings), in that order; a new map the caller may extend.
     */
    public static Map<String, Object> row(String name, SpectrumAnalysis a) {
        BemaFit f = a.fit();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("rows", a.spectrum().rows());
        row.put("cols", a.spectrum().cols());
        row.put("p", f.p());
        row.put("n", f.n());
        row.put("gamma", f.gamma());
        row.put("sigma2", f.sigma2());
        row.put("lambda_plus", f.lambdaPlus());
        row.put("s_plus", f.sPlus());
        row.put("spikes", f.spikes());
        row.put("fit_error", f.fitError());
        row.put("good_fit", f.goodFit());
        row.put("largest_eigenvalue", a.largestEigenvalue());
        row.putAll(heavyTail(a.heavyTail()));
        Map<String, Object> ranks = new LinkedHashMap<>();
        ranks.put("bema", a.bemaRank());
        ranks.put("gavish_donoho", a.gavishDonohoRank());
        ranks.put("mp_edge", a.mpEdgeRank());
        ranks.put("energy_90", a.energy90Rank());
        row.put("ranks", ranks);
        row.put("bema", BemaJson.toJson(f.settings()));
        return row;
    }

    /**
     * A matrix's row: the keys of {@link #row(String, SpectrumAnalysis)}, then the {@link #randomized}
     * keys if the test ran.
     */
    public static Map<String, Object> row(String name, MatrixSpectrum m) {
        Map<String, Object> row = row(name, m.analysis());
        if (m.randomized() != null) {
            row.putAll(randomized(m.randomized()));
        }
        return row;
    }

    /**
     * The heavy-tailed keys, named and in the units of WeightWatcher's columns (raw eigenvalues s^2,
     * no 1/n): alpha, xmin, xmax, D, sigma, num_pl_spikes, log_norm, log_spectral_norm, stable_rank,
     * alpha_weighted, log_alpha_norm, entropy, mp_softrank, matrix_rank; alpha_flag (the rule of
     * thumb: "possibly over-trained" below alpha 2, "possibly under-trained" above 6, else null);
     * with the truncated power law, tpl_alpha, tpl_lambda, tpl_log_likelihood_ratio (R = ln L_PL -
     * ln L_TPL) and tpl_p_value; heavy_tail_reason when a fit is missing; and power_law, the fit's
     * settings {floor, fingers, truncated}. A missing value is null.
     */
    public static Map<String, Object> heavyTail(HeavyTailAnalysis h) {
        Map<String, Object> m = new LinkedHashMap<>();
        PowerLawFit pl = h.powerLaw();
        SpectralMetrics x = h.metrics();
        m.put("alpha", pl == null ? null : pl.alpha());
        m.put("xmin", pl == null ? null : pl.xmin());
        m.put("xmax", pl == null ? null : pl.xmax());
        m.put("D", pl == null ? null : pl.distance());
        m.put("sigma", pl == null ? null : pl.sigma());
        m.put("num_pl_spikes", pl == null ? null : pl.numPlSpikes());
        m.put("log_norm", x == null ? null : x.logNorm());
        m.put("log_spectral_norm", x == null ? null : x.logSpectralNorm());
        m.put("stable_rank", x == null ? null : x.stableRank());
        m.put("alpha_weighted", x == null ? null : x.alphaWeighted());
        m.put("log_alpha_norm", x == null ? null : x.logAlphaNorm());
        m.put("entropy", x == null ? null : x.entropy());
        m.put("mp_softrank", x == null ? null : x.mpSoftrank());
        m.put("matrix_rank", x == null ? null : x.numericalRank());
        m.put("alpha_flag", pl == null ? null : pl.possiblyOverTrained() ? "possibly over-trained"
                : pl.possiblyUnderTrained() ? "possibly under-trained" : null);
        TruncatedPowerLaw tpl = h.truncated();
        if (tpl != null) {
            m.put("tpl_alpha", tpl.alpha());
            m.put("tpl_lambda", tpl.lambda());
            m.put("tpl_log_likelihood_ratio", tpl.logLikelihoodRatio());
            m.put("tpl_p_value", tpl.pValue());
        }
        if (!h.reason().isEmpty()) {
            m.put("heavy_tail_reason", h.reason());
        }
        m.put("power_law", HeavyTailJson.toJson(h.settings()));
        return m;
    }

    /**
     * The randomisation test's keys (SPEC section 9): max_rand_eval, ww_softrank, rand_distance,
     * rand_seed, num_traps, and largest_entries, W's largest entries {row, col, value}.
     */
    public static Map<String, Object> randomized(RandomizedSpectrum r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_rand_eval", r.maxRandEval());
        m.put("ww_softrank", r.wwSoftrank());
        m.put("rand_distance", r.randDistance());
        m.put("rand_seed", r.seed());
        m.put("num_traps", r.trapCount());
        List<Object> entries = new ArrayList<>();
        for (MatrixEntry e : r.largestEntries()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("row", e.row());
            entry.put("col", e.col());
            entry.put("value", e.value());
            entries.add(entry);
        }
        m.put("largest_entries", entries);
        return m;
    }

    /** The heavy-tailed keys that hold a number, or null when the fit could not be made. */
    private static final List<String> HEAVY_TAIL_NUMBERS = List.of("alpha", "xmin", "xmax", "D", "sigma",
            "num_pl_spikes", "log_norm", "log_spectral_norm", "stable_rank", "alpha_weighted", "log_alpha_norm",
            "entropy", "mp_softrank", "matrix_rank");

    private static void numbersOrNull(Map<String, Object> row, List<String> keys) {
        for (String key : keys) {
            if (!row.containsKey(key)) {
                throw new IllegalArgumentException("missing '" + key + "'");
            }
            if (row.get(key) != null) {
                JsonFields.number(row, key);
            }
        }
    }

    /**
     * Checks a row read back (from a journal a user may have edited): the keys {@link #row(TensorResult)}
     * writes, each of its kind, so that printing and reporting it cannot fail.
     *
     * @return {@code row}
     * @throws IllegalArgumentException naming the first key that is missing or of the wrong kind
     */
    public static Map<String, Object> checked(Map<String, Object> row) {
        JsonFields.text(row, "name");
        JsonFields.text(row, "dtype");
        JsonFields.numbers(row, "shape");
        String status = JsonFields.text(row, "status");
        if (status.equals(TensorResult.SKIPPED)) {
            JsonFields.text(row, "reason");
        } else if (status.equals(TensorResult.ANALYSED)) {
            for (String key : List.of("rows", "cols", "p", "n", "spikes")) {
                JsonFields.integer(row, key);
            }
            for (String key : List.of("gamma", "sigma2", "lambda_plus", "s_plus", "fit_error", "largest_eigenvalue",
                    "seconds")) {
                JsonFields.number(row, key);
            }
            JsonFields.flag(row, "good_fit");
            Map<String, Object> ranks = JsonFields.object(row.get("ranks"), "'ranks'");
            for (String key : List.of("bema", "gavish_donoho", "mp_edge", "energy_90")) {
                JsonFields.integer(ranks, key);
            }
            BemaJson.fromJson(JsonFields.object(row.get("bema"), "'bema'"));
            numbersOrNull(row, HEAVY_TAIL_NUMBERS);
            if (row.containsKey("per_kernel")) {
                numbersOrNull(JsonFields.object(row.get("per_kernel"), "'per_kernel'"), HEAVY_TAIL_NUMBERS);
            }
        } else {
            throw new IllegalArgumentException("'status' must be " + TensorResult.ANALYSED + " or "
                    + TensorResult.SKIPPED + ", got " + status);
        }
        if (row.containsKey("compressed_rank")) {
            JsonFields.integer(row, "compressed_rank");
        }
        if (row.containsKey("eigenvalues_file")) {
            JsonFields.text(row, "eigenvalues_file");
        }
        return row;
    }

    /**
     * A checkpoint tensor's row: for an analysed tensor the keys of {@link #row(String,
     * SpectrumAnalysis)}, then for a convolution per_kernel (the {@link #heavyTail} keys of its
     * pooled kernel positions), then the {@link #randomized} keys when the test ran, then dtype,
     * shape, status and seconds; for a skipped one name, dtype, shape, status and reason.
     */
    public static Map<String, Object> row(TensorResult r) {
        Map<String, Object> row;
        if (r.analysis() == null) {
            row = new LinkedHashMap<>();
            row.put("name", r.tensor().name());
        } else {
            row = row(r.tensor().name(), r.analysis());
            if (r.perKernel() != null) {
                row.put("per_kernel", heavyTail(r.perKernel()));
            }
            if (r.randomized() != null) {
                row.putAll(randomized(r.randomized()));
            }
        }
        row.put("dtype", r.tensor().dtype().name());
        row.put("shape", r.tensor().shape());
        row.put("status", r.status());
        if (r.analysis() == null) {
            row.put("reason", r.reason());
        } else {
            row.put("seconds", r.seconds());
        }
        return row;
    }
}
