package io.nnrmtsvd.report;

import static io.nnrmtsvd.report.HtmlReport.esc;

import io.nnrmtsvd.checkpoint.TensorResult;
import io.nnrmtsvd.io.JsonFields;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The HTML of a spectrum run's model summary ({@code spectrum_summary}) and of its tensors
 * ({@link TensorSection}): the summary, the plots against depth, one table row per tensor with every
 * metric, and the chosen tensors' spectra.
 */
final class TensorSectionHtml {
    /** Styles of the tensor table: compact, its header kept in view while its rows scroll. */
    static final String STYLE = """
            .scroll.tall { max-height: 78vh; overflow-y: auto; border: 1px solid var(--line); border-radius: 6px; }
            table.tensors { font-size: 12px; }
            table.tensors th, table.tensors td { padding: 4px 4px; }
            table.tensors thead th { position: sticky; top: 0; background: #fff; white-space: normal;
                                     vertical-align: bottom; }
            section#tensors { padding-left: 14px; padding-right: 14px; }
            table.tensors td.shape { min-width: 5.6em; }
            table.tensors td.name { min-width: 12em; max-width: 24em; overflow-wrap: break-word; }
            table.tensors td.wrap { min-width: 6em; }
            table.tensors td.ranks { white-space: normal; min-width: 7em; }
            #model-summary p.meta { margin-top: 12px; }
            table.tensors td.skipped { color: var(--muted); text-align: left; white-space: normal; }
            table.tensors tbody tr:hover { background: #f2f6fb; }
            p.why { margin: 0 0 6px; color: var(--muted); font-size: 13px; }
            p.note { margin: 4px 0 0; color: var(--muted); font-size: 13px; }
            """;
    /** Names listed under a rule of thumb before "and N more". */
    private static final int NAMES_SHOWN = 12;

    /** A metric column: header, the row key shown as its tooltip, and how a value is written. */
    private record Column(String header, String key, Function<Object, String> format) {
    }

    private static final List<Column> METRIC_COLUMNS = List.of(
            new Column("spikes", "spikes", TensorSectionHtml::integer),
            new Column("fit error", "fit_error", v -> significant(v, 3)),
            new Column("alpha", "alpha", v -> fixed(v, 2)),
            new Column("D", "D", v -> fixed(v, 3)),
            new Column("PL tail", "num_pl_spikes", TensorSectionHtml::integer),
            new Column("log λmax", "log_spectral_norm", v -> fixed(v, 2)),
            new Column("stable rank", "stable_rank", v -> significant(v, 3)),
            new Column("alpha weighted", "alpha_weighted", v -> fixed(v, 2)),
            new Column("MP softrank", "mp_softrank", v -> fixed(v, 3)),
            new Column("entropy", "entropy", v -> fixed(v, 3)),
            new Column("matrix rank", "matrix_rank", TensorSectionHtml::integer));

    private TensorSectionHtml() {
    }

    /** The model summary section, when the run has one over at least two tensors; adds it to the contents. */
    static void summary(StringBuilder h, Map<String, Object> metrics, Map<String, String> contents) {
        if (!(metrics.get("spectrum_summary") instanceof Map<?, ?> m)) {
            return;
        }
        Map<String, Object> s = JsonFields.object(m, "'spectrum_summary'");
        long analysed = JsonFields.integer(s, "analysed");
        if (analysed < 2) {
            return; // one matrix's figures are its row
        }
        contents.put("model-summary", "Model summary");
        h.append("<section id=\"model-summary\">\n<h2>Model summary</h2>\n<dl class=\"facts\">\n");
        HtmlReport.fact(h, "tensors", HtmlReport.integer(analysed) + " analysed, "
                + HtmlReport.integer(JsonFields.integer(s, "skipped")) + " skipped");
        names(h, "alpha < 2 (possibly over-trained)", JsonFields.array(s.get("alpha_below_2"), "'alpha_below_2'"));
        names(h, "alpha > 6 (possibly under-trained)", JsonFields.array(s.get("alpha_above_6"), "'alpha_above_6'"));
        h.append("</dl>\n<h3>Means over the analysed tensors</h3>\n<dl class=\"facts columns\">\n");
        Map<String, Object> means = JsonFields.object(s.get("means"), "'means'");
        for (String key : means.keySet()) {
            HtmlReport.fact(h, key.replace('_', ' '), HtmlReport.number(JsonFields.number(means, key)));
        }
        h.append("</dl>\n<p class=\"meta\">Each mean is over the tensors that have the metric. ")
                .append(esc(capitalised(JsonFields.text(s, "flags")))).append(": a layer can be fine with either.</p>\n")
                .append("</section>\n");
    }

