import io.nnrmtsvd.linalg.FloatBlas;
import io.nnrmtsvd.linalg.OffHeapFloats;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.nn.Examples;
import io.nnrmtsvd.nn.Initialization;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.Propagation;
import io.nnrmtsvd.nn.Sgd;
import io.nnrmtsvd.nn.WeightPenalty;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * What each step of the training loop's optimisation bought (docs/BENCHMARKS.md, "What each step
 * bought"): each variant of a step of 784-1000-10 at batch 128 against the one before it, at one
 * BLAS thread, timed by the thread's own CPU time (so that other processes on the machine count as
 * little as possible), the two alternating, medians of REPEATS rounds.
 *
 * <pre>
 * mvn -q -B -ntp package -DskipTests
 * env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE java -cp cli/target/rmtsvd.jar scripts/TrainingSteps.java \
 *     [REPEATS [EXAMPLES]]     # default 9 60000 (random images as many as MNIST's, for the gather)
 * </pre>
 *
 * Prints one line per comparison: "name: X us, then Y us (first / second = r)", whether the bits
 * agree where a step claims they do, and the bytes a step allocates.
 */
public class TrainingSteps {
    static final int B = 128;
    static final int IN = 784;
    static final int OUT = 1000;
    static final int HALF = 496; // a shard of the 1000-unit layer
    static final LongSupplier CPU = () -> ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
        OpenBlas.setThreads(1);
        System.out.println("OpenBLAS " + OpenBlas.coreName() + ", 1 thread, thread CPU time, medians of " + repeats);

        // The second layer's products whole (128 x 10 x 1000) and in two halves of the batch.
        FloatBuffer a1 = random(B * OUT, 1);
        FloatBuffer w2 = random(10 * OUT, 2);
        FloatBuffer z2 = random(B * 10, 3);
        FloatBuffer g2 = random(10 * OUT, 4);
        FloatBuffer dx = random(B * OUT, 12);
        compare("second layer's three products, whole vs two halves", repeats, 200, () -> {
            FloatBlas.gemm(false, true, B, 10, OUT, 1f, a1, OUT, w2, OUT, 0f, z2, 10);
            FloatBlas.gemm(true, false, 10, OUT, B, 1f, z2, 10, a1, OUT, 0.9f, g2, OUT);
            FloatBlas.gemm(false, false, B, OUT, 10, 1f, z2, 10, w2, OUT, 0f, dx, OUT);
        }, () -> {
            for (int h = 0; h < 2; h++) {
                FloatBuffer rowsA = OffHeapFloats.view(a1, h * 64 * OUT, 64 * OUT);
                FloatBuffer rowsZ = OffHeapFloats.view(z2, h * 64 * 10, 64 * 10);
                FloatBlas.gemm(false, true, 64, 10, OUT, 1f, rowsA, OUT, w2, OUT, 0f, rowsZ, 10);
                int c0 = h * HALF;
                int c1 = h == 0 ? HALF : OUT;
                FloatBlas.gemm(true, false, 10, c1 - c0, B, 1f, z2, 10, OffHeapFloats.view(a1, c0, B * OUT - c0), OUT,
                        0.9f, OffHeapFloats.view(g2, c0, 10 * OUT - c0), OUT);
                FloatBlas.gemm(false, false, B, c1 - c0, 10, 1f, z2, 10, OffHeapFloats.view(w2, c0, 10 * OUT - c0), OUT,
                        0f, OffHeapFloats.view(dx, c0, B * OUT - c0), OUT);
            }
        });

        // The momentum: sgemm's own beta 0.9, or sscal then beta 1.
        FloatBuffer d = random(B * HALF, 5);
        FloatBuffer x = random(B * IN, 6);
        FloatBuffer v1 = random(HALF * IN, 7);
        FloatBuffer v2 = random(HALF * IN, 7);
        compare("v = 0.9 v + D^T X on a 496 x 784 block: sgemm beta 0.9 vs sscal + sgemm beta 1", repeats, 50,
                () -> FloatBlas.gemm(true, false, HALF, IN, B, 1f, d, HALF, x, IN, 0.9f, v1, IN),
                () -> {
                    FloatBlas.scal(HALF * IN, 0.9f, v2);
                    FloatBlas.gemm(true, false, HALF, IN, B, 1f, d, HALF, x, IN, 1f, v2, IN);
                });
        FloatBuffer e1 = random(HALF * IN, 8);
        FloatBuffer e2 = random(HALF * IN, 8);
        FloatBlas.gemm(true, false, HALF, IN, B, 1f, d, HALF, x, IN, 0.9f, e1, IN);
        FloatBlas.scal(HALF * IN, 0.9f, e2);
        FloatBlas.gemm(true, false, HALF, IN, B, 1f, d, HALF, x, IN, 1f, e2, IN);
        System.out.println("  same bits: " + Arrays.equals(OffHeapFloats.toArray(e1), OffHeapFloats.toArray(e2)));

