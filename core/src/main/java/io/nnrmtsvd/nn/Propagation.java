package io.nnrmtsvd.nn;

import io.nnrmtsvd.linalg.FloatBlas;
import io.nnrmtsvd.linalg.OffHeapFloats;
import io.nnrmtsvd.linalg.OpenBlas;
import java.nio.FloatBuffer;

/**
 * Forward and backward passes of one network over mini-batches of up to {@code capacity} rows,
 * with every buffer allocated once, off-heap, and nothing allocated per step. All matrix products
 * go through sgemm; the element-wise steps (bias and ReLU, softmax, the ReLU mask, the parameter
 * update) are fused into the pass that produces their input.
 *
 * <p><b>Shards.</b> Every product is cut into {@link #SHARDS} blocks of rows or columns of its
 * result, never along the summed dimension, so no block needs another's partial sums; the blocks
 * of one phase run on up to {@code parallelism} threads at once, each with a single-threaded
 * sgemm. The cut depends on the network and the capacity only, and each block writes memory no
 * other block of its phase touches: results are bit for bit the same at any parallelism (and any
 * BLAS thread count), including losses, which are summed per shard and then over the shards in
 * order. This replaces OpenBLAS's own threading, which on two cores reached about four fifths of
 * two single-threaded calls on these shapes (issue 19), spins while it waits for a core, and sums
 * nothing in a fixed order across thread counts.
 *
 * <p><b>Layout.</b> The input batch is stored an example a row (as gathered); every layer's
 * activations and gradients are stored a unit a row, out x capacity ("feature-major"): OpenBLAS
 * runs the forward product about 7% and the weight gradient about 2% faster in this layout
 * (scripts/TrainingSteps.java), and bias, ReLU and the ReLU mask run along contiguous rows.
 *
 * <p><b>Zero inputs.</b> The first layer's products run over the span of input features from the
 * first to the last one that is nonzero in some example of the batch: the features outside it are
 * zero in every example, so their terms are exact zeros and their weight gradients are zero (the
 * momentum still decays there). On MNIST a batch of 128 has a median span of 709 of 784 pixels,
 * about a tenth of the first layer's work; on inputs without zero borders it changes nothing. (A
 * non-finite weight outside the span, which a dense product would spread as NaN, is not read.)
 *
 * <p>While a call runs with parallelism above 1, OpenBLAS is set to one thread (the setting is
 * process-wide) and restored afterwards; {@link Trainer} sets it once per epoch instead.
 *
 * <p>Not thread-safe; one instance per network and thread.
 */
public final class Propagation {
    /**
     * Blocks of every product: the machine's processor count, at least 2 and at most 8, fixed for
     * the process, so that results do not depend on the thread count ({@code --threads}) but every
     * core can work. (They do depend on it across machines, as they depend on the BLAS kernel the
     * processor selects.) Cutting finer costs little: on two cores, 4 blocks instead of 2 cost about
     * 3% of a step, 8 about 7%.
     */
    public static final int SHARDS = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    /** Cuts between units fall on multiples of this (the sgemm kernels' unroll). */
    private static final int UNIT_ALIGN = 16;
    /** Cuts between examples fall on multiples of this (64 bytes of floats: no shared cache lines). */
    private static final int ROW_ALIGN = 16;

    private final Network network;
    private final int capacity;
    private final boolean withGradients;
    private final int parallelism;
    private final FloatBuffer input;
    /** Per layer, out x capacity: unit j of example r at j * capacity + r. */
    private final FloatBuffer[] activations;
    private final FloatBuffer[] deltas;
    /** The output layer's activations an example a row, for {@link #forward}. */
    private FloatBuffer rowMajorOutput;
    private final FloatBuffer ones;
    private final LayerPlan[] plans;
    /** The capacity's examples cut into shards: gathering inputs, losses, scores. */
    private final int[] rowBounds;
    private final boolean lastForwardByExamples;

    private FloatBuffer[] weightGradients;
    private FloatBuffer[] biasGradients;
    private FloatBuffer[] boundWeightTargets;
    private FloatBuffer[] boundBiasTargets;

