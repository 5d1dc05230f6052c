package io.nnrmtsvd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PropagationTest {
    /** Mean NLL of log-softmax computed in double from scratch, independent of Propagation. */
    private static double referenceLoss(double[][] weights, double[][] biases, boolean[] relu,
                                        int[] dims, Examples data) {
        int features = data.features();
        double total = 0;
        for (int r = 0; r < data.count(); r++) {
            double[] x = new double[features];
            for (int j = 0; j < features; j++) {
                x[j] = data.inputs().get(r * features + j);
            }
            for (int l = 0; l < weights.length; l++) {
                int in = dims[l];
                int out = dims[l + 1];
                double[] y = new double[out];
                for (int o = 0; o < out; o++) {
                    double s = biases[l] == null ? 0 : biases[l][o];
                    for (int i = 0; i < in; i++) {
                        s += weights[l][o * in + i] * x[i];
                    }
                    y[o] = relu[l] ? Math.max(0, s) : s;
                }
                x = y;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : x) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : x) {
                sum += Math.exp(v - max);
            }
            total += Math.log(sum) + max - x[data.labels()[r]];
        }
        return total / data.count();
    }

    @Test
    void gradientsMatchCentralFiniteDifferencesOfADoubleReference() {
        int[] dims = {5, 7, 4, 3};
        for (boolean outputRelu : new boolean[] {false, true}) {
            Network net = Network.initialize(dims, outputRelu, new SplittableRandom(3));
            Examples data = SyntheticData.blobs(6, 5, 3, 11);
            Propagation prop = new Propagation(net, 6, true);
            prop.loadRange(data, 0, 6);
            double loss = prop.lossAndGradients(6, data.labels(), null, 0);

            int n = net.size();
            double[][] w = new double[n][];
            double[][] b = new double[n][];
            boolean[] relu = new boolean[n];
            for (int l = 0; l < n; l++) {
                w[l] = toDouble(net.layer(l).weights());
                b[l] = toDouble(net.layer(l).bias().orElseThrow());
                relu[l] = net.layer(l).relu();
            }
            assertEquals(referenceLoss(w, b, relu, dims, data), loss, 1e-5);

            double h = 1e-6;
            int checked = 0;
            for (int l = 0; l < n; l++) {
                float[] gw = prop.weightGradientCopy(l);
                float[] gb = prop.biasGradientCopy(l);
                for (double[][] params : List.of(w, b)) {
                    float[] analytic = params == w ? gw : gb;
                    for (int i = 0; i < params[l].length; i++) {
                        double saved = params[l][i];
                        params[l][i] = saved + h;
                        double plus = referenceLoss(w, b, relu, dims, data);
                        params[l][i] = saved - h;
                        double minus = referenceLoss(w, b, relu, dims, data);
                        params[l][i] = saved;
                        double numeric = (plus - minus) / (2 * h);
                        assertEquals(numeric, analytic[i], 2e-5 + 1e-3 * Math.abs(numeric),
                                "layer " + l + " parameter " + i + " outputRelu=" + outputRelu);
                        checked++;
                    }
                }
            }
            assertTrue(checked > 80);
        }
    }

    @Test
    void layerWithoutBiasHasNoBiasGradientEffect() {
        DenseLayer factor = DenseLayer.of(3, 2, false, new float[] {1, 0, 0, 0, 1, 0}, null);
        DenseLayer head = DenseLayer.of(2, 2, false, new float[] {1, 0, 0, 1}, new float[] {0.5f, -0.5f});
        Network net = new Network(List.of(factor, head));
        assertEquals(6 + 4 + 2, net.parameterCount());
        Examples one = new Examples(io.nnrmtsvd.linalg.OffHeapFloats.copyOf(new float[] {2, 1, 9}),
                new int[] {0}, 3);
        Propagation prop = new Propagation(net, 1, false);
        prop.loadRange(one, 0, 1);
        var out = prop.forward(1);
        assertEquals(2.5f, out.get(0));
        assertEquals(0.5f, out.get(1));
    }

    @Test
    void theInputSpanRunsFromTheFirstToTheLastFeatureNonzeroInSomeExample() {
        float nan = Float.NaN;
        float[][] cases = {
            {0, 0, 1, 0, 0, 0, /**/ 0, 0, 0, 0, 2, 0},   // features 2..4 of 6
            {0, -0f, 0, 0, 0, 0, /**/ 0, 0, 0, 0, 0, 0}, // all zero (-0 too): one feature
            {nan, 0, 0, 0, 0, 0, /**/ 0, 0, 0, 0, 0, 0}, // NaN counts as nonzero
            {0, 0, 0, 0, 0, 3, /**/ 4, 0, 0, 0, 0, 0},   // the whole width
        };
        int[] widths = {3, 1, 1, 6};
        for (int c = 0; c < cases.length; c++) {
            java.nio.FloatBuffer rows = io.nnrmtsvd.linalg.OffHeapFloats.copyOf(cases[c]);
            assertEquals(widths[c], Propagation.inputSpanWidth(rows, 2, 6), "case " + c);
        }
        java.nio.FloatBuffer firstRowOnly = io.nnrmtsvd.linalg.OffHeapFloats.copyOf(cases[0]);
        assertEquals(1, Propagation.inputSpanWidth(firstRowOnly, 1, 6), "only the rows asked for count");
    }

    private static double[] toDouble(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return d;
    }
}
