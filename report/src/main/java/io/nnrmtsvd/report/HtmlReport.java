package io.nnrmtsvd.report;

import io.nnrmtsvd.io.JsonFields;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML of a run's report: one self-contained page. Images are inline SVG markup (their
 * repeated glyph outlines stored once, {@link InlineFigures}), the style sheet is inline, there is
 * no script, and a Content-Security-Policy forbids loading anything else, so the page reads the
 * same offline. A table of contents leads to every section. Links to the run's CSV, SVG and PNG
 * files are relative.
 */
final class HtmlReport {
    /** Allows nothing but inline styles and data: images. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

    private static final String STYLE = """
            :root { --ink: #1f2933; --muted: #5b6776; --line: #e2e6eb; --accent: #2f6db5; --page: #f5f6f8; }
            * { box-sizing: border-box; }
            body { margin: 0; background: var(--page); color: var(--ink);
                   font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
            main { max-width: 1180px; margin: 0 auto; padding: 32px 24px 64px; }
            nav.toc { margin: 14px 0 0; font-size: 14px; }
            nav.toc ol { margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 4px 18px; }
            svg.shared { position: absolute; }
            h1 { font-size: 26px; margin: 0 0 4px; }
            h2 { font-size: 19px; margin: 0 0 14px; }
            h3 { font-size: 15px; margin: 22px 0 10px; }
            .meta { color: var(--muted); margin: 0; }
            #run p.meta { margin-top: 12px; }
            section { background: #fff; border: 1px solid var(--line); border-radius: 10px;
                      padding: 20px 24px; margin-top: 22px; }
            dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 24px; margin: 0; }
            dl.facts.columns { grid-template-columns: repeat(auto-fill, minmax(130px, max-content) minmax(150px, 1fr)); }
            dl.facts dt { color: var(--muted); }
            dl.facts dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
            .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 20px;
                       margin-top: 18px; }
            figure { margin: 0; max-width: 720px; }
            figure > svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
            figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
            a { color: var(--accent); }
            .scroll { overflow-x: auto; }
            table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
            th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap;
                     vertical-align: top; }
            th.text, td.text { text-align: left; }
            td.name { white-space: normal; overflow-wrap: break-word; max-width: 22em; }
            td.wrap { white-space: normal; min-width: 10em; }
            thead th { color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); }
            .good { color: #23794a; }
            .bad { color: #b3261e; }
            code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
            pre { background: #f2f4f7; padding: 10px 12px; border-radius: 6px; overflow-x: auto; margin: 0 0 14px; }
            """;

    private HtmlReport() {
    }

    /**
     * The page.
     *
     * @param metrics the parsed metrics document
     * @param overview plots of curves, shown first
     * @param spectra groups of layer spectra, each with its table
     * @param tensors the tensors of a checkpoint run; null when there are none
     * @param svgs the SVG text of every figure, by figure id
     */
    static String html(Map<String, Object> metrics, List<Figure> overview, List<SpectrumGroup> spectra,
                       TensorSection tensors, Map<String, String> svgs) {
        String command = JsonFields.text(metrics, "command");
        String time = JsonFields.text(metrics, "utc_time");
        InlineFigures images = InlineFigures.of(svgs);
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CONTENT_SECURITY_POLICY)
                .append("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>rmtsvd ").append(esc(command)).append(" · ").append(esc(time)).append("</title>\n")
                .append("<style>\n").append(STYLE).append(TensorSectionHtml.STYLE).append(images.styles()).append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<header>\n<h1>rmtsvd ").append(esc(command)).append("</h1>\n<p class=\"meta\">")
                .append(esc(time.replace('T', ' ').replace("Z", " UTC"))).append(" · version ")
                .append(esc(JsonFields.text(metrics, "version"))).append("</p>\n</header>\n");
        h.append(images.definitions());
        StringBuilder body = new StringBuilder();
        Map<String, String> contents = new java.util.LinkedHashMap<>();
        if (summary(body, metrics)) {
            contents.put("summary", "Summary");
        }
        if (!overview.isEmpty()) {
            contents.put("plots", "Plots");
            body.append("<section id=\"plots\">\n<h2>Plots</h2>\n<div class=\"figures\">\n");
            overview.forEach(f -> figure(body, f, images));
            body.append("</div>\n</section>\n");
        }
        tables(body, metrics, contents);
        TensorSectionHtml.summary(body, metrics, contents);
        if (tensors != null) {
            TensorSectionHtml.tensors(body, tensors, images, contents);
        }
        for (SpectrumGroup g : spectra) {
            contents.put("spectra-" + g.id(), g.title());
            spectrumGroup(body, g, images);
        }
        contents.put("run", "Run");
        run(body, metrics);
        if (contents.size() > 2) {
            h.append("<nav class=\"toc\" aria-label=\"Contents\"><ol>");
            contents.forEach((id, title) -> h.append("<li><a href=\"#").append(id).append("\">").append(esc(title))
                    .append("</a></li>"));
            h.append("</ol></nav>\n");
        }
        h.append(body);
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    /** The summary section, if there is anything to sum up; whether there was. */
    private static boolean summary(StringBuilder h, Map<String, Object> metrics) {
        StringBuilder facts = new StringBuilder();
        if (metrics.get("result") instanceof Map<?, ?> result) {
            for (Map.Entry<?, ?> e : result.entrySet()) {
                Object v = e.getValue();
                if (v instanceof Number || v instanceof String || v instanceof Boolean) {
                    fact(facts, e.getKey().toString().replace('_', ' '), value(e.getKey().toString(), v));
                } else if (v instanceof List<?> list && !list.isEmpty()
                        && list.stream().allMatch(x -> x instanceof Number)) {
                    fact(facts, e.getKey().toString().replace('_', ' '),
                            String.join(", ", list.stream().map(Object::toString).toList()));
                }
            }
        }
        if (metrics.get("accuracy_by_epoch") != null) {
            for (Object o : JsonFields.array(metrics.get("accuracy_by_epoch"), "'accuracy_by_epoch'")) {
                Map<String, Object> c = JsonFields.object(o, "an accuracy_by_epoch entry");
                double[] acc = JsonFields.numbers(c, "test_accuracy");
                if (acc.length > 0) {
                    fact(facts, "final test accuracy, " + JsonFields.text(c, "name"), percent(acc[acc.length - 1]));
                }
            }
        }
        if (facts.length() > 0) {
            h.append("<section id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"facts\">\n").append(facts)
                    .append("</dl>\n</section>\n");
        }
        return facts.length() > 0;
    }

    private static void tables(StringBuilder h, Map<String, Object> metrics, Map<String, String> contents) {
        if (metrics.get("tables") == null) {
            return;
        }
        int n = 0;
        for (Object o : JsonFields.array(metrics.get("tables"), "'tables'")) {
            Map<String, Object> t = JsonFields.object(o, "a tables entry");
            String id = "table-" + ++n;
            contents.put(id, JsonFields.text(t, "title"));
            h.append("<section id=\"").append(id).append("\">\n<h2>").append(esc(JsonFields.text(t, "title")))
                    .append("</h2>\n<div class=\"scroll\"><table class=\"data\">\n<thead><tr>");
            List<Object> header = JsonFields.array(t.get("header"), "'header'");
            List<Object> rows = JsonFields.array(t.get("rows"), "'rows'");
            List<Object> firstRow = rows.isEmpty() ? List.of() : JsonFields.array(rows.get(0), "a row");
            for (int i = 0; i < header.size(); i++) {
                boolean text = i < firstRow.size() && firstRow.get(i) instanceof String;
                h.append(text ? "<th class=\"text\">" : "<th>").append(esc(String.valueOf(header.get(i))))
                        .append("</th>");
            }
            h.append("</tr></thead>\n<tbody>\n");
            for (Object row : rows) {
                h.append("<tr>");
                for (Object cell : JsonFields.array(row, "a row")) {
                    h.append(cell instanceof String ? "<td class=\"text wrap\">" : "<td>").append(esc(value("", cell)))
                            .append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</tbody>\n</table></div>\n</section>\n");
        }
    }

    private static void spectrumGroup(StringBuilder h, SpectrumGroup g, InlineFigures svgs) {
        h.append("<section class=\"spectra\" id=\"spectra-").append(g.id()).append("\">\n<h2>")
                .append(esc(g.title())).append("</h2>\n<div class=\"scroll\"><table class=\"layers\">\n<thead><tr>")
                .append("<th class=\"text\">layer</th><th>shape</th><th>gamma</th><th>sigma2</th>")
                .append("<th>lambda_plus</th><th>spikes</th><th>fit error</th><th>good fit</th>")
                .append("<th class=\"text\">ranks</th><th class=\"text\">action</th></tr></thead>\n<tbody>\n");
        for (LayerSpectrum s : g.layers()) {
            StringBuilder ranks = new StringBuilder();
            s.ranks().forEach((rule, rank) -> ranks.append(ranks.length() == 0 ? "" : ", ")
                    .append(rule.replace('_', ' ')).append(' ').append(integer(rank)));
            h.append("<tr><td class=\"text name\">").append(breakable(s.name())).append("</td><td>").append(s.rows())
                    .append("×").append(s.cols()).append("</td><td>").append(number(s.gamma()))
                    .append("</td><td>").append(number(s.sigma2())).append("</td><td>").append(number(s.lambdaPlus()))
                    .append("</td><td>").append(s.fitted() ? Integer.toString(s.spikes()) : "–").append("</td><td>")
                    .append(number(s.fitError())).append("</td><td class=\"").append(s.goodFit() ? "good" : "bad")
                    .append("\">").append(s.fitted() ? (s.goodFit() ? "yes" : "no") : "–")
                    .append("</td><td class=\"text wrap\">").append(esc(ranks.toString()))
                    .append("</td><td class=\"text wrap\">").append(esc(s.action().isEmpty() ? "–" : s.action()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table></div>\n");
        if (!g.figures().isEmpty()) {
            h.append("<div class=\"figures\">\n");
            g.figures().forEach(f -> figure(h, f, svgs));
            h.append("</div>\n");
        }
        h.append("</section>\n");
    }

    private static void run(StringBuilder h, Map<String, Object> metrics) {
        h.append("<section id=\"run\">\n<h2>Run</h2>\n<pre><code>rmtsvd");
        for (Object arg : JsonFields.array(metrics.get("arguments"), "'arguments'")) {
            h.append(' ').append(esc(shellQuote(String.valueOf(arg))));
        }
        h.append("</code></pre>\n<dl class=\"facts columns\">\n");
        Map<?, ?> config = metrics.get("result") instanceof Map<?, ?> result
                && result.get("config") instanceof Map<?, ?> c ? c : Map.of();
        // A run over several seeds lists them all; its first seed alone would say less, twice.
        Object seed = config.containsKey("seeds") ? null : metrics.get("seed");
        if (seed != null) {
            fact(h, "seed", seed.toString());
        }
        config.forEach((k, v) -> {
            if (!(k.equals("seed") && seed != null)) {
                fact(h, k.toString().replace('_', ' '), value(k.toString(), v));
            }
        });
        Map<String, Object> machine = JsonFields.object(metrics.get("machine"), "'machine'");
        machine.forEach((k, v) -> fact(h, k.replace('_', ' '), value(k, v)));
        h.append("</dl>\n<p class=\"meta\">Everything here is drawn from <a href=\"").append(RunReport.METRICS_FILE)
                .append("\">").append(RunReport.METRICS_FILE).append("</a>; <code>rmtsvd report DIR</code> ")
                .append("draws it again.</p>\n</section>\n");
    }

    static void figure(StringBuilder h, Figure f, InlineFigures svgs) {
        h.append("<figure id=\"fig-").append(f.id()).append("\" aria-label=\"").append(esc(f.chart().getTitle()))
                .append("\">").append(svgs.figure(f.id())).append("<figcaption>").append(esc(f.caption())).append(" <a href=\"").append(f.id())
                .append(".csv\">data</a> · <a href=\"").append(f.id()).append(".png\">png</a> · <a href=\"")
                .append(f.id()).append(".svg\">svg</a></figcaption></figure>\n");
    }

    static void fact(StringBuilder h, String name, String value) {
        h.append("<dt>").append(esc(name)).append("</dt><dd>").append(esc(value)).append("</dd>\n");
    }

    private static String value(String key, Object v) {
        if (v == null) {
            return "–";
        }
        if (v instanceof Double d) {
            return key.contains("accuracy") ? percent(d) : number(d);
        }
        if ((v instanceof Long || v instanceof Integer) && !key.contains("seed")) {
            long n = ((Number) v).longValue();
            return n == Integer.MAX_VALUE ? "no limit" : integer(n);
        }
        if (v instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(x -> x instanceof Number)) {
            return String.join(", ", list.stream().map(Object::toString).toList());
        }
        return v.toString();
    }

    /** An integer as every number in the report: with thousands separators, as the captions write them. */
    static String integer(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    /** Four significant digits, plain notation for moderate magnitudes. */
    static String number(double x) {
        if (!Double.isFinite(x)) {
            return "–";
        }
        if (x == 0) {
            return "0";
        }
        double a = Math.abs(x);
        if (a >= 1e6 || a < 1e-4) {
            return String.format(Locale.ROOT, "%.4g", x);
        }
        return new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String shellQuote(String arg) {
        return arg.matches("[A-Za-z0-9_./:=,+@%-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    /** A name from a file, escaped, that may break after its dots and underscores (tensor names are long). */
    private static String breakable(String name) {
        return esc(name).replace(".", ".<wbr>").replace("_", "_<wbr>");
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
