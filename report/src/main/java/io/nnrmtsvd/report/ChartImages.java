package io.nnrmtsvd.report;

import java.awt.Dimension;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.apache.batik.svggen.SVGIDGenerator;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Renders charts headless: SVG by painting the chart onto Batik's {@code SVGGraphics2D}, PNG from
 * XChart's bitmap encoder. XChart draws its labels as glyph outlines, so both images look the same
 * wherever they are viewed, but drawing them needs fonts on this machine (on a bare Debian:
 * {@code fontconfig} and {@code fonts-dejavu-core}).
 */
public final class ChartImages {
    private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE[^>]*>\\s*");
    private static final Pattern INDENT_BETWEEN_TAGS = Pattern.compile(">\\s*\n\\s*<");
    private static final Pattern INDENT_BEFORE_CLOSE = Pattern.compile("\\s*\n\\s*(/?>)");

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ChartImages() {
    }

    /** The chart as a standalone SVG document of the chart's size. */
    public static String svg(Chart<?, ?> chart) {
        return svg(chart, "c");
    }

    /**
     * The chart as an SVG document of the chart's size that scales (it has a viewBox), whose element
     * ids all start with {@code idPrefix} so that several can sit in one HTML page. Coordinates are
     * rounded to a tenth of a pixel and the markup is not indented.
     */
    public static String svg(Chart<?, ?> chart, String idPrefix) {
        Document document;
        try {
            document = DocumentBuilderFactory.newInstance().newDocumentBuilder().getDOMImplementation()
                    .createDocument("http://www.w3.org/2000/svg", "svg", null);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no XML document builder", e);
        }
        SVGGeneratorContext context = SVGGeneratorContext.createDefault(document);
        context.setComment(null);
        context.setPrecision(1);
        context.setIDGenerator(new SVGIDGenerator() {
            @Override
            public String generateID(String prefix) {
                return super.generateID(idPrefix + "-" + prefix);
            }
        });
        SVGGeneratorContext.GraphicContextDefaults defaults = new SVGGeneratorContext.GraphicContextDefaults();
        defaults.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        context.setGraphicContextDefaults(defaults);
        SVGGraphics2D g = new SVGGraphics2D(context, false);
        g.setSVGCanvasSize(new Dimension(chart.getWidth(), chart.getHeight()));
        chart.paint(g, chart.getWidth(), chart.getHeight());
        Element root = g.getRoot();
        root.setAttributeNS(null, "viewBox", "0 0 " + chart.getWidth() + " " + chart.getHeight());
        StringWriter out = new StringWriter();
        try {
            g.stream(root, out, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            g.dispose();
        }
        // Batik names an external DTD; browsers ignore it, but a self-contained file should not name it.
        // Batik names its top definitions "genericDefs" whatever the generator says.
        String svg = DOCTYPE.matcher(out.toString()).replaceFirst("")
                .replace("id=\"genericDefs\"", "id=\"" + idPrefix + "-genericDefs\"");
        return INDENT_BEFORE_CLOSE.matcher(INDENT_BETWEEN_TAGS.matcher(svg).replaceAll("><")).replaceAll("$1");
    }

    /** The chart as a PNG image of the chart's size. */
    public static byte[] png(Chart<?, ?> chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            // XChart 4.0.3 deprecates its byte and stream encoders; its image plus ImageIO is the same PNG.
            ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
