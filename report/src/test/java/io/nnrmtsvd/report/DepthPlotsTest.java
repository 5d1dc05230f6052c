package io.nnrmtsvd.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;

class DepthPlotsTest {
    private static Map<String, Object> row(String name, Double alpha) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("status", "analysed");
        r.put("alpha", alpha);
        r.put("log_spectral_norm", 0.5);
        r.put("spikes", 3L);
        r.put("fit_error", 0.02);
        return r;
    }

    @Test
    void oneLinePerRoleAgainstTheLayerIndex() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int layer = 2; layer >= 0; layer--) { // rows in any order
            rows.add(row("model.layers." + layer + ".self_attn.q_proj.weight", 2.0 + layer));
            rows.add(row("model.layers." + layer + ".mlp.up_proj.weight", 5.0 - layer));
        }
        rows.add(row("model.embed_tokens.weight", 3.0));
        rows.add(row("model.layers.3.mlp.up_proj.weight", null)); // no power law: left out of the alpha plot only
        rows.add(Map.of("name", "model.layers.3.input_layernorm.weight", "status", "skipped", "reason", "1-D"));

        List<Figure> figures = DepthPlots.of("t-", rows);
        assertEquals(List.of("t-depth-alpha", "t-depth-log-spectral-norm", "t-depth-spikes", "t-depth-fit-error"),
                figures.stream().map(Figure::id).toList());
        Map<String, List<double[]>> alpha = PlotsTest.series(figures.get(0).data());
        assertEquals(List.of("q", "up", "alpha = 2", "alpha = 6"), List.copyOf(alpha.keySet()),
                "alphas from 2 to 5: both rules of thumb near");
        assertArrayEquals(new double[] {0, 2, 1, 3, 2, 4}, flat(alpha.get("q")), 0.0, "(layer, alpha), by layer");
        assertArrayEquals(new double[] {0, 5, 1, 4, 2, 3}, flat(alpha.get("up")), 0.0);
        assertEquals(4, PlotsTest.series(figures.get(1).data()).get("up").size(), "layer 3's up has a norm");
        assertTrue(figures.get(0).caption().contains("1 analysed tensor outside numbered layers"),
                figures.get(0).caption());
        assertEquals(XYSeriesRenderStyle.Line,
                ((XYChart) figures.get(0).chart()).getSeries("q").getXYSeriesRenderStyle().orElseThrow());
        assertTrue(ReportFixtures.inkShare(ReportFixtures.png(ChartImages.png(figures.get(0).chart()))) > 0.02);
    }

    @Test
    void severalTensorsOfARoleInOneLayerAreDotsAndNamesWithoutLayersGiveNoPlots() {
        List<Map<String, Object>> resnet = List.of(row("layer1.0.conv1.weight", 3.0), row("layer1.0.conv2.weight", 4.0),
                row("layer1.1.conv1.weight", 3.5));
        Figure alpha = DepthPlots.of("", resnet).get(0);
        assertEquals(XYSeriesRenderStyle.Scatter,
                ((XYChart) alpha.chart()).getSeries("conv").getXYSeriesRenderStyle().orElseThrow());
        assertArrayEquals(new double[] {0, 3, 0, 4, 1, 3.5}, flat(PlotsTest.series(alpha.data()).get("conv")), 0.0);
        assertEquals(List.of("conv", "alpha = 2"), List.copyOf(PlotsTest.series(alpha.data()).keySet()),
                "alphas from 3 to 4: 6 is far from them, and its line would only squeeze them");
        assertEquals(List.of(), DepthPlots.of("", List.of(row("w.npy", 3.0), row("fc.weight", 2.0))));
    }

    private static double[] flat(List<double[]> points) {
        return points.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }
}