    // The call in progress, read by the shard tasks.
    private int rows;
    private int[] labels;
    private int[] order;
    private int from;
    private Examples examples;
    private int layer;
    private float beta;
    private float learningRate;
    private WeightPenalty penalty = WeightPenalty.NONE;
    private boolean updating;
    /** The batch's input features [spanFrom, spanTo): outside it every example's input is zero. */
    private int spanFrom;
    private int spanTo;
    private int tail;
    private final float[][] scratch = new float[2 * SHARDS][WeightPenalty.BLOCK];
    private final double[] lossParts = new double[SHARDS];
    private final int[] correctParts = new int[SHARDS];

    private static final int TAIL_NONE = 0;
    private static final int TAIL_GRADIENT = 1;
    private static final int TAIL_SCORE = 2;

    private final ShardPool.Task gatherTask = this::gatherShard;
    private final ShardPool.Task forwardTask = this::forwardShard;
    private final ShardPool.Task tailTask = this::tailShard;
    private final ShardPool.Task backwardTask = this::backwardShard;
    private final ShardPool.Task updateFirstTask = this::updateFirstShard;

    /**
     * A propagation using as many threads as BLAS is set to ({@link OpenBlas#threads}, at most
     * {@link #SHARDS}).
     *
     * @param capacity the largest batch this instance handles
     * @param withGradients whether backward passes ({@link #lossAndGradients}, {@link #trainStep}) will run
     */
    public Propagation(Network network, int capacity, boolean withGradients) {
        this(network, capacity, withGradients, OpenBlas.threads());
    }