        // Layout of activations: an example a row (Z = X W^T) or a unit a row (Z^T = W X^T).
        FloatBuffer w = random(HALF * IN, 9);
        FloatBuffer z = random(B * HALF, 10);
        compare("forward on a 496-unit block: Z = X W^T vs Z^T = W X^T", repeats, 50,
                () -> FloatBlas.gemm(false, true, B, HALF, IN, 1f, x, IN, w, IN, 0f, z, HALF),
                () -> FloatBlas.gemm(false, true, HALF, B, IN, 1f, w, IN, x, IN, 0f, z, B));
        compare("weight gradient on a 496-unit block: D^T X with D a row per example vs a row per unit", repeats, 50,
                () -> FloatBlas.gemm(true, false, HALF, IN, B, 1f, d, HALF, x, IN, 1f, v1, IN),
                () -> FloatBlas.gemm(false, false, HALF, IN, B, 1f, d, B, x, IN, 1f, v1, IN));

        // Whole steps through the library: the step with and without the recipe's penalty, the
        // gather, and what a step allocates.
        Examples data = examples(count, 11);
        int[] order = new int[data.count()];
        SplittableRandom shuffle = new SplittableRandom(12);
        for (int i = 0; i < order.length; i++) {
            int j = shuffle.nextInt(i + 1);
            order[i] = order[j];
            order[j] = i;
        }
        int batches = count / B;
        Network plain = Network.initialize(new int[] {IN, OUT, 10}, false, new SplittableRandom(1));
        Network recipe = Network.initialize(new int[] {IN, OUT, 10}, false, Initialization.NORMAL, new SplittableRandom(1));
        Propagation p1 = new Propagation(plain, B, true, 1);
        Propagation p2 = new Propagation(recipe, B, true, 1);
        Sgd s1 = new Sgd(plain, 0.01, 0.9);
        Sgd s2 = new Sgd(recipe, 0.01, 0.9);
        WeightPenalty penalty = new WeightPenalty(WeightPenalty.FOLLOW_UP, WeightPenalty.FOLLOW_UP);
        int[] batch = {0};
        compare("a training step of 784-1000-10: plain vs with the recipe's L1 and L2 penalty", repeats, 20, () -> {
            int from = (batch[0]++ % batches) * B;
            p1.loadBatch(data, order, from, B);
            p1.trainStep(B, data.labels(), order, from, s1, WeightPenalty.NONE);
        }, () -> {
            int from = (batch[0]++ % batches) * B;
            p2.loadBatch(data, order, from, B);
            p2.trainStep(B, data.labels(), order, from, s2, penalty);
        });
        compare("gathering a batch of random rows vs the step it feeds", repeats, 20,
                () -> p1.loadBatch(data, order, (batch[0]++ % batches) * B, B),
                () -> p1.trainStep(B, data.labels(), order, 0, s1, WeightPenalty.NONE));
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = 0;
        for (int round = 0; round < 2; round++) { // the first round still loads classes
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100; i++) {
                p1.loadBatch(data, order, (i % batches) * B, B);
                p1.trainStep(B, data.labels(), order, (i % batches) * B, s1, WeightPenalty.NONE);
            }
            allocated = mx.getCurrentThreadAllocatedBytes() - before;
        }
        System.out.println("bytes allocated by 100 steps (after warm-up): " + allocated);
    }

    /** Median microseconds of {@code calls} calls of each, alternating rounds. */
    static void compare(String name, int repeats, int calls, Runnable before, Runnable after) {
        for (int i = 0; i < 3; i++) { // warm-up
            before.run();
            after.run();
        }
        double[] a = new double[repeats];
        double[] b = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            a[r] = micros(before, calls);
            b[r] = micros(after, calls);
        }
        Arrays.sort(a);
        Arrays.sort(b);
        double ma = a[repeats / 2];
        double mb = b[repeats / 2];
        System.out.printf(java.util.Locale.ROOT, "%s: %.0f us, then %.0f us (first / second = %.2f)%n", name, ma, mb,
                ma / mb);
    }

    static double micros(Runnable work, int calls) {
        long t = CPU.getAsLong();
        for (int i = 0; i < calls; i++) {
            work.run();
        }
        return (CPU.getAsLong() - t) / 1e3 / calls;
    }

    static FloatBuffer random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        FloatBuffer f = OffHeapFloats.allocate(n);
        for (int i = 0; i < n; i++) {
            f.put(i, (float) r.nextDouble(-1, 1));
        }
        return f;
    }

    static Examples examples(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        FloatBuffer inputs = OffHeapFloats.allocate((long) count * IN);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = r.nextInt(10);
            for (int j = 0; j < IN; j++) {
                inputs.put(i * IN + j, (float) r.nextDouble());
            }
        }
        return new Examples(inputs, labels, IN);
    }
}
