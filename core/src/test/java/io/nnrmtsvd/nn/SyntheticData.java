package io.nnrmtsvd.nn;

import io.nnrmtsvd.linalg.OffHeapFloats;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/** Seeded synthetic data sets for the nn tests. */
public final class SyntheticData {
    private SyntheticData() {
    }

    /**
     * Gaussian blobs, one per class, centred at well-separated random points: linearly
     * separable with overwhelming probability.
     */
    public static Examples blobs(int count, int features, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] centres = new double[classes][features];
        for (double[] centre : centres) {
            for (int j = 0; j < features; j++) {
                centre[j] = random.nextDouble(-3, 3);
            }
        }
        FloatBuffer inputs = OffHeapFloats.allocate((long) count * features);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(classes);
            labels[i] = label;
            for (int j = 0; j < features; j++) {
                inputs.put(i * features + j, (float) (centres[label][j] + 0.3 * nextGaussian(random)));
            }
        }
        return new Examples(inputs, labels, features);
    }

    public static double nextGaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }
}
