package io.nnrmtsvd.report;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SVG images of one HTML page with their repeated outlines stored once. XChart draws every
 * label as the outline of its glyphs, so the same tick label or axis title is the same long path in
 * many figures; each such path goes once into a hidden definitions block and every figure refers to
 * it with {@code <use>}, which keeps the drawing identical and the page about half as large.
 */
final class SharedGlyphs {
    /** A path element: what comes before its outline, the outline, what comes after. */
    private static final Pattern PATH = Pattern.compile("<path([^>]*?) d=\"([^\"]*[QC][^\"]*)\"([^>]*?)/>");
    private static final Pattern XML_DECLARATION = Pattern.compile("<\\?xml[^>]*\\?>\\s*");
    /** Outlines shorter than this cost less inline than as a reference. */
    private static final int MIN_SHARED_LENGTH = 60;

    private final Map<String, String> inline = new LinkedHashMap<>();
    private final StringBuilder definitions = new StringBuilder();

    private SharedGlyphs() {
    }

    /**
     * The figures' SVG documents (by figure id) for one page.
     *
     * @param svgs standalone SVG documents whose ids are unique across the page
     */
    static SharedGlyphs of(Map<String, String> svgs) {
        Map<String, Integer> uses = new HashMap<>();
        for (String svg : svgs.values()) {
            Matcher m = PATH.matcher(svg);
            while (m.find()) {
                uses.merge(m.group(2), 1, Integer::sum);
            }
        }
        SharedGlyphs page = new SharedGlyphs();
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
            page.inline.put(figure.getKey(), out.toString());
        }
        return page;
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
