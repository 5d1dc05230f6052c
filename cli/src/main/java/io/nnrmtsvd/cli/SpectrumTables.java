package io.nnrmtsvd.cli;

import io.nnrmtsvd.checkpoint.TensorResult;
import io.nnrmtsvd.io.Printable;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text tables {@code spectrum} prints from its JSON rows. */
final class SpectrumTables {
    private SpectrumTables() {
    }

    /** Rows of matrices and model layers ({@link io.nnrmtsvd.codec.SpectrumRowJson}). */
    static void matrices(PrintWriter out, List<Map<String, Object>> rows) {
        out.printf(Locale.ROOT, "%-28s %11s %7s %11s %11s %10s %6s %8s %5s %11s  %s%n", "name", "shape", "gamma",
                "sigma2", "lambda+", "s+", "spikes", "fit err", "good", "max eig", "ranks bema/gd/mp/e90");
        for (Map<String, Object> r : rows) {
            Map<?, ?> ranks = (Map<?, ?>) r.get("ranks");
            out.printf(Locale.ROOT, "%-28s %11s %7.4f %11.5g %11.5g %10.5g %6d %8.4f %5s %11.5g  %s/%s/%s/%s%n",
                    name(r.get("name")), r.get("rows") + "x" + r.get("cols"), r.get("gamma"), r.get("sigma2"),
                    r.get("lambda_plus"), r.get("s_plus"), r.get("spikes"), r.get("fit_error"),
                    (Boolean) r.get("good_fit") ? "yes" : "no", r.get("largest_eigenvalue"),
                    ranks.get("bema"), ranks.get("gavish_donoho"), ranks.get("mp_edge"), ranks.get("energy_90"));
        }
    }

    /** Rows of a checkpoint's tensors, analysed or skipped, and a count. */
    static void checkpoint(PrintWriter out, List<Map<String, Object>> rows) {
        out.printf(Locale.ROOT, "%-32s %-14s %-5s %-8s %7s %11s %11s %6s %8s %5s  %s%n", "name", "shape", "dtype",
                "status", "gamma", "sigma2", "lambda+", "spikes", "fit err", "good", "ranks bema/gd/mp/e90");
        int analysed = 0;
        for (Map<String, Object> r : rows) {
            String shape = shapeText(r.get("shape"));
            if (!TensorResult.ANALYSED.equals(r.get("status"))) {
                out.printf(Locale.ROOT, "%-32s %-14s %-5s %-8s %s%s%n", name(r.get("name")), shape, r.get("dtype"),
                        r.get("status"), Printable.text(String.valueOf(r.get("reason")), false), cutRankNote(r));
                continue;
            }
            analysed++;
            Map<?, ?> ranks = (Map<?, ?>) r.get("ranks");
            out.printf(Locale.ROOT, "%-32s %-14s %-5s %-8s %7.4f %11.5g %11.5g %6s %8.4f %5s  %s/%s/%s/%s%s%n",
                    name(r.get("name")), shape, r.get("dtype"), r.get("status"), number(r.get("gamma")),
                    number(r.get("sigma2")), number(r.get("lambda_plus")), r.get("spikes"), number(r.get("fit_error")),
                    Boolean.TRUE.equals(r.get("good_fit")) ? "yes" : "no", ranks.get("bema"),
                    ranks.get("gavish_donoho"), ranks.get("mp_edge"), ranks.get("energy_90"), cutRankNote(r));
        }
        out.printf(Locale.ROOT, "%d tensors: %d analysed, %d skipped%n", rows.size(), analysed, rows.size() - analysed);
    }

    /** A name from a file, as {@link Printable#name} shows it. */
    private static String name(Object name) {
        return Printable.name(String.valueOf(name));
    }

    private static String cutRankNote(Map<String, Object> row) {
        return row.containsKey("compressed_rank") ? "  (cut to rank " + row.get("compressed_rank") + ")" : "";
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** A shape as {@code [4096,11008]}, from the row as built or as read back from a journal. */
    static String shapeText(Object shape) {
        if (shape instanceof long[] dims) {
            return Arrays.toString(dims).replace(" ", "");
        }
        return String.valueOf(shape).replace(" ", "");
    }
}
