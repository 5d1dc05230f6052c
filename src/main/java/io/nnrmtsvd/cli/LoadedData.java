package io.nnrmtsvd.cli;

import io.nnrmtsvd.nn.Examples;

/**
 * A data set ready for training.
 *
 * @param name the data set's name, e.g. {@code mnist}
 * @param train training examples
 * @param test evaluation examples
 * @param classes number of classes
 */
record LoadedData(String name, Examples train, Examples test, int classes) {
}
