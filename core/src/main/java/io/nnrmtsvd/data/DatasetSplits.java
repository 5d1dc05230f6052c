package io.nnrmtsvd.data;

import java.util.Objects;

/**
 * A data set's training and test parts.
 *
 * @param train the training images
 * @param test the held-out test images
 */
public record DatasetSplits(LabeledImages train, LabeledImages test) {
    public DatasetSplits {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }
}
