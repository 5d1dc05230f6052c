package io.nnrmtsvd.nn;

import io.nnrmtsvd.linalg.OpenBlas;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Trains a network with mini-batch SGD and evaluates it after every epoch. The training set is
 * shuffled every epoch by a generator seeded from {@link TrainingConfig#seed()}, so the same seed
 * gives the same result, whatever the BLAS thread count: that count sets how many threads run the
 * fixed shards of every product ({@link Propagation}), not how the sums are cut; hooks run with
 * BLAS at one thread, so that pruning's decompositions give the same bits too. Epoch e steps with
 * the configuration's learning rate of that epoch ({@link TrainingConfig#learningRateAt}), also after a hook replaced the network and
 * the optimiser restarted, and with its penalty in the loss ({@link TrainingConfig#penalty()}).
 */
public final class Trainer {
    /**
     * A mini-batch loss above this many times the loss of guessing, ln(classes), counts as
     * divergence as much as NaN does: weights that blew up give finite but absurd losses (1e26 was
     * seen) and a network that predicts one class.
     */
    public static final double DIVERGENCE_FACTOR = 1000;

    private final TrainingConfig config;
    private final EpochHook hook;
    private final BatchListener listener;
    private final Consumer<TrainingState> checkpoints;

    public Trainer(TrainingConfig config, EpochHook hook, BatchListener listener) {
        this(config, hook, listener, state -> { });
    }

    /**
     * @param checkpoints given the state after every epoch, e.g. to save it; it may keep the
     *     state's network only until it returns (training goes on changing it)
     */
    public Trainer(TrainingConfig config, EpochHook hook, BatchListener listener, Consumer<TrainingState> checkpoints) {
        this.config = config;
        this.hook = hook;
        this.listener = listener;
        this.checkpoints = checkpoints;
    }

    /** The outcome: the final network and one record per epoch. */
    public record Result(Network network, List<EpochRecord> epochs) {
        public Result {
            epochs = List.copyOf(epochs);
        }
    }

    /**
     * Trains {@code network} in place (its layers' parameters change) for the configured epochs.
     *
     * @throws TrainingDivergedException when a mini-batch loss is not finite or above
     *     {@link #DIVERGENCE_FACTOR} ln(classes)
     */
    public Result train(Network network, Examples train, Examples test) {
        return resume(new TrainingState(0, network, null, List.of()), train, test);
    }

    /**
     * Continues a run from a state saved after one of its epochs: the result equals that of the
     * uninterrupted run with the same configuration. A state without
     * optimiser buffers starts a fresh optimiser.
     *
     * @throws TrainingDivergedException when a mini-batch loss is not finite or above
     *     {@link #DIVERGENCE_FACTOR} ln(classes)
     */
    public Result resume(TrainingState state, Examples train, Examples test) {
        Network network = state.network();
        Evaluation.checkInputSize(network, train);
        Evaluation.checkInputSize(network, test);
        if (train.count() == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        SplittableRandom shuffler = new SplittableRandom(config.seed());
        int[] order = new int[train.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int batch = Math.min(config.batchSize(), train.count());
        int batches = (train.count() + batch - 1) / batch;
        // Each epoch shuffles the previous order, so replaying the shuffles restores it.
        for (int epoch = 1; epoch <= state.completedEpochs(); epoch++) {
            shuffle(order, shuffler);
        }
        List<EpochRecord> records = new ArrayList<>(state.records());
        Network current = network;
        // The BLAS thread count decides how many threads run the shards of each product; results
        // do not depend on it (Propagation). OpenBLAS itself runs single-threaded meanwhile.
        int threads = OpenBlas.threads();
        int evalBatch = Math.min(Evaluation.BATCH, test.count());
        Propagation propagation = new Propagation(current, batch, true, threads);
        Propagation evaluator = new Propagation(current, evalBatch, false, threads);
        double divergedLoss = DIVERGENCE_FACTOR * Math.log(Math.max(2, network.outputSize()));
        Sgd sgd = state.optimizer() == null ? new Sgd(current, config.learningRate(), config.momentum())
                : new Sgd(current, config.learningRate(), config.momentum(), state.optimizer());
        for (int epoch = state.completedEpochs() + 1; epoch <= config.epochs(); epoch++) {
            long start = System.nanoTime();
            Network before = current;
            int e = epoch;
            Optional<Network> replacement = runAtOneBlasThread(threads, () -> hook.beforeEpoch(e, before));
            if (replacement.isPresent()) {
                current = replacement.get();
                Evaluation.checkInputSize(current, train);
                propagation = new Propagation(current, batch, true, threads);
                evaluator = new Propagation(current, evalBatch, false, threads);
                sgd = new Sgd(current, config.learningRate(), config.momentum());
            }
            sgd.setLearningRate(config.learningRateAt(epoch));
            shuffle(order, shuffler);
            double lossSum = 0;
            Evaluation eval;
            double trainAccuracy;
            if (threads > 1) {
                OpenBlas.setThreads(1);
            }
            try {
                for (int b = 0; b < batches; b++) {
                    int from = b * batch;
                    int rows = Math.min(batch, order.length - from);
                    propagation.loadBatch(train, order, from, rows);
                    double loss = propagation.trainStep(rows, train.labels(), order, from, sgd, config.penalty());
                    if (!(loss <= divergedLoss)) { // also NaN
                        throw new TrainingDivergedException(epoch, b + 1, loss);
                    }
                    lossSum += loss * rows;
                    listener.batchDone(epoch, b + 1, batches);
                }
                eval = Evaluation.of(evaluator, test);
                trainAccuracy = config.measureTrainAccuracy() ? Evaluation.of(evaluator, train).accuracy() : Double.NaN;
            } finally {
                if (threads > 1) {
                    OpenBlas.setThreads(threads);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochRecord record = new EpochRecord(epoch, lossSum / order.length, eval.meanLoss(),
                    eval.accuracy(), trainAccuracy, seconds, current.parameterCount(), current.widthsString());
            records.add(record);
            Network trained = current;
            runAtOneBlasThread(threads, () -> {
                hook.afterEpoch(record, trained);
                return null;
            });
            checkpoints.accept(new TrainingState(epoch, current, sgd.state(), records));
        }
        return new Result(current, records);
    }

    /**
     * Runs a hook with BLAS at one thread: LAPACK's results depend on OpenBLAS's thread count in the
     * last bits (threaded BLAS inside it sums in another order), so pruning's decompositions run
     * single-threaded, and a pruned run, like a plain one, gives the same bits at any thread count.
     */
    private static <T> T runAtOneBlasThread(int threads, Supplier<T> work) {
        if (threads == 1) {
            return work.get();
        }
        OpenBlas.setThreads(1);
        try {
            return work.get();
        } finally {
            OpenBlas.setThreads(threads);
        }
    }

    /**
     * The order of {@code count} examples in a run's first epoch, when the run's shuffles are drawn
     * from {@code random} (seeded with {@link TrainingConfig#seed()}).
     */
    public static int[] firstEpochOrder(int count, SplittableRandom random) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
