package io.nnrmtsvd.report;

import io.nnrmtsvd.rmt.BemaFit;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON row {@code rmtsvd spectrum} prints for one analysed matrix. */
public final class SpectrumJson {
    private SpectrumJson() {
    }

    /**
     * name, rows, cols, p, n, gamma, sigma2, lambda_plus, s_plus, spikes, fit_error, good_fit,
     * largest_eigenvalue and ranks {bema, gavish_donoho, mp_edge, energy_90}, in that order; a new
     * map the caller may extend.
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
        return row;
    }
}
