package io.nnrmtsvd.codec;

import io.nnrmtsvd.checkpoint.TensorResult;
import io.nnrmtsvd.rmt.BemaFit;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import io.nnrmtsvd.io.JsonFields;
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
        } else {
            throw new IllegalArgumentException("'status' must be " + TensorResult.ANALYSED + " or "
                    + TensorResult.SKIPPED + ", got " + status);
        }
        if (row.containsKey("compressed_rank")) {
            JsonFields.integer(row, "compressed_rank");
        }
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
