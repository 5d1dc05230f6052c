package io.nnrmtsvd.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The data behind a figure: named columns and rows of numbers or text, written as CSV (RFC 4180,
 * numbers in Java's shortest round-trip form, non-finite numbers as empty fields).
 *
 * @param header column names
 * @param rows each as long as the header; copied and unmodifiable
 */
public record Table(List<String> header, List<List<Object>> rows) {
    public Table {
        header = List.copyOf(header);
        List<List<Object>> copy = new ArrayList<>();
        for (List<Object> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row of " + row.size() + " fields under " + header.size()
                        + " columns");
            }
            copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = List.copyOf(copy);
    }

    /** The table as CSV text, header first, lines ending in {@code \n}. */
    public String toCsv() {
        StringBuilder csv = new StringBuilder();
        line(csv, new ArrayList<>(header));
        for (List<Object> row : rows) {
            line(csv, row);
        }
        return csv.toString();
    }

    private static void line(StringBuilder csv, List<Object> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(field(fields.get(i)));
        }
        csv.append('\n');
    }

    private static String field(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return Double.isFinite(d) ? d.toString() : "";
        }
        String text = value.toString();
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