    /**
     * @param capacity the largest batch this instance handles
     * @param withGradients whether backward passes ({@link #lossAndGradients}, {@link #trainStep}) will run
     * @param parallelism threads running the shards of a product (the caller's and helpers);
     *     results do not depend on it
     */
    public Propagation(Network network, int capacity, boolean withGradients, int parallelism) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity must be positive, got " + capacity);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.network = network;
        this.capacity = capacity;
        this.withGradients = withGradients;
        this.parallelism = Math.min(parallelism, SHARDS);
        int n = network.size();
        input = OffHeapFloats.allocate((long) capacity * network.inputSize());
        activations = new FloatBuffer[n];
        deltas = new FloatBuffer[n];
        for (int l = 0; l < n; l++) {
            DenseLayer layer = network.layer(l);
            activations[l] = OffHeapFloats.allocate((long) capacity * layer.out());
            if (withGradients) {
                deltas[l] = OffHeapFloats.allocate((long) capacity * layer.out());
            }
        }
        ones = OffHeapFloats.allocate(capacity);
        for (int i = 0; i < capacity; i++) {
            ones.put(i, 1f);
        }
        rowBounds = bounds(capacity, ROW_ALIGN);
        plans = new LayerPlan[n];
        for (int l = 0; l < n; l++) {
            plans[l] = new LayerPlan(l);
        }
        lastForwardByExamples = !plans[n - 1].forwardByUnits;
    }

    public Network network() {
        return network;
    }

    /** The input batch buffer (capacity x inputSize): fill its first rows before a pass. */
    public FloatBuffer inputBuffer() {
        return input;
    }

    /** Copies the given examples' rows into the input buffer, in the given order. */
    public void loadBatch(Examples examples, int[] order, int from, int rows) {
        checkRows(rows);
        if (order.length < from + rows || from < 0) {
            throw new IllegalArgumentException("rows " + from + " to " + (from + rows) + " of an order of "
                    + order.length);
        }
        this.examples = examples;
        this.order = order;
        this.from = from;
        this.rows = rows;
        try {
            ShardPool.run(parallelism, SHARDS, gatherTask);
        } finally {
            this.examples = null;
        }
    }

    /** Copies {@code rows} consecutive examples starting at {@code from} into the input buffer. */
    public void loadRange(Examples examples, int from, int rows) {
        int features = examples.features();
        input.put(0, examples.inputs(), from * features, rows * features);
    }

    /**
     * Runs the forward pass over the first {@code rows} rows of the input buffer and returns the
     * output layer's activations (rows x outputSize, before log-softmax; valid until the next pass).
     */
    public FloatBuffer forward(int rows) {
        checkRows(rows);
        int blas = singleThreadedBlas();
        try {
            runForward(rows, TAIL_NONE);
        } finally {
            restoreBlas(blas);
        }
        int classes = network.outputSize();
        if (rowMajorOutput == null) {
            rowMajorOutput = OffHeapFloats.allocate((long) capacity * classes);
        }
        FloatBuffer out = activations[network.size() - 1];
        for (int c = 0; c < classes; c++) {
            for (int r = 0; r < rows; r++) {
                rowMajorOutput.put(r * classes + c, out.get(c * capacity + r));
            }
        }
        return rowMajorOutput;
    }

    /**
     * Mean negative log-likelihood of the log-softmax of the outputs over the first {@code rows}
     * rows, and the number of rows whose largest output is the label. Runs {@link #forward}.
     */
    public BatchScore score(int rows, int[] labels, int[] order, int from) {
        checkRows(rows);
        this.labels = labels;
        this.order = order;
        this.from = from;
        int blas = singleThreadedBlas();
        try {
            runForward(rows, TAIL_SCORE);
        } finally {
            restoreBlas(blas);
            this.labels = null;
            this.order = null;
        }
        double lossSum = 0;
        int correct = 0;
        for (int s = 0; s < SHARDS; s++) {
            lossSum += lossParts[s];
            correct += correctParts[s];
        }
        return new BatchScore(lossSum / rows, correct);
    }

    /**
     * Forward and backward pass over the first {@code rows} input rows: returns the mean loss
     * and leaves the gradients of that mean in {@link #weightGradientCopy} and {@link #biasGradientCopy}.
     *
     * @param labels labels, indexed through {@code order[from + r]}
     */
    public double lossAndGradients(int rows, int[] labels, int[] order, int from) {
        requireGradients();
        int n = network.size();
        if (weightGradients == null) {
            weightGradients = new FloatBuffer[n];
            biasGradients = new FloatBuffer[n];
            for (int l = 0; l < n; l++) {
                DenseLayer layer = network.layer(l);
                weightGradients[l] = OffHeapFloats.allocate((long) layer.in() * layer.out());
                biasGradients[l] = OffHeapFloats.allocate(layer.out());
            }
        }
        return backward(rows, labels, order, from, weightGradients, biasGradients, 0f, null, WeightPenalty.NONE);
    }

    /**
     * One SGD step on the first {@code rows} input rows: the forward and backward pass write the
     * mean loss's gradient straight into the optimiser's momentum (v = mu v + g, through sgemm's
     * beta), then the optimiser moves the weights. Returns the mean loss.
     */
    public double trainStep(int rows, int[] labels, int[] order, int from, Sgd sgd) {
        return trainStep(rows, labels, order, from, sgd, WeightPenalty.NONE);
    }

    /**
     * As {@link #trainStep(int, int[], int[], int, Sgd)} with a penalty in the loss: its gradient
     * joins the mean loss's before the momentum step (v = mu v + g + penalty gradient). Returns the
     * mean negative log-likelihood, without the penalty (see {@link WeightPenalty}).
     */
    public double trainStep(int rows, int[] labels, int[] order, int from, Sgd sgd, WeightPenalty penalty) {
        requireGradients();
        return backward(rows, labels, order, from, sgd.weightVelocities(), sgd.biasVelocities(),
                (float) sgd.momentum(), sgd, penalty);
    }

    /** A copy of layer {@code l}'s weight gradient from the last {@link #lossAndGradients}. */
    public float[] weightGradientCopy(int l) {
        return OffHeapFloats.toArray(weightGradients[l]);
    }

    /** A copy of layer {@code l}'s bias gradient from the last {@link #lossAndGradients}. */
    public float[] biasGradientCopy(int l) {
        return OffHeapFloats.toArray(biasGradients[l]);
    }

    /**
     * The whole step: forward, loss, backward into the targets (target = gradient + beta target),
     * and, when {@code sgd} is given, the update of every parameter.
     */
    private double backward(int rows, int[] labels, int[] order, int from, FloatBuffer[] weightTargets,
                            FloatBuffer[] biasTargets, float beta, Sgd sgd, WeightPenalty penalty) {
        checkRows(rows);
        bindTargets(weightTargets, biasTargets);
        this.labels = labels;
        this.order = order;
        this.from = from;
        this.beta = beta;
        this.updating = sgd != null;
        this.learningRate = sgd == null ? 0f : (float) sgd.learningRate();
        this.penalty = penalty;
        int blas = singleThreadedBlas();
        try {
            runForward(rows, TAIL_GRADIENT);
            for (int l = network.size() - 1; l >= 0; l--) {
                layer = l;
                ShardPool.run(parallelism, SHARDS, backwardTask);
            }
            if (updating && !plans[0].gradientByRows) {
                ShardPool.run(parallelism, SHARDS, updateFirstTask);
            }
        } finally {
            restoreBlas(blas);
            this.labels = null;
            this.order = null;
        }
        double lossSum = 0;
        for (int s = 0; s < SHARDS; s++) {
            lossSum += lossParts[s];
        }
        return lossSum / rows;
    }

    private void runForward(int rows, int tail) {
        this.rows = rows;
        this.tail = tail;
        findInputSpan(rows);
        int last = network.size() - 1;
        for (int l = 0; l <= last; l++) {
            layer = l;
            ShardPool.run(parallelism, SHARDS, forwardTask);
        }
        if (tail != TAIL_NONE && !lastForwardByExamples) {
            ShardPool.run(parallelism, SHARDS, tailTask);
        }
    }

    /** Sets [spanFrom, spanTo) to the batch's {@link #inputSpan}. */
    private void findInputSpan(int rows) {
        long span = inputSpan(input, rows, network.inputSize());
        spanFrom = (int) (span >>> 32);
        spanTo = (int) span;
    }

    /**
     * The input features from the first to the last one that is nonzero (or NaN) in one of
     * {@code rows} examples stored a row each: {@code from << 32 | to} for [from, to), at least one
     * feature, so that every product keeps a summed dimension. Outside it every example is zero.
     */
    private static long inputSpan(FloatBuffer examples, int rows, int features) {
        int first = features;
        int last = -1;
        for (int r = 0; r < rows; r++) {
            int base = r * features;
            for (int j = 0; j < first; j++) {
                if (examples.get(base + j) != 0f) {
                    first = j;
                    break;
                }
            }
            for (int j = features - 1; j > last; j--) {
                if (examples.get(base + j) != 0f) {
                    last = j;
                    break;
                }
            }
        }
        if (last < first) {
            first = 0;
            last = 0;
        }
        return (long) first << 32 | (last + 1);
    }

    /**
     * How many input features the first layer's products run over for these examples as one batch
     * (its {@link #inputSpan}): the rest are zero in every one of them and are skipped.
     */
    public static int inputSpanWidth(FloatBuffer examples, int rows, int features) {
        long span = inputSpan(examples, rows, features);
        return (int) span - (int) (span >>> 32);
    }

    /** Where the summed dimension of layer {@code l}'s forward product and weight gradient starts. */
    private int spanStart(int l) {
        return l == 0 ? spanFrom : 0;
    }

    /** The length of the summed dimension of layer {@code l}'s forward product (its inputs in play). */
    private int spanLength(int l, int in) {
        return l == 0 ? spanTo - spanFrom : in;
    }

    // ---- shard tasks -------------------------------------------------------------------------

    private void gatherShard(int s) {
        int r1 = Math.min(rowBounds[s + 1], rows);
        int features = examples.features();
        FloatBuffer source = examples.inputs();
        for (int r = rowBounds[s]; r < r1; r++) {
            input.put(r * features, source, order[from + r] * features, features);
        }
    }

    private void forwardShard(int s) {
        LayerPlan p = plans[layer];
        int lo = p.forwardBounds[s];
        int hi = p.forwardBounds[s + 1];
        int k0 = spanStart(layer);
        int k = spanLength(layer, p.in);
        if (p.forwardByUnits) {
            if (lo < hi) {
                // Z^T[lo:hi, :rows] = W[lo:hi, span] X^T[span, :]
                FloatBlas.gemm(false, layer == 0, hi - lo, rows, k, 1f, p.forwardW[s].position(k0), p.in,
                        p.xOfShard[s].position(k0), p.xStride, 0f, p.forwardZ[s], capacity);
                biasAndRelu(p, lo, hi, 0, rows);
            }
        } else {
            hi = Math.min(hi, rows);
            if (lo < hi) {
                // Z^T[:, lo:hi] = W[:, span] X^T[span, lo:hi]
                FloatBlas.gemm(false, layer == 0, p.out, hi - lo, k, 1f, p.wOfShard[s].position(k0), p.in,
                        p.forwardX[s].position(k0), p.xStride, 0f, p.forwardZ[s], capacity);
                biasAndRelu(p, 0, p.out, lo, hi);
            }
            if (layer == plans.length - 1 && tail != TAIL_NONE) {
                tailShard(s);
            }
        }
    }

    /** z = relu(z + b) (or z + b) over units [u0, u1) and examples [r0, r1) of the layer's output. */
    private void biasAndRelu(LayerPlan p, int u0, int u1, int r0, int r1) {
        FloatBuffer z = activations[p.index];
        FloatBuffer b = p.bias;
        if (b == null && !p.relu) {
            return;
        }
        for (int u = u0; u < u1; u++) {
            int base = u * capacity;
            float bu = b == null ? 0f : b.get(u);
            if (p.relu) {
                for (int i = base + r0; i < base + r1; i++) {
                    z.put(i, Math.max(z.get(i) + bu, 0f));
                }
            } else {
                for (int i = base + r0; i < base + r1; i++) {
                    z.put(i, z.get(i) + bu);
                }
            }
        }
    }

    /** Loss (and gradient at the output, or the count of correct rows) over the shard's examples. */
    private void tailShard(int s) {
        int r0 = rowBounds[s];
        int r1 = Math.min(rowBounds[s + 1], rows);
        FloatBuffer out = activations[plans.length - 1];
        int classes = network.outputSize();
        int stride = capacity;
        double lossSum = 0;
        int correct = 0;
        if (tail == TAIL_SCORE) {
            for (int r = r0; r < r1; r++) {
                int label = labels[order == null ? from + r : order[from + r]];
                float max = Float.NEGATIVE_INFINITY;
                int argmax = 0;
                for (int c = 0; c < classes; c++) {
                    float v = out.get(c * stride + r);
                    if (v > max) {
                        max = v;
                        argmax = c;
                    }
                }
                double sumExp = 0;
                for (int c = 0; c < classes; c++) {
                    sumExp += Math.exp(out.get(c * stride + r) - max);
                }
                lossSum += Math.log(sumExp) + max - out.get(label * stride + r);
                if (argmax == label) {
                    correct++;
                }
            }
        } else {
            FloatBuffer delta = deltas[plans.length - 1];
            float invRows = 1f / rows;
            boolean relu = plans[plans.length - 1].relu;
            for (int r = r0; r < r1; r++) {
                int label = labels[order == null ? from + r : order[from + r]];
                float max = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, out.get(c * stride + r));
                }
                double sumExp = 0;
                for (int c = 0; c < classes; c++) {
                    sumExp += Math.exp(out.get(c * stride + r) - max);
                }
                double logSumExp = Math.log(sumExp) + max;
                lossSum += logSumExp - out.get(label * stride + r);
                for (int c = 0; c < classes; c++) {
                    int i = c * stride + r;
                    double softmax = Math.exp(out.get(i) - logSumExp);
                    float d = (float) (softmax - (c == label ? 1 : 0)) * invRows;
                    delta.put(i, relu ? masked(d, out.get(i)) : d);
                }
            }
        }
        lossParts[s] = lossSum;
        correctParts[s] = correct;
    }

    /**
     * Layer {@code layer}'s backward shard: the input gradient's block (masked by the previous
     * layer's ReLU), the weight and bias gradients' block into the targets, and the update of
     * whatever no shard of this phase reads: the layer above (its input gradient was finished in
     * the previous phase), and the first layer itself when its gradient blocks are its update blocks.
     */
    private void backwardShard(int s) {
        LayerPlan p = plans[layer];
        if (layer > 0) {
            boolean relu = plans[layer - 1].relu;
            int lo = p.inputGradientBounds[s];
            int hi = p.inputGradientBounds[s + 1];
            if (p.inputGradientByUnits) {
                if (lo < hi) {
                    // dX^T[lo:hi, :rows] = W[:, lo:hi]^T D^T
                    FloatBlas.gemm(true, false, hi - lo, rows, p.out, 1f, p.inputGradientW[s], p.in, p.delta, capacity,
                            0f, p.inputGradientC[s], capacity);
                    if (relu) {
                        mask(deltas[layer - 1], activations[layer - 1], lo, hi, 0, rows);
                    }
                }
            } else {
                hi = Math.min(hi, rows);
                if (lo < hi) {
                    // dX^T[:, lo:hi] = W^T D^T[:, lo:hi]
                    FloatBlas.gemm(true, false, p.in, hi - lo, p.out, 1f, p.w, p.in, p.inputGradientD[s], capacity,
                            0f, p.inputGradientC[s], capacity);
                    if (relu) {
                        mask(deltas[layer - 1], activations[layer - 1], 0, p.in, lo, hi);
                    }
                }
            }
        }
        boolean xTransposed = layer > 0; // X^T stored (in x capacity) above the first layer
        int lo = p.gradientBounds[s];
        int hi = p.gradientBounds[s + 1];
        int k0 = spanStart(layer);
        int k1 = k0 + spanLength(layer, p.in);
        if (lo < hi) {
            if (p.gradientByRows) {
                // V[lo:hi, span] = beta V + D^T[lo:hi, :rows] X[:, span], and V = beta V outside the
                // span; contiguous, so sscal then beta 1 gives the same bits as sgemm's own beta,
                // whose scaling pass is slower (docs/BENCHMARKS.md).
                float b = beta;
                if (b != 0f && b != 1f) {
                    FloatBlas.scal((hi - lo) * p.in, b, p.gradientTarget[s].position(0));
                    b = 1f;
                } else if (b == 0f) {
                    scaleColumns(p.gradientTarget[s], hi - lo, p.in, 0, k0, 0f);
                    scaleColumns(p.gradientTarget[s], hi - lo, p.in, k1, p.in, 0f);
                }
                FloatBlas.gemm(false, xTransposed, hi - lo, k1 - k0, rows, 1f, p.gradientD[s], capacity,
                        p.xOfShard[s].position(k0), p.xStride, b, p.gradientTarget[s].position(k0), p.in);
            } else {
                // V[:, a:e] = beta V + D^T X[:, a:e] where [a, e) is [lo, hi) within the span; V = beta V
                // on the rest of [lo, hi). Views start at column lo.
                int a = Math.min(Math.max(lo, k0), hi);
                int e = Math.max(Math.min(hi, k1), a);
                scaleColumns(p.gradientTarget[s], p.out, p.in, 0, a - lo, beta);
                scaleColumns(p.gradientTarget[s], p.out, p.in, e - lo, hi - lo, beta);
                FloatBlas.gemm(false, xTransposed, p.out, e - a, rows, 1f, p.delta, capacity,
                        p.gradientX[s].position(a - lo), p.xStride, beta, p.gradientTarget[s].position(a - lo), p.in);
            }
        }
        int b0 = p.biasBounds[s];
        int b1 = p.biasBounds[s + 1];
        if (p.bias != null && b0 < b1) {
            FloatBlas.gemv(false, b1 - b0, rows, 1f, p.biasD[s], capacity, ones, beta, p.biasTarget[s]);
        }
        if (updating) {
            if (layer + 1 < plans.length) {
                update(plans[layer + 1], s);
            }
            if (layer == 0 && p.gradientByRows) {
                update(p, s);
            }
        }
    }

    private void updateFirstShard(int s) {
        update(plans[0], s);
    }

    /** w -= lr (v + penalty gradient), v += penalty gradient, over the shard's update block. */
    private void update(LayerPlan p, int s) {
        float[] w = scratch[2 * s];
        float[] v = scratch[2 * s + 1];
        if (p.updateW[s] != null) {
            Sgd.step(p.updateW[s], p.updateV[s], p.updateW[s].capacity(), learningRate, penalty, w, v);
        }
        if (p.updateB[s] != null) {
            Sgd.step(p.updateB[s], p.updateBV[s], p.updateB[s].capacity(), learningRate, penalty, w, v);
        }
    }

    /**
     * Columns [c0, c1) of a rows x stride block times {@code factor} (set to zero when it is zero,
     * as sgemm's beta 0 does): the part of a weight gradient's target outside the input span.
     */
    private static void scaleColumns(FloatBuffer target, int rows, int stride, int c0, int c1, float factor) {
        if (c0 >= c1 || factor == 1f) {
            return;
        }
        for (int i = 0; i < rows; i++) {
            int base = i * stride;
            for (int c = base + c0; c < base + c1; c++) {
                target.put(c, factor == 0f ? 0f : factor * target.get(c));
            }
        }
    }

    /** Zeroes delta where the stored activation relu(z) is +0, over units [u0, u1) and examples [r0, r1). */
    private void mask(FloatBuffer delta, FloatBuffer activation, int u0, int u1, int r0, int r1) {
        for (int u = u0; u < u1; u++) {
            int base = u * capacity;
            for (int i = base + r0; i < base + r1; i++) {
                delta.put(i, masked(delta.get(i), activation.get(i)));
            }
        }
    }

    /**
     * {@code d} where the activation relu(z) >= +0 is not +0, else +0: ReLU'(z) = 1 exactly where
     * the activation's bits are not all zero. Bit masking instead of a branch: the sign pattern is
     * random, and mispredicted branches made this loop a fifth of the training time.
     */
    private static float masked(float d, float activation) {
        int bits = Float.floatToRawIntBits(activation);
        int keep = (bits | -bits) >> 31;
        return Float.intBitsToFloat(Float.floatToRawIntBits(d) & keep);
    }

    // ---- plans -------------------------------------------------------------------------------

    /** Views of the targets for the backward pass, rebuilt when the targets change. */
    private void bindTargets(FloatBuffer[] weightTargets, FloatBuffer[] biasTargets) {
        if (weightTargets == boundWeightTargets && biasTargets == boundBiasTargets) {
            return;
        }
        for (LayerPlan p : plans) {
            p.bind(weightTargets[p.index], biasTargets[p.index]);
        }
        boundWeightTargets = weightTargets;
        boundBiasTargets = biasTargets;
    }

    /** [0, n) cut into {@link #SHARDS} blocks at multiples of {@code align} (some may be empty). */
    static int[] bounds(int n, int align) {
        int[] b = new int[SHARDS + 1];
        for (int s = 1; s < SHARDS; s++) {
            long cut = (long) n * s / SHARDS;
            b[s] = (int) Math.max(b[s - 1], Math.min(n, (cut + align / 2) / align * align));
        }
        b[SHARDS] = n;
        return b;
    }

    private static FloatBuffer view(FloatBuffer buffer, long offset) {
        return OffHeapFloats.view(buffer, (int) offset, buffer.capacity() - (int) offset);
    }

    /**
     * How one layer's products are cut, and the views of each block. A product's result is cut
     * into blocks of units when the layer is at least as wide as the batch capacity, else into
     * blocks of examples; the weight gradient along its longer side.
     */
    private final class LayerPlan {
        final int index;
        final int in;
        final int out;
        final boolean relu;
        final FloatBuffer w;
        final FloatBuffer bias;
        /** The layer's input: the batch (capacity x in) for the first layer, else X^T (in x capacity). */
        final FloatBuffer x;
        /** The row stride of {@link #x}. */
        final int xStride;
        /**
         * Per shard, {@link #x} and {@link #w} with a position of the shard's own: the first layer's
         * products start them at the input span (see {@link #findInputSpan}).
         */
        final FloatBuffer[] xOfShard = new FloatBuffer[SHARDS];
        final FloatBuffer[] wOfShard = new FloatBuffer[SHARDS];
        final FloatBuffer delta;

        final boolean forwardByUnits;
        final int[] forwardBounds;
        final FloatBuffer[] forwardX = new FloatBuffer[SHARDS];
        final FloatBuffer[] forwardW = new FloatBuffer[SHARDS];
        final FloatBuffer[] forwardZ = new FloatBuffer[SHARDS];

        final boolean gradientByRows;
        final int[] gradientBounds;
        final FloatBuffer[] gradientD = new FloatBuffer[SHARDS];
        final FloatBuffer[] gradientX = new FloatBuffer[SHARDS];
        final FloatBuffer[] gradientTarget = new FloatBuffer[SHARDS];
        final int[] biasBounds;
        final FloatBuffer[] biasD = new FloatBuffer[SHARDS];
        final FloatBuffer[] biasTarget = new FloatBuffer[SHARDS];

        final boolean inputGradientByUnits;
        final int[] inputGradientBounds;
        final FloatBuffer[] inputGradientD = new FloatBuffer[SHARDS];
        final FloatBuffer[] inputGradientW = new FloatBuffer[SHARDS];
        final FloatBuffer[] inputGradientC = new FloatBuffer[SHARDS];

        /** Flat blocks of the weights (and biases) each shard updates. */
        final int[] updateBounds;
        final FloatBuffer[] updateW = new FloatBuffer[SHARDS];
        final FloatBuffer[] updateV = new FloatBuffer[SHARDS];
        final FloatBuffer[] updateB = new FloatBuffer[SHARDS];
        final FloatBuffer[] updateBV = new FloatBuffer[SHARDS];

        LayerPlan(int l) {
            DenseLayer layer = network.layer(l);
            index = l;
            in = layer.in();
            out = layer.out();
            relu = layer.relu();
            w = layer.weightBuffer();
            bias = layer.biasBuffer();
            x = l == 0 ? input : activations[l - 1];
            xStride = l == 0 ? in : capacity;
            delta = deltas[l];
            FloatBuffer z = activations[l];
            for (int s = 0; s < SHARDS; s++) {
                xOfShard[s] = x.duplicate();
                wOfShard[s] = w.duplicate();
            }

            forwardByUnits = out >= capacity;
            forwardBounds = forwardByUnits ? bounds(out, UNIT_ALIGN) : rowBounds;
            for (int s = 0; s < SHARDS; s++) {
                int lo = forwardBounds[s];
                if (forwardByUnits) {
                    forwardW[s] = view(w, (long) lo * in);
                    forwardZ[s] = view(z, (long) lo * capacity);
                } else {
                    forwardX[s] = view(x, l == 0 ? (long) lo * in : lo);
                    forwardZ[s] = view(z, lo);
                }
            }

            gradientByRows = out >= in;
            gradientBounds = gradientByRows ? bounds(out, UNIT_ALIGN) : bounds(in, UNIT_ALIGN);
            biasBounds = gradientByRows ? gradientBounds : firstShardOnly(out);
            updateBounds = gradientByRows ? gradientBounds : bounds(Math.multiplyExact(in, out), UNIT_ALIGN);
            inputGradientByUnits = in >= capacity;
            inputGradientBounds = inputGradientByUnits ? bounds(in, UNIT_ALIGN) : rowBounds;
            if (!withGradients) {
                return;
            }
            for (int s = 0; s < SHARDS; s++) {
                int lo = gradientBounds[s];
                if (gradientByRows) {
                    gradientD[s] = view(delta, (long) lo * capacity);
                } else {
                    gradientX[s] = view(x, l == 0 ? lo : (long) lo * capacity);
                }
                biasD[s] = view(delta, (long) biasBounds[s] * capacity);
                if (l > 0) {
                    int g = inputGradientBounds[s];
                    if (inputGradientByUnits) {
                        inputGradientW[s] = view(w, g);
                        inputGradientC[s] = view(deltas[l - 1], (long) g * capacity);
                    } else {
                        inputGradientD[s] = view(delta, g);
                        inputGradientC[s] = view(deltas[l - 1], g);
                    }
                }
            }
        }

        private int[] firstShardOnly(int n) {
            int[] b = new int[SHARDS + 1];
            for (int s = 1; s <= SHARDS; s++) {
                b[s] = n;
            }
            return b;
        }

        void bind(FloatBuffer weights, FloatBuffer biases) {
            for (int s = 0; s < SHARDS; s++) {
                int lo = gradientBounds[s];
                gradientTarget[s] = view(weights, gradientByRows ? (long) lo * in : lo);
                biasTarget[s] = view(biases, biasBounds[s]);
                long u0 = gradientByRows ? (long) updateBounds[s] * in : updateBounds[s];
                long u1 = gradientByRows ? (long) updateBounds[s + 1] * in : updateBounds[s + 1];
                updateW[s] = u0 < u1 ? OffHeapFloats.view(w, (int) u0, (int) (u1 - u0)) : null;
                updateV[s] = u0 < u1 ? OffHeapFloats.view(weights, (int) u0, (int) (u1 - u0)) : null;
                int b0 = biasBounds[s];
                int b1 = biasBounds[s + 1];
                updateB[s] = bias != null && b0 < b1 ? OffHeapFloats.view(bias, b0, b1 - b0) : null;
                updateBV[s] = bias != null && b0 < b1 ? OffHeapFloats.view(biases, b0, b1 - b0) : null;
            }
        }
    }

    // ---- BLAS threads ------------------------------------------------------------------------

    /** Sets OpenBLAS to one thread while shards run in parallel; returns the count to restore, or 0. */
    private int singleThreadedBlas() {
        if (parallelism <= 1) {
            return 0;
        }
        int threads = OpenBlas.threads();
        if (threads == 1) {
            return 0;
        }
        OpenBlas.setThreads(1);
        return threads;
    }

    private static void restoreBlas(int threads) {
        if (threads > 0) {
            OpenBlas.setThreads(threads);
        }
    }

    private void requireGradients() {
        if (!withGradients) {
            throw new IllegalStateException("this Propagation was built without gradients");
        }
    }

    private void checkRows(int rows) {
        if (rows < 1 || rows > capacity) {
            throw new IllegalArgumentException("batch of " + rows + " rows, capacity " + capacity);
        }
    }

    /** The mean loss and the number of correct predictions of one batch. */
    public record BatchScore(double meanLoss, int correct) {
    }
}
