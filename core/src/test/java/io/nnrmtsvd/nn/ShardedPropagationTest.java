package io.nnrmtsvd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.OpenBlas;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sharded products of {@link Propagation}: right (against a double-precision backward pass
 * written out here) on shapes that cut every product both ways, and bit for bit the same at every
 * parallelism and BLAS thread count.
 */
class ShardedPropagationTest {
    /*
     * Capacity 40 and widths 37-70-33-5 cut every kind of product both ways: layer 0's output by
     * columns (70 >= 40), layers 1 and 2 by rows; layer 0's weight gradient by rows (70 x 37),
     * layers 1 and 2 by columns; layer 1's input gradient by columns (70 >= 40), layer 2's by rows.
     */
    private static final int CAPACITY = 40;

    /** 37 -> 70 (ReLU) -> 33 without bias (a factor, ReLU) -> 5, the output with ReLU when asked. */
    private static Network network(long seed, boolean outputRelu) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] dims = {37, 70, 33, 5};
        List<DenseLayer> layers = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            float[] w = new float[dims[l] * dims[l + 1]];
            float[] b = new float[dims[l + 1]];
            Initialization.UNIFORM.fill(w, b, dims[l], random);
            boolean relu = l < 2 || outputRelu;
            layers.add(DenseLayer.of(dims[l], dims[l + 1], relu, w, l == 1 ? null : b));
        }
        return new Network(layers);
    }

    @Test
    void gradientsOfEveryBlockMatchADoubleBackwardPass() {
        for (boolean outputRelu : new boolean[] {false, true}) {
            Network net = network(3, outputRelu);
            Examples data = SyntheticData.blobs(CAPACITY, 37, 5, 8);
            for (int parallelism : new int[] {1, 2}) {
                for (int rows : new int[] {CAPACITY, 27}) {
                    Propagation prop = new Propagation(net, CAPACITY, true, parallelism);
                    prop.loadRange(data, 0, rows);
                    double loss = prop.lossAndGradients(rows, data.labels(), null, 0);
                    Reference ref = Reference.of(net, data, rows);
                    assertEquals(ref.loss, loss, 1e-5, "loss");
                    for (int l = 0; l < net.size(); l++) {
                        assertClose(ref.weightGradients[l], prop.weightGradientCopy(l),
                                "weight gradient of layer " + l + ", rows " + rows + ", parallelism " + parallelism);
                        float[] gb = prop.biasGradientCopy(l);
                        if (net.layer(l).hasBias()) {
                            assertClose(ref.biasGradients[l], gb, "bias gradient of layer " + l);
                        } else {
                            assertArrayEquals(new float[gb.length], gb, "a layer without bias has no bias gradient");
                        }
                    }
                    Propagation scorer = new Propagation(net, CAPACITY, false, parallelism);
                    scorer.loadRange(data, 0, rows);
                    Propagation.BatchScore score = scorer.score(rows, data.labels(), null, 0);
                    assertEquals(ref.loss, score.meanLoss(), 1e-5, "score's loss");
                    assertEquals(ref.correct, score.correct(), "score's correct rows");
                }
            }
        }
    }

    @Test
    void aStepIsTheSameAtEveryParallelism() {
        Examples data = SyntheticData.blobs(CAPACITY, 37, 5, 9);
        int[] order = new int[CAPACITY];
        for (int i = 0; i < CAPACITY; i++) {
            order[i] = CAPACITY - 1 - i;
        }
        WeightPenalty penalty = new WeightPenalty(1e-3, 2e-3);
        float[][] reference = null;
        for (int parallelism : new int[] {1, 2, 3}) {
            Network net = network(4, false);
            Propagation prop = new Propagation(net, CAPACITY, true, parallelism);
            Sgd sgd = new Sgd(net, 0.1, 0.9);
            double[] losses = new double[3];
            for (int step = 0; step < 3; step++) {
                int rows = step == 2 ? 23 : CAPACITY;
                prop.loadBatch(data, order, 0, rows);
                losses[step] = prop.trainStep(rows, data.labels(), order, 0, sgd, step == 1 ? penalty : WeightPenalty.NONE);
            }
            float[][] now = parameters(net, sgd, losses);
            if (reference == null) {
                reference = now;
            } else {
                for (int i = 0; i < now.length; i++) {
                    assertArrayEquals(reference[i], now[i], "array " + i + " at parallelism " + parallelism);
                }
            }
        }
    }

    @Test
    void trainingIsTheSameAtEveryBlasThreadCount() {
        Examples train = SyntheticData.blobs(230, 37, 5, 1);
        Examples test = SyntheticData.blobs(61, 37, 5, 1);
        TrainingConfig config = new TrainingConfig(3, 0.05, 0.9, CAPACITY, 7, true, 0.9,
                new WeightPenalty(1e-4, 1e-4));
        int before = OpenBlas.threads();
        try {
            List<Trainer.Result> results = new ArrayList<>();
            for (int threads : new int[] {1, 2, 4}) {
                OpenBlas.setThreads(threads);
                results.add(new Trainer(config, EpochHook.NONE, BatchListener.NONE).train(network(5, false), train, test));
                assertEquals(threads, OpenBlas.threads(), "the trainer restores the BLAS thread count");
            }
            Trainer.Result first = results.get(0);
            for (Trainer.Result r : results) {
                for (int e = 0; e < 3; e++) {
                    EpochRecord a = first.epochs().get(e);
                    EpochRecord b = r.epochs().get(e);
                    assertEquals(a.trainLoss(), b.trainLoss(), 0.0);
                    assertEquals(a.testLoss(), b.testLoss(), 0.0);
                    assertEquals(a.testAccuracy(), b.testAccuracy(), 0.0);
                    assertEquals(a.trainAccuracy(), b.trainAccuracy(), 0.0);
                }
                for (int l = 0; l < 3; l++) {
                    assertArrayEquals(first.network().layer(l).weights(), r.network().layer(l).weights());
                }
            }
            assertTrue(first.epochs().get(2).testAccuracy() > 0.9, "and it learns");
        } finally {
            OpenBlas.setThreads(before);
        }
    }

    /**
     * Input features that are zero in every example of a batch are left out of the first layer's
     * products (the "input span"): the results still match the double reference, the gradient
     * outside the span is exactly zero where a previous batch left other values, the momentum there
     * only decays, and an all-zero batch works. Both ways of cutting the first layer's weight
     * gradient: by rows (37 -> 70) and by columns (50 -> 30).
     */
    @Test
    void inputFeaturesZeroInTheWholeBatchAreSkippedExactly() {
        for (int[] dims : new int[][] {{37, 70, 33, 5}, {50, 30, 5}}) {
            int features = dims[0];
            Examples dense = SyntheticData.blobs(CAPACITY, features, 5, 21);
            Examples bordered = withZeroColumns(SyntheticData.blobs(CAPACITY, features, 5, 22), 7, features - 9);
            Examples zeros = withZeroColumns(SyntheticData.blobs(CAPACITY, features, 5, 23), features, features);
            for (int parallelism : new int[] {1, 2}) {
                String where = java.util.Arrays.toString(dims) + " at parallelism " + parallelism;
                Network net = Network.initialize(dims, false, new SplittableRandom(6));
                Propagation prop = new Propagation(net, CAPACITY, true, parallelism);
                prop.loadRange(dense, 0, CAPACITY);
                prop.lossAndGradients(CAPACITY, dense.labels(), null, 0);
                for (Examples data : List.of(bordered, zeros)) {
                    int rows = data == zeros ? 19 : CAPACITY;
                    prop.loadRange(data, 0, rows);
                    double loss = prop.lossAndGradients(rows, data.labels(), null, 0);
                    Reference ref = Reference.of(net, data, rows);
                    assertEquals(ref.loss, loss, 1e-5, "loss, " + where);
                    float[] g = prop.weightGradientCopy(0);
                    assertClose(ref.weightGradients[0], g, "first layer's gradient, " + where);
                    for (int o = 0; o < dims[1]; o++) {
                        for (int i = 0; i < features; i++) {
                            if (i < 7 || i >= features - 9 || data == zeros) {
                                assertEquals(0f, g[o * features + i], 0f, "outside the span, " + where);
                            }
                        }
                    }
                    Propagation scorer = new Propagation(net, CAPACITY, false, parallelism);
                    scorer.loadRange(data, 0, rows);
                    assertEquals(ref.correct, scorer.score(rows, data.labels(), null, 0).correct(), where);
                }

                Sgd sgd = new Sgd(net, 0.05, 0.9);
                prop.loadRange(dense, 0, CAPACITY);
                prop.trainStep(CAPACITY, dense.labels(), null, 0, sgd);
                float[] before = sgd.state().weightVelocity()[0];
                prop.loadRange(bordered, 0, CAPACITY);
                prop.trainStep(CAPACITY, bordered.labels(), null, 0, sgd);
                float[] after = sgd.state().weightVelocity()[0];
                int outside = 0;
                for (int o = 0; o < dims[1]; o++) {
                    for (int i = 0; i < features; i++) {
                        int at = o * features + i;
                        if (i < 7 || i >= features - 9) {
                            assertEquals(0.9f * before[at], after[at], 0f, "momentum outside the span, " + where);
                            outside += before[at] != 0f ? 1 : 0;
                        }
                    }
                }
                assertTrue(outside > dims[1], "the first step left momentum outside the span, " + where);
            }
        }
    }

    /**
     * The examples with every feature outside [from, to) set to zero, and [from, from + 2) of every
     * third example too (zeros inside the span).
     */
    private static Examples withZeroColumns(Examples data, int from, int to) {
        int features = data.features();
        java.nio.FloatBuffer x = data.inputs();
        for (int r = 0; r < data.count(); r++) {
            for (int j = 0; j < features; j++) {
                if (j < from || j >= to || (r % 3 == 0 && j >= from && j < from + 2)) {
                    x.put(r * features + j, 0f);
                }
            }
        }
        return data;
    }

    @Test
    void shardBoundsCoverTheRangeInAlignedNonEmptyBlocksWhereTheyCan() {
        int[] b = Propagation.bounds(1000, 16);
        assertEquals(0, b[0]);
        assertEquals(1000, b[Propagation.SHARDS]);
        for (int s = 1; s < Propagation.SHARDS; s++) {
            assertEquals(0, b[s] % 16);
            assertTrue(b[s] > b[s - 1]);
        }
        int[] small = Propagation.bounds(10, 16);
        assertEquals(10, small[Propagation.SHARDS]);
        for (int s = 1; s <= Propagation.SHARDS; s++) {
            assertTrue(small[s] >= small[s - 1]);
        }
    }

    private static float[][] parameters(Network net, Sgd sgd, double[] losses) {
        List<float[]> all = new ArrayList<>();
        for (DenseLayer layer : net.layers()) {
            all.add(layer.weights());
            all.add(layer.bias().orElse(new float[0]));
        }
        Sgd.State state = sgd.state();
        all.addAll(List.of(state.weightVelocity()));
        all.addAll(List.of(state.biasVelocity()));
        float[] l = new float[losses.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) losses[i];
        }
        all.add(l);
        return all.toArray(new float[0][]);
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 + 1e-4 * scale, what + " [" + i + "]");
        }
    }

    /** Loss, gradients and correct rows of the mean NLL over the first rows, in double. */
    private record Reference(double loss, int correct, double[][] weightGradients, double[][] biasGradients) {
        static Reference of(Network net, Examples data, int rows) {
            int n = net.size();
            int[] dims = net.widths();
            double[][] w = new double[n][];
            double[][] b = new double[n][];
            for (int l = 0; l < n; l++) {
                w[l] = toDouble(net.layer(l).weights());
                b[l] = net.layer(l).bias().map(Reference::toDouble).orElse(new double[dims[l + 1]]);
            }
            double[][] gw = new double[n][];
            double[][] gb = new double[n][];
            for (int l = 0; l < n; l++) {
                gw[l] = new double[dims[l] * dims[l + 1]];
                gb[l] = new double[dims[l + 1]];
            }
            double loss = 0;
            int correct = 0;
            for (int r = 0; r < rows; r++) {
                double[][] a = new double[n + 1][];
                a[0] = new double[dims[0]];
                for (int j = 0; j < dims[0]; j++) {
                    a[0][j] = data.inputs().get(r * dims[0] + j);
                }
                for (int l = 0; l < n; l++) {
                    a[l + 1] = new double[dims[l + 1]];
                    for (int o = 0; o < dims[l + 1]; o++) {
                        double s = b[l][o];
                        for (int i = 0; i < dims[l]; i++) {
                            s += w[l][o * dims[l] + i] * a[l][i];
                        }
                        a[l + 1][o] = net.layer(l).relu() ? Math.max(0, s) : s;
                    }
                }
                double[] z = a[n];
                int label = data.labels()[r];
                double max = Double.NEGATIVE_INFINITY;
                int argmax = 0;
                for (int c = 0; c < z.length; c++) {
                    if (z[c] > max) {
                        max = z[c];
                        argmax = c;
                    }
                }
                double sum = 0;
                for (double v : z) {
                    sum += Math.exp(v - max);
                }
                double lse = Math.log(sum) + max;
                loss += lse - z[label];
                correct += argmax == label ? 1 : 0;
                double[] delta = new double[z.length];
                for (int c = 0; c < z.length; c++) {
                    delta[c] = (Math.exp(z[c] - lse) - (c == label ? 1 : 0)) / rows;
                }
                for (int l = n - 1; l >= 0; l--) {
                    if (net.layer(l).relu()) {
                        for (int o = 0; o < delta.length; o++) {
                            delta[o] = a[l + 1][o] > 0 ? delta[o] : 0;
                        }
                    }
                    double[] below = new double[dims[l]];
                    for (int o = 0; o < dims[l + 1]; o++) {
                        gb[l][o] += delta[o];
                        for (int i = 0; i < dims[l]; i++) {
                            gw[l][o * dims[l] + i] += delta[o] * a[l][i];
                            below[i] += delta[o] * w[l][o * dims[l] + i];
                        }
                    }
                    delta = below;
                }
            }
            return new Reference(loss / rows, correct, gw, gb);
        }

        private static double[] toDouble(float[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return d;
        }
    }
}
