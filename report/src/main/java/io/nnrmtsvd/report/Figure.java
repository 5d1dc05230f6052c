package io.nnrmtsvd.report;

import org.knowm.xchart.internal.chartpart.Chart;

/**
 * One plot of a report: the chart and the table of exactly what it draws.
 *
 * @param id file name stem, unique within a run ({@code <id>.svg}, {@code .png}, {@code .csv})
 * @param caption one sentence under the plot in the HTML report
 * @param chart the XChart chart
 * @param data every point the chart draws
 */
public record Figure(String id, String caption, Chart<?, ?> chart, Table data) {
    public Figure {
        if (!id.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new IllegalArgumentException("figure id must be lower-case letters, digits, '.', '_' or '-': " + id);
        }
    }
}
