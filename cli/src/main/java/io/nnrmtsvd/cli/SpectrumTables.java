package io.nnrmtsvd.cli;

import io.nnrmtsvd.checkpoint.TensorResult;
import io.nnrmtsvd.io.Printable;
import io.nnrmtsvd.run.SpectrumSummary;
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
        out.printf(Locale.ROOT, "%-28s %11s %7s %11s %11s %10s %6s %8s %5s %11s %6s  %s%n", "name", "shape", "gamma",
                "sigma2", "lambda+", "s+", "spikes", "fit err", "good", "max eig", "alpha", "ranks bema/gd/mp/e90");
        for (Map<String, Object> r : rows) {
            Map<?, ?> ranks = (Map<?, ?>) r.get("ranks");
            out.printf(Locale.ROOT, "%-28s %11s %7.4f %11.5g %11.5g %10.5g %6d %8.4f %5s %11.5g %6s  %s/%s/%s/%s%n",
                    name(r.get("name")), r.get("rows") + "x" + r.get("cols"), r.get("gamma"), r.get("sigma2"),
                    r.get("lambda_plus"), r.get("s_plus"), r.get("spikes"), r.get("fit_error"),
                    (Boolean) r.get("good_fit") ? "yes" : "no", r.get("largest_eigenvalue"), alpha(r),
                    ranks.get("bema"), ranks.get("gavish_donoho"), ranks.get("mp_edge"), ranks.get("energy_90"));
        }
    }

    /** Rows of a checkpoint's tensors, analysed or skipped, and a count. */
    static void checkpoint(PrintWriter out, List<Map<String, Object>> rows) {
        out.printf(Locale.ROOT, "%-32s %-14s %-5s %-8s %7s %11s %11s %6s %8s %5s %6s  %s%n", "name", "shape", "dtype",
                "status", "gamma", "sigma2", "lambda+", "spikes", "fit err", "good", "alpha", "ranks bema/gd/mp/e90");
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
            out.printf(Locale.ROOT, "%-32s %-14s %-5s %-8s %7.4f %11.5g %11.5g %6s %8.4f %5s %6s  %s/%s/%s/%s%s%n",
                    name(r.get("name")), shape, r.get("dtype"), r.get("status"), number(r.get("gamma")),
                    number(r.get("sigma2")), number(r.get("lambda_plus")), r.get("spikes"), number(r.get("fit_error")),
                    Boolean.TRUE.equals(r.get("good_fit")) ? "yes" : "no", alpha(r), ranks.get("bema"),
                    ranks.get("gavish_donoho"), ranks.get("mp_edge"), ranks.get("energy_90"), cutRankNote(r));
        }
        out.printf(Locale.ROOT, "%d tensors: %d analysed, %d skipped%n", rows.size(), analysed, rows.size() - analysed);
    }

    /**
     * The model summary under a table of several tensors: the mean alpha and the tensors the rules
     * of thumb flag (at most five named each), said to be rules of thumb.
     */
    static void summary(PrintWriter out, SpectrumSummary summary) {
        Double alpha = summary.means().get("alpha");
        if (alpha == null || summary.counts().get("alpha") < 2) {
            return; // one matrix's alpha is in its row
        }
        out.printf(Locale.ROOT, "alpha: mean %.2f over %s; below 2: %s; above 6: %s%n", alpha,
                Messages.count(summary.counts().get("alpha"), "tensor"), named(summary.alphaBelow2()),
                named(summary.alphaAbove6()));
        if (!summary.alphaBelow2().isEmpty() || !summary.alphaAbove6().isEmpty()) {
            out.println("  rules of thumb, not tests: below 2 possibly over-trained, above 6 possibly under-trained");
        }
    }

    private static String named(List<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        List<String> shown = names.stream().limit(5).map(SpectrumTables::name).toList();
        return names.size() + " (" + String.join(", ", shown) + (names.size() > shown.size() ? ", ..." : "") + ")";
    }

    private static String alpha(Map<String, Object> row) {
        return row.get("alpha") instanceof Number n ? String.format(Locale.ROOT, "%.2f", n.doubleValue()) : "-";
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
