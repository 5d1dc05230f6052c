package io.nnrmtsvd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.InvalidInputException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The follow-up paper's training recipe in nn: penalties, learning-rate decay, N(0, 1/in) initialisation. */
class RecipeTrainingTest {
    private static final int[] DIMS = {6, 9, 3};

    @Test
    void penaltyGradientJoinsTheLossGradientBeforeTheStep() {
        Examples data = SyntheticData.blobs(8, 6, 3, 4);
        WeightPenalty penalty = new WeightPenalty(0.01, 0.03);
        Network start = Network.initialize(DIMS, false, new SplittableRandom(2));
        // The data gradient alone, at the starting weights.
        Network probe = start.copy();
        Propagation gradients = new Propagation(probe, 8, true);
        gradients.loadRange(data, 0, 8);
        gradients.lossAndGradients(8, data.labels(), null, 0);
        // One step without momentum: w1 = w0 - lr (g + l1 sign(w0) + 2 l2 w0).
        double lr = 0.5;
        Network stepped = start.copy();
        Propagation step = new Propagation(stepped, 8, true);
        step.loadRange(data, 0, 8);
        step.trainStep(8, data.labels(), null, 0, new Sgd(stepped, lr, 0), penalty);
        for (int l = 0; l < DIMS.length - 1; l++) {
            float[] w0 = start.layer(l).weights();
            float[] w1 = stepped.layer(l).weights();
            float[] g = gradients.weightGradientCopy(l);
            for (int i = 0; i < w0.length; i++) {
                double expected = g[i] + 0.01 * Math.signum(w0[i]) + 2 * 0.03 * w0[i];
                assertEquals(expected, (w0[i] - w1[i]) / lr, 1e-5, "layer " + l + " weight " + i);
            }
            float[] b0 = start.layer(l).bias().orElseThrow();
            float[] b1 = stepped.layer(l).bias().orElseThrow();
            float[] gb = gradients.biasGradientCopy(l);
            for (int i = 0; i < b0.length; i++) {
                double expected = gb[i] + 0.01 * Math.signum(b0[i]) + 2 * 0.03 * b0[i];
                assertEquals(expected, (b0[i] - b1[i]) / lr, 1e-5, "biases are penalised too, layer " + l);
            }
        }
    }

    @Test
    void penaltyValueIsL1TimesSumOfMagnitudesPlusL2TimesSumOfSquares() {
        DenseLayer layer = DenseLayer.of(2, 2, false, new float[] {1, -2, 0, 3}, new float[] {-1, 0.5f});
        Network net = new Network(java.util.List.of(layer));
        // sum |p| = 1 + 2 + 0 + 3 + 1 + 0.5 = 7.5; sum p^2 = 1 + 4 + 0 + 9 + 1 + 0.25 = 15.25
        assertEquals(0.1 * 7.5 + 0.01 * 15.25, new WeightPenalty(0.1, 0.01).value(net), 1e-12);
        assertEquals(0, WeightPenalty.NONE.value(net));
        assertTrue(WeightPenalty.NONE.isNone());
    }

