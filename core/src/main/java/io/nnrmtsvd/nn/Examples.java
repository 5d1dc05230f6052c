package io.nnrmtsvd.nn;

import java.nio.FloatBuffer;

/**
 * Labelled examples for training or evaluation: {@code count} rows of {@code features} floats in a
 * direct buffer (row-major), and one class label per row.
 *
 * @param inputs direct buffer of count * features values
 * @param labels class indices, one per row
 * @param features values per example
 */
public record Examples(FloatBuffer inputs, int[] labels, int features) {
    public Examples {
        if (!inputs.isDirect()) {
            throw new IllegalArgumentException("inputs must be a direct buffer");
        }
        if (features < 1 || (long) labels.length * features > inputs.capacity()) {
            throw new IllegalArgumentException(labels.length + " examples of " + features
                    + " features do not fit in " + inputs.capacity() + " values");
        }
    }

    public int count() {
        return labels.length;
    }
}
