package io.nnrmtsvd.report;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SVG images of one HTML page, their repeated parts stored once. XChart draws every label as
 * the outline of its glyphs, so the same tick label or axis title is the same long path in many
 * figures: each such path goes once into a hidden definitions block and every figure refers to it
 * with {@code <use>}. Batik writes every element's style in full: each style used more than once
 * becomes a class of the page's style sheet. The drawing stays the same; the page is a third as large.
 */
final class InlineFigures {
    /** A path element: what comes before its outline, the outline, what comes after. */
    private static final Pattern PATH = Pattern.compile("<path([^>]*?) d=\"([^\"]*[QC][^\"]*)\"([^>]*?)/>");
    private static final Pattern STYLE = Pattern.compile(" style=\"([^\"]*)\"");
    private static final Pattern XML_DECLARATION = Pattern.compile("<\\?xml[^>]*\\?>\\s*");
    /** Outlines shorter than this cost less inline than as a reference. */
    private static final int MIN_SHARED_LENGTH = 60;

    private final Map<String, String> inline = new LinkedHashMap<>();
    private final StringBuilder definitions = new StringBuilder();
    private final StringBuilder styles = new StringBuilder();

    private InlineFigures() {
    }

    /**
     * The figures' SVG documents (by figure id) for one page.
     *
     * @param svgs standalone SVG documents whose ids are unique across the page
     */
    static InlineFigures of(Map<String, String> svgs) {
        Map<String, Integer> uses = new HashMap<>();
        Map<String, Integer> styleUses = new HashMap<>();
        for (String svg : svgs.values()) {
            Matcher m = PATH.matcher(svg);
            while (m.find()) {
                uses.merge(m.group(2), 1, Integer::sum);
            }
            Matcher st = STYLE.matcher(svg);
            while (st.find()) {
                styleUses.merge(st.group(1), 1, Integer::sum);
            }
        }
        InlineFigures page = new InlineFigures();
        Map<String, String> classes = new HashMap<>();
        Map<String, String> ids = new HashMap<>();
        for (Map.Entry<String, String> figure : svgs.entrySet()) {
            Matcher m = PATH.matcher(XML_DECLARATION.matcher(figure.getValue()).replaceFirst(""));
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String outline = m.group(2);
                if (uses.get(outline) < 2 || outline.length() < MIN_SHARED_LENGTH) {
                    m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                    continue;
                }
                String id = ids.computeIfAbsent(outline, o -> {
                    String next = "glyphs-" + (ids.size() + 1);
                    page.definitions.append("<path id=\"").append(next).append("\" d=\"").append(o).append("\"/>");
                    return next;
                });
                m.appendReplacement(out, Matcher.quoteReplacement("<use href=\"#" + id + "\"" + m.group(1) + m.group(3)
                        + "/>"));
            }
            m.appendTail(out);
            page.inline.put(figure.getKey(), page.classes(out.toString(), styleUses, classes));
        }
        return page;
    }

    /** {@code svg} with each style used more than once in the page replaced by its class. */
    private String classes(String svg, Map<String, Integer> styleUses, Map<String, String> classes) {
        Matcher m = STYLE.matcher(svg);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String style = m.group(1);
            if (styleUses.get(style) < 2) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            String name = classes.computeIfAbsent(style, st -> {
                String next = "fs" + (classes.size() + 1);
                styles.append('.').append(next).append(" { ").append(st).append(" }\n");
                return next;
            });
            m.appendReplacement(out, " class=\"" + name + "\"");
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The style sheet of the classes the figures use, for the page's head. */
    String styles() {
        return styles.toString();
    }

    /** The markup of figure {@code id}, to put in the page. */
    String figure(String id) {
        return inline.get(id);
    }

    /** A hidden SVG element holding the shared outlines, to put in the page before any figure. */
    String definitions() {
        return definitions.length() == 0 ? ""
                : "<svg class=\"shared\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs>" + definitions
                        + "</defs></svg>\n";
    }
}
