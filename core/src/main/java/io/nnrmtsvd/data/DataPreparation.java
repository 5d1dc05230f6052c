package io.nnrmtsvd.data;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.linalg.OffHeapFloats;
import io.nnrmtsvd.nn.Examples;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What is done to a data set before training, from the follow-up paper's recipe: a seeded random
 * subset of the training images (a smaller training set, to study overfitting), and inputs
 * normalised as (x - 0.5) / 0.5, its {@code transforms.Normalize((0.5,), (0.5,))}, which maps
 * pixels from [0, 1] to [-1, 1]. The test set is never subsampled; it is normalised as the
 * training set is.
 *
 * @param trainSize training images kept, drawn uniformly without replacement; 0 keeps them all
 * @param subsetSeed seeds the draw of the subset (the same seed gives the same images)
 * @param normalize normalise the inputs of both sets
 */
public record DataPreparation(int trainSize, long subsetSeed, boolean normalize) {
    /** The data as it is: every training image, pixels in [0, 1]. */
    public static final DataPreparation NONE = new DataPreparation(0, 1, false);
    /** The mean and standard deviation the follow-up paper normalises with. */
    public static final float NORMALIZE_MEAN = 0.5f;
    public static final float NORMALIZE_SD = 0.5f;

    /** @throws IllegalArgumentException if {@code trainSize} is negative */
    public DataPreparation {
        if (trainSize < 0) {
            throw new IllegalArgumentException("--train-size must be >= 1 (or 0 for all), got " + trainSize);
        }
    }

    /** Whether this leaves the data as it is. */
    public boolean isNone() {
        return trainSize == 0 && !normalize;
    }

    /**
     * The prepared data set (new buffers; {@code data} is not modified).
     *
     * @throws InvalidInputException if {@code trainSize} exceeds the training images of {@code data}
     */
    public Dataset apply(Dataset data) {
        if (isNone()) {
            return data;
        }
        int available = data.train().count();
        if (trainSize > available) {
            throw new InvalidInputException("--train-size " + trainSize + " is more than the " + available
                    + " training images of " + data.name());
        }
        Examples train = trainSize == 0 ? data.train() : subset(data.train(), draw(available, trainSize, subsetSeed));
        Examples test = data.test();
        if (normalize) {
            train = normalized(train);
            test = normalized(test);
        }
        return new Dataset(data.name(), train, test, data.classes());
    }

    /** {@code size} distinct indices in [0, available), uniformly at random, ascending. */
    static int[] draw(int available, int size, long seed) {
        int[] all = new int[available];
        for (int i = 0; i < available; i++) {
            all[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            int pick = i + random.nextInt(available - i);
            int t = all[i];
            all[i] = all[pick];
            all[pick] = t;
        }
        int[] chosen = Arrays.copyOf(all, size);
        Arrays.sort(chosen);
        return chosen;
    }

    private static Examples subset(Examples examples, int[] rows) {
        int features = examples.features();
        FloatBuffer inputs = OffHeapFloats.allocate((long) rows.length * features);
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            inputs.put(i * features, examples.inputs(), rows[i] * features, features);
            labels[i] = examples.labels()[rows[i]];
        }
        return new Examples(inputs, labels, features);
    }

    private static Examples normalized(Examples examples) {
        long size = (long) examples.count() * examples.features();
        FloatBuffer source = examples.inputs();
        FloatBuffer inputs = OffHeapFloats.allocate(size);
        for (int i = 0; i < size; i++) {
            inputs.put(i, (source.get(i) - NORMALIZE_MEAN) / NORMALIZE_SD);
        }
        return new Examples(inputs, examples.labels().clone(), examples.features());
    }
}
