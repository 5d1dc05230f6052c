package io.nnrmtsvd.codec;

import io.nnrmtsvd.checkpoint.TensorResult;
import io.nnrmtsvd.rmt.BemaFit;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import java.util.LinkedHashMap;
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
     * largest_eigenvalue, ranks {bema, gavish_donoho, mp_edge, energy_90} and bema (the settings),
     * in that order; a new map the caller may extend.
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
     * A checkpoint tensor's row: for an analysed tensor the keys of {@link #row(String,
     * SpectrumAnalysis)} followed by dtype, shape, status and seconds; for a skipped one name,
     * dtype, shape, status and reason.
     */
    public static Map<String, Object> row(TensorResult r) {
        Map<String, Object> row;
        if (r.analysis() == null) {
            row = new LinkedHashMap<>();
            row.put("name", r.tensor().name());
        } else {
            row = row(r.tensor().name(), r.analysis());
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
