package io.nnrmtsvd.report;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.RandomMatrices;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Synthetic layers, run metrics and image checks for report tests. */
public final class ReportFixtures {
    /** The time every synthetic run claims. */
    public static final Instant TIME = Instant.parse("2026-11-25T10:11:12Z");

    private ReportFixtures() {
    }

    /** A 300 x 200 N(0, 1) matrix with {@code spikes} strong planted directions, analysed with default BEMA. */
    public static LayerSpectrum noisyLayer(String name, int spikes, long seed) {
        DMatrix w = RandomMatrices.gaussian(new SplittableRandom(seed), 300, 200, 1.0);
        for (int i = 0; i < 300; i++) {
            for (int k = 0; k < spikes; k++) {
                if (i % spikes == k) {
                    w.data()[i * 200 + k] += 5.0 + k;
                }
            }
        }
        return LayerSpectrum.of(name, SpectrumAnalysis.of(w, Bema.create()));
    }

    /** Metrics with every kind of section: curves, a sweep, seeds, parameters, a table and two spectrum groups. */
    public static RunMetrics fullMetrics() {
        RunMetrics m = RunMetrics.start("train", List.of("train", "--epochs", "3"), "test", 7L, TIME,
                Map.of("dataset", "synthetic"));
        m.accuracyByEpoch("baseline", new int[] {1, 2, 3}, new double[] {0.85, 0.86, 0.87});
        m.accuracyByEpoch("pruned", new int[] {1, 2, 3}, new double[] {0.95, 0.97, 0.975});
        m.rankSweep("layer 0", new int[] {0, 5, 10, 15}, new double[] {0.09, 0.55, 0.9, 0.97}, 12, 0.98);
        m.finalAccuracies("baseline", new double[] {0.86, 0.87, 0.865, 0.88, 0.872});
        m.finalAccuracies("pruned", new double[] {0.97, 0.975, 0.972, 0.96, 0.968});
        m.parameters(List.of(new LayerParameters("0: 200→300", 60_300, 25_300),
                new LayerParameters("1: 300→10", 3_010, 3_010)));
        m.table("Prunes", new Table(List.of("before epoch", "widths"), List.of(List.of(1, "200-300-10"))));
        m.spectra("First prune", List.of(noisyLayer("layer 0", 3, 1), noisyLayer("layer 1", 1, 2)));
        m.spectra("Final network", List.of(noisyLayer("layer 0", 2, 3),
                new LayerSpectrum("layer 1", 10, 300, Double.NaN, Double.NaN, 0, Double.NaN, false, Map.of(),
                        "not fitted: too small", new double[0])));
        return m;
    }

    public static BufferedImage png(byte[] bytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        if (image == null) {
            throw new IOException("not an image");
        }
        return image;
    }

    /** Share of pixels that are not (nearly) white. */
    public static double inkShare(BufferedImage image) {
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                if (c.getRed() + c.getGreen() + c.getBlue() < 3 * 240) {
                    ink++;
                }
            }
        }
        return (double) ink / ((long) image.getWidth() * image.getHeight());
    }

    /** Pixels within {@code tolerance} of {@code color} in every channel. */
    public static int pixelsNear(BufferedImage image, Color color, int tolerance) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                if (Math.abs(c.getRed() - color.getRed()) <= tolerance
                        && Math.abs(c.getGreen() - color.getGreen()) <= tolerance
                        && Math.abs(c.getBlue() - color.getBlue()) <= tolerance) {
                    count++;
                }
            }
        }
        return count;
    }
}
