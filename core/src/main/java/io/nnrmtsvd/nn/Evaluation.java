package io.nnrmtsvd.nn;

/**
 * Mean loss and accuracy of a network on a set of examples, computed in batches.
 *
 * @param meanLoss mean negative log-likelihood
 * @param accuracy fraction classified correctly, in [0, 1]
 */
public record Evaluation(double meanLoss, double accuracy) {
    /** Rows per forward pass when evaluating. */
    public static final int BATCH = 1000;

    /** Evaluates {@code network} on every example. */
    public static Evaluation of(Network network, Examples examples) {
        return of(new Propagation(network, Math.min(BATCH, Math.max(1, examples.count())), false), examples);
    }

    /** Evaluates with a reusable propagation (its capacity sets the batch). */
    public static Evaluation of(Propagation propagation, Examples examples) {
        checkInputSize(propagation.network(), examples);
        int count = examples.count();
        if (count == 0) {
            throw new IllegalArgumentException("no examples to evaluate");
        }
        double lossSum = 0;
        long correct = 0;
        int batch = Math.min(count, propagation.inputBuffer().capacity() / examples.features());
        for (int from = 0; from < count; from += batch) {
            int rows = Math.min(batch, count - from);
            propagation.loadRange(examples, from, rows);
            Propagation.BatchScore score = propagation.score(rows, examples.labels(), null, from);
            lossSum += score.meanLoss() * rows;
            correct += score.correct();
        }
        return new Evaluation(lossSum / count, (double) correct / count);
    }

    static void checkInputSize(Network network, Examples examples) {
        if (examples.features() != network.inputSize()) {
            throw new IllegalArgumentException("the network takes " + network.inputSize()
                    + " inputs but the examples have " + examples.features() + " features");
        }
        int classes = network.outputSize();
        for (int label : examples.labels()) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " outside the network's "
                        + classes + " classes");
            }
        }
    }
}