    private static void names(StringBuilder h, String rule, List<Object> names) {
        StringBuilder text = new StringBuilder(names.isEmpty() ? "none" : HtmlReport.integer(names.size()) + ": ");
        for (int i = 0; i < Math.min(NAMES_SHOWN, names.size()); i++) {
            text.append(i == 0 ? "" : ", ").append(names.get(i));
        }
        if (names.size() > NAMES_SHOWN) {
            text.append(" and ").append(HtmlReport.integer(names.size() - NAMES_SHOWN)).append(" more");
        }
        HtmlReport.fact(h, rule, text.toString());
    }

    /** The depth plots, the table and the chosen spectra, as sections; adds them to the contents. */
    static void tensors(StringBuilder h, TensorSection t, InlineFigures images, Map<String, String> contents) {
        if (!t.depth().isEmpty()) {
            contents.put("depth", "Metrics by layer");
            h.append("<section id=\"depth\">\n<h2>Metrics by layer</h2>\n<p class=\"meta\">Layer index and role ")
                    .append("are read from the tensor names (Hugging Face, GPT-2, BERT, ResNet and timm schemes).</p>\n")
                    .append("<div class=\"figures\">\n");
            t.depth().forEach(f -> HtmlReport.figure(h, f, images));
            h.append("</div>\n</section>\n");
        }
        contents.put("tensors", t.title());
        table(h, t);
        if (!t.plotted().isEmpty()) {
            contents.put("tensor-spectra", "Spectra of chosen tensors");
            spectra(h, t, images);
        }
    }

