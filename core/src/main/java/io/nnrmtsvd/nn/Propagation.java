package io.nnrmtsvd.nn;

import io.nnrmtsvd.linalg.FloatBlas;
import io.nnrmtsvd.linalg.OffHeapFloats;
import io.nnrmtsvd.linalg.OpenBlas;
import java.nio.FloatBuffer;
import java.util.List;

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
 * two single-threaded calls on these shapes (docs/BENCHMARKS.md).
 *
 * <p>While a call runs with parallelism above 1, OpenBLAS is set to one thread (the setting is
 * process-wide) and restored afterwards; {@link Trainer} sets it once per epoch instead.
 *
 * <p>Not thread-safe; one instance per network and thread.
 */
public final class Propagation {
    /**
     * Blocks of every product: fixed, so that results do not depend on the thread count. Two suit
     * the two-core machines this runs on; more than two threads gain nothing here.
     */
    public static final int SHARDS = 2;
    /** Column cuts fall on multiples of this (64 bytes of floats, and the sgemm kernels' unroll). */
    private static final int COLUMN_ALIGN = 16;
    private static final int ROW_ALIGN = 8;

    private final Network network;
    private final int capacity;
    private final boolean withGradients;
    private final int parallelism;
    private final FloatBuffer input;
    private final FloatBuffer[] activations;
    private final FloatBuffer[] deltas;
    private final FloatBuffer ones;
    private final LayerPlan[] plans;
    /** The capacity's rows cut into shards: gathering inputs, losses, scores. */
    private final int[] rowBounds;
    private final boolean lastForwardByRows;

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
        lastForwardByRows = !plans[n - 1].forwardByColumns;
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
        return activations[network.size() - 1];
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
        int last = network.size() - 1;
        for (int l = 0; l <= last; l++) {
            layer = l;
            ShardPool.run(parallelism, SHARDS, forwardTask);
        }
        if (tail != TAIL_NONE && !lastForwardByRows) {
            ShardPool.run(parallelism, SHARDS, tailTask);
        }
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
        if (p.forwardByColumns) {
            if (lo < hi) {
                FloatBlas.gemm(false, true, rows, hi - lo, p.in, 1f, p.x, p.in, p.forwardW[s], p.in, 0f,
                        p.forwardZ[s], p.out);
                biasAndRelu(p, 0, rows, lo, hi);
            }
        } else {
            hi = Math.min(hi, rows);
            if (lo < hi) {
                FloatBlas.gemm(false, true, hi - lo, p.out, p.in, 1f, p.forwardX[s], p.in, p.w, p.in, 0f,
                        p.forwardZ[s], p.out);
                biasAndRelu(p, lo, hi, 0, p.out);
            }
            if (layer == plans.length - 1 && tail != TAIL_NONE) {
                tailShard(s);
            }
        }
    }

    /** z = relu(z + b) (or z + b) over rows [r0, r1) and columns [c0, c1) of the layer's output. */
    private void biasAndRelu(LayerPlan p, int r0, int r1, int c0, int c1) {
        FloatBuffer z = activations[p.index];
        FloatBuffer b = p.bias;
        int out = p.out;
        if (b == null && !p.relu) {
            return;
        }
        for (int r = r0; r < r1; r++) {
            int base = r * out;
            if (b != null && p.relu) {
                for (int j = c0; j < c1; j++) {
                    z.put(base + j, Math.max(z.get(base + j) + b.get(j), 0f));
                }
            } else if (b != null) {
                for (int j = c0; j < c1; j++) {
                    z.put(base + j, z.get(base + j) + b.get(j));
                }
            } else {
                for (int j = c0; j < c1; j++) {
                    z.put(base + j, Math.max(z.get(base + j), 0f));
                }
            }
        }
    }

    /** Loss (and gradient at the output, or the count of correct rows) over the shard's rows. */
    private void tailShard(int s) {
        int r0 = rowBounds[s];
        int r1 = Math.min(rowBounds[s + 1], rows);
        FloatBuffer out = activations[plans.length - 1];
        int classes = network.outputSize();
        double lossSum = 0;
        int correct = 0;
        if (tail == TAIL_SCORE) {
            for (int r = r0; r < r1; r++) {
                int label = labels[order == null ? from + r : order[from + r]];
                int base = r * classes;
                float max = Float.NEGATIVE_INFINITY;
                int argmax = 0;
                for (int c = 0; c < classes; c++) {
                    float v = out.get(base + c);
                    if (v > max) {
                        max = v;
                        argmax = c;
                    }
                }
                double sumExp = 0;
                for (int c = 0; c < classes; c++) {
                    sumExp += Math.exp(out.get(base + c) - max);
                }
                lossSum += Math.log(sumExp) + max - out.get(base + label);
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
                int base = r * classes;
                float max = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, out.get(base + c));
                }
                double sumExp = 0;
                for (int c = 0; c < classes; c++) {
                    sumExp += Math.exp(out.get(base + c) - max);
                }
                double logSumExp = Math.log(sumExp) + max;
                lossSum += logSumExp - out.get(base + label);
                for (int c = 0; c < classes; c++) {
                    double softmax = Math.exp(out.get(base + c) - logSumExp);
                    delta.put(base + c, (float) (softmax - (c == label ? 1 : 0)) * invRows);
                }
                if (relu) {
                    maskByActivation(delta, out, base, base + classes);
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
            LayerPlan below = plans[layer - 1];
            int lo = p.inputGradientBounds[s];
            int hi = p.inputGradientBounds[s + 1];
            if (p.inputGradientByColumns) {
                if (lo < hi) {
                    FloatBlas.gemm(false, false, rows, hi - lo, p.out, 1f, p.delta, p.out, p.inputGradientW[s], p.in,
                            0f, p.inputGradientC[s], p.in);
                    if (below.relu) {
                        maskBlock(deltas[layer - 1], activations[layer - 1], p.in, 0, rows, lo, hi);
                    }
                }
            } else {
                hi = Math.min(hi, rows);
                if (lo < hi) {
                    FloatBlas.gemm(false, false, hi - lo, p.in, p.out, 1f, p.inputGradientD[s], p.out, p.w, p.in,
                            0f, p.inputGradientC[s], p.in);
                    if (below.relu) {
                        maskBlock(deltas[layer - 1], activations[layer - 1], p.in, lo, hi, 0, p.in);
                    }
                }
            }
        }
        int lo = p.gradientBounds[s];
        int hi = p.gradientBounds[s + 1];
        if (lo < hi) {
            if (p.gradientByRows) {
                // The block is contiguous: scaling it by beta with sscal and then adding the product
                // (beta 1) gives the same bits as sgemm's own beta, whose scaling pass is slower
                // (about 80 us of 1.1 ms on a 496 x 784 block, docs/BENCHMARKS.md).
                float b = beta;
                if (b != 0f && b != 1f) {
                    FloatBlas.scal((hi - lo) * p.in, b, p.gradientTarget[s]);
                    b = 1f;
                }
                FloatBlas.gemm(true, false, hi - lo, p.in, rows, 1f, p.gradientD[s], p.out, p.x, p.in, b,
                        p.gradientTarget[s], p.in);
            } else {
                FloatBlas.gemm(true, false, p.out, hi - lo, rows, 1f, p.delta, p.out, p.gradientX[s], p.in, beta,
                        p.gradientTarget[s], p.in);
            }
        }
        int b0 = p.biasBounds[s];
        int b1 = p.biasBounds[s + 1];
        if (p.bias != null && b0 < b1) {
            FloatBlas.gemv(true, rows, b1 - b0, 1f, p.biasD[s], p.out, ones, beta, p.biasTarget[s]);
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

    /** Zeroes delta where the stored activation relu(z) is +0, over a block of a row-major matrix. */
    private static void maskBlock(FloatBuffer delta, FloatBuffer activation, int width, int r0, int r1,
                                  int c0, int c1) {
        for (int r = r0; r < r1; r++) {
            int base = r * width;
            maskByActivation(delta, activation, base + c0, base + c1);
        }
    }

    private static void maskByActivation(FloatBuffer delta, FloatBuffer activation, int from, int to) {
        // ReLU'(z) = 1 exactly where the stored activation relu(z) >= +0 is not +0, i.e. where its
        // bits are not all zero. Bit masking instead of a branch: the sign pattern is random, and
        // mispredicted branches made this loop a fifth of the training time.
        for (int i = from; i < to; i++) {
            int bits = Float.floatToRawIntBits(activation.get(i));
            int keep = (bits | -bits) >> 31;
            delta.put(i, Float.intBitsToFloat(Float.floatToRawIntBits(delta.get(i)) & keep));
        }
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
     * along its longer side; blocks of the forward output are column blocks when the layer is at
     * least as wide as the batch.
     */
    private final class LayerPlan {
        final int index;
        final int in;
        final int out;
        final boolean relu;
        final FloatBuffer w;
        final FloatBuffer bias;
        final FloatBuffer x;
        final FloatBuffer delta;

        final boolean forwardByColumns;
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

        final boolean inputGradientByColumns;
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
            delta = deltas[l];
            FloatBuffer z = activations[l];

            forwardByColumns = out >= capacity;
            forwardBounds = forwardByColumns ? bounds(out, COLUMN_ALIGN) : rowBounds;
            for (int s = 0; s < SHARDS; s++) {
                int lo = forwardBounds[s];
                if (forwardByColumns) {
                    forwardW[s] = view(w, (long) lo * in);
                    forwardZ[s] = view(z, lo);
                } else {
                    forwardX[s] = view(x, (long) lo * in);
                    forwardZ[s] = view(z, (long) lo * out);
                }
            }

            gradientByRows = out >= in;
            gradientBounds = gradientByRows ? bounds(out, COLUMN_ALIGN) : bounds(in, COLUMN_ALIGN);
            biasBounds = gradientByRows ? gradientBounds : firstShardOnly(out);
            updateBounds = gradientByRows ? gradientBounds : bounds(Math.multiplyExact(in, out), COLUMN_ALIGN);
            inputGradientByColumns = in >= capacity;
            inputGradientBounds = inputGradientByColumns ? bounds(in, COLUMN_ALIGN) : rowBounds;
            if (!withGradients) {
                return;
            }
            for (int s = 0; s < SHARDS; s++) {
                int lo = gradientBounds[s];
                if (gradientByRows) {
                    gradientD[s] = view(delta, lo);
                } else {
                    gradientX[s] = view(x, lo);
                }
                biasD[s] = view(delta, biasBounds[s]);
                if (l > 0) {
                    int g = inputGradientBounds[s];
                    if (inputGradientByColumns) {
                        inputGradientW[s] = view(w, g);
                        inputGradientC[s] = view(deltas[l - 1], g);
                    } else {
                        inputGradientD[s] = view(delta, (long) g * out);
                        inputGradientC[s] = view(deltas[l - 1], (long) g * in);
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