    @Test
    void signIsExactFromTheSmallestSubnormalToInfinity() {
        float[] values = {Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, 0.5f, 1f, 3e38f, Float.MAX_VALUE,
                Float.POSITIVE_INFINITY};
        for (float v : values) {
            assertEquals(1f, WeightPenalty.sign(v), "sign of " + v);
            assertEquals(-1f, WeightPenalty.sign(-v), "sign of " + -v);
        }
        assertEquals(0, Float.floatToRawIntBits(WeightPenalty.sign(0f)), "+0");
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(WeightPenalty.sign(-0f)), "-0");
        assertTrue(Float.isNaN(WeightPenalty.sign(Float.NaN)));
    }

    @Test
    void theBlockwiseStepEqualsTheStepOneValueAtATime() {
        int n = 3 * WeightPenalty.BLOCK + 17;
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        float[] w = new float[n];
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = i % 97 == 0 ? 0f : (float) random.nextDouble(-1, 1);
            v[i] = (float) random.nextDouble(-1, 1);
        }
        WeightPenalty penalty = new WeightPenalty(0.01, 0.02);
        java.nio.FloatBuffer theta = io.nnrmtsvd.linalg.OffHeapFloats.copyOf(w);
        java.nio.FloatBuffer velocity = io.nnrmtsvd.linalg.OffHeapFloats.copyOf(v);
        penalty.step(theta, velocity, n, 0.1f, new float[WeightPenalty.BLOCK], new float[WeightPenalty.BLOCK]);
        for (int i = 0; i < n; i++) {
            float sign = w[i] > 0 ? 1f : w[i] < 0 ? -1f : 0f;
            float g = Math.fma(0.04f, w[i], v[i] + sign * 0.01f);
            assertEquals(g, velocity.get(i), 0f, "velocity " + i);
            assertEquals(Math.fma(-0.1f, g, w[i]), theta.get(i), 0f, "weight " + i);
        }
    }

    @Test
    void penaltyDerivativeMatchesCentralDifferencesOfItsValue() {
        WeightPenalty penalty = new WeightPenalty(0.02, 0.05);
        float[] w = {0.7f, -0.3f, 1.2f, -0.9f};
        java.nio.FloatBuffer theta = io.nnrmtsvd.linalg.OffHeapFloats.copyOf(w);
        java.nio.FloatBuffer grad = io.nnrmtsvd.linalg.OffHeapFloats.allocate(4);
        penalty.addGradient(theta, grad, 4);
        for (int i = 0; i < 4; i++) {
            double h = 1e-3;
            double up = valueWith(penalty, w, i, h);
            double down = valueWith(penalty, w, i, -h);
            assertEquals((up - down) / (2 * h), grad.get(i), 1e-4, "entry " + i);
        }
    }

    private static double valueWith(WeightPenalty penalty, float[] w, int i, double h) {
        double[] v = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            v[j] = w[j] + (j == i ? h : 0);
        }
        double abs = 0;
        double sq = 0;
        for (double x : v) {
            abs += Math.abs(x);
            sq += x * x;
        }
        return penalty.l1() * abs + penalty.l2() * sq;
    }

    @Test
    void theL1TermIsZeroAtZeroAndPlusOrMinusL1Elsewhere() {
        WeightPenalty l1 = new WeightPenalty(0.25, 0);
        float[] w = {0f, -0f, 1e-29f, -1e-29f, 3f, -3f};
        java.nio.FloatBuffer grad = io.nnrmtsvd.linalg.OffHeapFloats.allocate(w.length);
        l1.addGradient(io.nnrmtsvd.linalg.OffHeapFloats.copyOf(w), grad, w.length);
        assertArrayEquals(new float[] {0f, 0f, 0.25f, -0.25f, 0.25f, -0.25f},
                io.nnrmtsvd.linalg.OffHeapFloats.toArray(grad));
    }

    @Test
    void negativeOrInfinitePenaltiesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new WeightPenalty(-1e-6, 0));
        assertThrows(IllegalArgumentException.class, () -> new WeightPenalty(0, -1));
        assertThrows(IllegalArgumentException.class, () -> new WeightPenalty(Double.POSITIVE_INFINITY, 0));
        assertThrows(IllegalArgumentException.class, () -> new WeightPenalty(Double.NaN, 0));
    }

    @Test
    void learningRateDecaysByTheFactorEveryEpoch() {
        TrainingConfig config = new TrainingConfig(4, 0.1, 0.9, 32, 1, false, 0.5, WeightPenalty.NONE);
        assertEquals(0.1, config.learningRateAt(1));
        assertEquals(0.05, config.learningRateAt(2), 1e-15);
        assertEquals(0.0125, config.learningRateAt(4), 1e-15);
        assertEquals(0.08, TrainingConfig.published(3, 1).learningRateAt(3), "no decay by default");
        for (double bad : new double[] {0, -0.5, 1.0001, Double.NaN}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new TrainingConfig(1, 0.1, 0.9, 32, 1, false, bad, WeightPenalty.NONE), "decay " + bad);
        }
    }

    @Test
    void decayedTrainingEqualsEpochsTrainedOneByOneAtTheDecayedRates() {
        // Full batches and no momentum, so an epoch's step does not depend on the shuffle.
        Examples train = SyntheticData.blobs(64, 6, 3, 7);
        Examples test = SyntheticData.blobs(16, 6, 3, 8);
        Network decayed = Network.initialize(DIMS, false, new SplittableRandom(3));
        new Trainer(new TrainingConfig(3, 0.2, 0, 64, 5, false, 0.5, WeightPenalty.NONE), EpochHook.NONE,
                BatchListener.NONE).train(decayed, train, test);
        Network manual = Network.initialize(DIMS, false, new SplittableRandom(3));
        for (double lr : new double[] {0.2, 0.1, 0.05}) {
            new Trainer(new TrainingConfig(1, lr, 0, 64, 5), EpochHook.NONE, BatchListener.NONE)
                    .train(manual, train, test);
        }
        Network plain = Network.initialize(DIMS, false, new SplittableRandom(3));
        new Trainer(new TrainingConfig(3, 0.2, 0, 64, 5), EpochHook.NONE, BatchListener.NONE).train(plain, train, test);
        float[] a = decayed.layer(0).weights();
        float[] b = manual.layer(0).weights();
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 1e-5, "weight " + i);
        }
        assertNotEquals(plain.layer(0).weights()[0], a[0], "decay changes the result");
    }

    @Test
    void decayOfOneAndNoPenaltyTrainExactlyAsBefore() {
        Examples train = SyntheticData.blobs(100, 6, 3, 7);
        Examples test = SyntheticData.blobs(20, 6, 3, 8);
        Network a = Network.initialize(DIMS, false, new SplittableRandom(3));
        Network b = Network.initialize(DIMS, false, new SplittableRandom(3));
        new Trainer(new TrainingConfig(2, 0.05, 0.9, 16, 5), EpochHook.NONE, BatchListener.NONE).train(a, train, test);
        new Trainer(new TrainingConfig(2, 0.05, 0.9, 16, 5, false, 1, new WeightPenalty(0, 0)), EpochHook.NONE,
                BatchListener.NONE).train(b, train, test);
        assertArrayEquals(a.layer(0).weights(), b.layer(0).weights());
    }

    @Test
    void normalInitialisationHasVarianceOneOverInAndZeroBiases() {
        Network net = Network.initialize(new int[] {400, 300, 10}, false, Initialization.NORMAL, new SplittableRandom(1));
        float[] w = net.layer(0).weights();
        double sum = 0;
        double sumSq = 0;
        for (float v : w) {
            sum += v;
            sumSq += (double) v * v;
        }
        double variance = sumSq / w.length - (sum / w.length) * (sum / w.length);
        assertEquals(0, sum / w.length, 0.01 / Math.sqrt(400));
        assertEquals(1.0 / 400, variance, 0.02 / 400);
        for (float b : net.layer(0).bias().orElseThrow()) {
            assertEquals(0f, b);
        }
        assertTrue(net.layer(0).relu() && !net.layer(1).relu());
    }

    @Test
    void uniformInitialisationDrawsTheSameNumbersAsBefore() {
        Network a = Network.initialize(DIMS, false, new SplittableRandom(9));
        Network b = Network.initialize(DIMS, false, Initialization.UNIFORM, new SplittableRandom(9));
        assertArrayEquals(a.layer(1).weights(), b.layer(1).weights());
        assertArrayEquals(a.layer(1).bias().orElseThrow(), b.layer(1).bias().orElseThrow());
        assertEquals(Initialization.NORMAL, Initialization.parse("normal"));
        assertThrows(InvalidInputException.class, () -> Initialization.parse("xavier"));
    }
}