    private static void table(StringBuilder h, TensorSection t) {
        long analysed = t.rows().stream().filter(TensorSectionHtml::analysed).count();
        boolean compressed = t.rows().stream().anyMatch(r -> r.containsKey("action"));
        h.append("<section id=\"tensors\">\n<h2>").append(esc(t.title())).append("</h2>\n<p class=\"meta\">")
                .append(HtmlReport.integer(t.rows().size())).append(" tensors: ").append(HtmlReport.integer(analysed))
                .append(" analysed, ").append(HtmlReport.integer(t.rows().size() - analysed)).append(" skipped. ")
                .append("Hover a heading for its key in the rows of <code>metrics.json</code>; eigenvalues s² are ")
                .append("WeightWatcher's units. Ranks: BEMA · Gavish–Donoho · MP edge · 90% energy.</p>\n")
                .append("<div class=\"scroll tall\"><table class=\"layers tensors\">\n<thead><tr>")
                .append("<th class=\"text\" title=\"name\">tensor</th><th class=\"text\" title=\"shape\">shape</th>")
                .append("<th class=\"text\" title=\"dtype\">dtype</th>");
        for (Column c : METRIC_COLUMNS) {
            h.append("<th title=\"").append(c.key()).append("\">").append(c.header()).append("</th>");
        }
        h.append("<th title=\"ranks\">ranks</th>");
        if (compressed) {
            h.append("<th class=\"text\" title=\"action, rank\">compressed</th>");
        }
        h.append("<th class=\"text\" title=\"alpha_flag\">note</th></tr></thead>\n<tbody>\n");
        int span = METRIC_COLUMNS.size() + 2 + (compressed ? 1 : 0);
        for (Map<String, Object> r : t.rows()) {
            h.append("<tr><td class=\"text name\">").append(breakable(String.valueOf(r.get("name"))))
                    .append("</td><td class=\"text shape\">").append(esc(shape(r.get("shape"))).replace(",", ",<wbr>"))
                    .append("</td><td class=\"text\">").append(esc(String.valueOf(r.get("dtype")))).append("</td>");
            if (!analysed(r)) {
                h.append("<td class=\"skipped\" colspan=\"").append(span).append("\">")
                        .append(esc(r.get("status") + ": " + r.get("reason"))).append("</td></tr>\n");
                continue;
            }
            for (Column c : METRIC_COLUMNS) {
                boolean bad = c.key().equals("alpha") && r.get("alpha_flag") != null
                        || c.key().equals("fit_error") && Boolean.FALSE.equals(r.get("good_fit"));
                h.append(bad ? "<td class=\"bad\">" : "<td>").append(c.format().apply(r.get(c.key()))).append("</td>");
            }
            h.append("<td class=\"ranks\">").append(ranks(r.get("ranks"))).append("</td>");
            if (compressed) {
                h.append("<td class=\"text\">").append(esc(compression(r))).append("</td>");
            }
            h.append("<td class=\"text wrap\">").append(esc(note(r))).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table></div>\n</section>\n");
    }

    private static void spectra(StringBuilder h, TensorSection t, InlineFigures images) {
        h.append("<section id=\"tensor-spectra\">\n<h2>Spectra of chosen tensors</h2>\n<p class=\"meta\">")
                .append(t.plotted().size() == t.rows().stream().filter(TensorSectionHtml::analysed).count()
                        ? "Every analysed tensor. "
                        : "The tensors a reader looks at first: the extremes of alpha, fit error, power-law distance, "
                                + "spikes and spectral norm, a tensor of median alpha, then tensors BEMA fitted badly, "
                                + "at most " + TensorPlotSelection.LIMIT + "; ")
                .append(t.globs().isEmpty() ? "<code>--plot GLOB</code> adds tensors by name."
                        : "and those matching <code>--plot " + esc(String.join(" ", t.globs())) + "</code>"
                                + (t.globMatchesLeftOut() > 0 ? " (the first " + TensorPlotSelection.LIMIT + "; "
                                        + HtmlReport.integer(t.globMatchesLeftOut()) + " more matched)" : "") + ".")
                .append(" Each: the spectrum with its Marchenko–Pastur fit, and its tail on log-log axes with the "
                        + "fitted power law.</p>\n");
        for (TensorSection.Plotted p : t.plotted()) {
            h.append("<h3><code>").append(esc(p.name())).append("</code></h3>\n<p class=\"why\">")
                    .append(esc(String.join("; ", p.why()))).append("</p>\n");
            if (!p.note().isEmpty()) {
                h.append("<p class=\"note\">No plots: ").append(esc(p.note())).append("</p>\n");
                continue;
            }
            h.append("<div class=\"figures\">\n");
            p.figures().forEach(f -> HtmlReport.figure(h, f, images));
            h.append("</div>\n");
        }
        h.append("</section>\n");
    }

    /** A name escaped, with line breaks allowed after its dots rather than anywhere. */
    private static String breakable(String name) {
        return esc(name).replace(".", ".<wbr>");
    }

    private static boolean analysed(Map<String, Object> row) {
        return TensorResult.ANALYSED.equals(row.getOrDefault("status", TensorResult.ANALYSED));
    }

    private static String note(Map<String, Object> r) {
        List<String> parts = new ArrayList<>();
        if (r.get("alpha_flag") != null) {
            parts.add(String.valueOf(r.get("alpha_flag")));
        } else if (r.get("heavy_tail_reason") != null) {
            parts.add("no power law: " + r.get("heavy_tail_reason"));
        }
        if (r.get("compressed_rank") != null) {
            parts.add("cut to rank " + r.get("compressed_rank"));
        }
        if (r.get("per_kernel") instanceof Map<?, ?> kernel) {
            parts.add("per kernel: alpha " + fixed(kernel.get("alpha"), 2) + ", D " + fixed(kernel.get("D"), 3));
        }
        if (r.get("rand_distance") != null) {
            parts.add("randomised: distance " + fixed(r.get("rand_distance"), 3) + ", "
                    + integer(r.get("num_traps")) + " traps");
        }
        return String.join("; ", parts);
    }

    private static String compression(Map<String, Object> r) {
        Object action = r.get("action");
        return r.get("rank") instanceof Number k && !"unchanged".equals(action) ? action + ", rank " + k
                : String.valueOf(action);
    }

    private static String ranks(Object ranks) {
        if (!(ranks instanceof Map<?, ?> m)) {
            return "–";
        }
        StringBuilder s = new StringBuilder();
        for (String rule : List.of("bema", "gavish_donoho", "mp_edge", "energy_90")) {
            s.append(s.length() == 0 ? "" : " · ").append(integer(m.get(rule)));
        }
        return s.toString();
    }

    private static String shape(Object shape) {
        return shape instanceof List<?> dims ? dims.toString().replace(" ", "") : String.valueOf(shape);
    }

    private static String integer(Object v) {
        return v instanceof Number n ? HtmlReport.integer(n.longValue()) : "–";
    }

    private static String fixed(Object v, int decimals) {
        return v instanceof Number n && Double.isFinite(n.doubleValue())
                ? String.format(Locale.ROOT, "%." + decimals + "f", n.doubleValue()) : "–";
    }

    /** {@code digits} significant digits in plain notation, in powers of ten far from 1. */
    private static String significant(Object v, int digits) {
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            return "–";
        }
        double x = n.doubleValue();
        double a = Math.abs(x);
        if (x != 0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%." + (digits - 1) + "e", x);
        }
        return new BigDecimal(x).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
