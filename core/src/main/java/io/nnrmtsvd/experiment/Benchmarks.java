package io.nnrmtsvd.experiment;

import io.nnrmtsvd.io.HalfFloats;
import io.nnrmtsvd.io.NpyFiles;
import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.DoubleLapack;
import io.nnrmtsvd.linalg.FloatBlas;
import io.nnrmtsvd.linalg.OffHeapFloats;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.nn.BatchListener;
import io.nnrmtsvd.nn.EpochHook;
import io.nnrmtsvd.nn.Examples;
import io.nnrmtsvd.nn.Initialization;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.Propagation;
import io.nnrmtsvd.nn.Trainer;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.GramSpectrum;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/** The measurements behind {@code rmtsvd bench}: medians of repeated runs after a warm-up. */
public final class Benchmarks {
    private Benchmarks() {
    }

    /**
     * Training speed of a network.
     *
     * @param threads BLAS threads
     * @param secondsPerEpoch median training time of an epoch (shuffle and mini-batches; no evaluation)
     * @param imagesPerSecond training examples per second at that median
     * @param gflops effective GFLOP/s of the epoch's matrix products at that median
     * @param heapPeakMb peak Java heap during the measurement
     * @param epochSeconds training seconds of each measured epoch (the warm-up epoch left out)
     * @param epochCpuSeconds process CPU seconds of the same epochs, all threads: the work done,
     *     which other processes on the machine do not inflate as they inflate the seconds
     */
    public record TrainingSpeed(int threads, double secondsPerEpoch, double imagesPerSecond, double gflops,
                                double heapPeakMb, double[] epochSeconds, double[] epochCpuSeconds) {
    }

    /** Trains {@code widths} for 1 + {@code repeats} epochs and reports the median of the last ones. */
    public static TrainingSpeed training(int[] widths, Examples train, Examples test, int threads, int repeats) {
        OpenBlas.setThreads(threads);
        long[] started = new long[2];
        double[] seconds = new double[repeats + 1];
        double[] cpu = new double[repeats + 1];
        EpochHook clock = new EpochHook() {
            @Override
            public Optional<Network> beforeEpoch(int epoch, Network network) {
                started[0] = System.nanoTime();
                started[1] = processCpuNanos();
                return Optional.empty();
            }
        };
        BatchListener stop = (epoch, done, total) -> {
            if (done == total) {
                seconds[epoch - 1] = (System.nanoTime() - started[0]) / 1e9;
                cpu[epoch - 1] = (processCpuNanos() - started[1]) / 1e9;
            }
        };
        resetHeapPeak();
        Network network = Network.initialize(widths, false, new SplittableRandom(1));
        new Trainer(TrainingConfig.published(repeats + 1, 1), clock, stop).train(network, train, test);
        double[] measured = Arrays.copyOfRange(seconds, 1, seconds.length);
        double median = median(measured);
        return new TrainingSpeed(threads, median, train.count() / median,
                trainingFlops(widths, train.count(), TrainingConfig.DEFAULT_BATCH_SIZE) / median / 1e9, heapPeakMb(),
                measured, Arrays.copyOfRange(cpu, 1, cpu.length));
    }

    /**
     * The median number of input features the first layer multiplies a batch
     * ({@link Propagation#inputSpanWidth}) over the full batches of the first epoch of a run with
     * this seed.
     */
    public static int medianInputSpan(Examples train, int batchSize, long seed) {
        int features = train.features();
        int batches = train.count() / batchSize;
        if (batches == 0) {
            return features;
        }
        int[] order = Trainer.firstEpochOrder(train.count(), new SplittableRandom(seed));
        FloatBuffer batch = OffHeapFloats.allocate((long) batchSize * features);
        int[] widths = new int[batches];
        for (int b = 0; b < batches; b++) {
            for (int r = 0; r < batchSize; r++) {
                batch.put(r * features, train.inputs(), order[b * batchSize + r] * features, features);
            }
            widths[b] = Propagation.inputSpanWidth(batch, batchSize, features);
        }
        Arrays.sort(widths);
        return widths[batches / 2];
    }

    /** CPU nanoseconds this process has used, all threads (-1 where the JVM cannot tell). */
    public static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * What the follow-up paper's recipe costs per training epoch, measured in one run: plain and
     * recipe epochs alternate, so that both see the same machine load.
     *
     * @param threads BLAS threads
     * @param plainSeconds median training time of a plain epoch (shuffle and mini-batches; no evaluation)
     * @param recipeSeconds median training time of an epoch with the recipe
     * @param ratio recipeSeconds / plainSeconds
     * @param pairs measured pairs of epochs after the warm-up pair
     * @param plainCpuSeconds median process CPU seconds of a plain epoch
     * @param recipeCpuSeconds median process CPU seconds of an epoch with the recipe
     */
    public record RecipeCost(int threads, double plainSeconds, double recipeSeconds, double ratio, int pairs,
                             double plainCpuSeconds, double recipeCpuSeconds) {
        /** recipeCpuSeconds / plainCpuSeconds: the ratio other processes on the machine disturb least. */
        public double cpuRatio() {
            return recipeCpuSeconds / plainCpuSeconds;
        }
    }

    /**
     * Times 1 + {@code pairs} pairs of single epochs, plain training then training with the
     * recipe's initialisation, L1 and L2 penalties and learning-rate decay, each pair on fresh
     * networks, and reports the medians of all but the first pair. Normalised inputs cost nothing
     * per epoch (they are prepared once), but the recipe epochs use them.
     *
     * @param plain the training examples as they are
     * @param normalized the same examples normalised
     * @param recipe the recipe's training configuration (decay, penalty); its epochs are ignored
     */
    public static RecipeCost recipe(int[] widths, Examples plain, Examples normalized, Examples test,
                                    TrainingConfig recipe, Initialization init, int threads, int pairs) {
        OpenBlas.setThreads(threads);
        TrainingConfig plainConfig = new TrainingConfig(1, recipe.learningRate(), recipe.momentum(),
                recipe.batchSize(), 1);
        TrainingConfig recipeConfig = new TrainingConfig(1, recipe.learningRate(), recipe.momentum(),
                recipe.batchSize(), 1, false, recipe.learningRateDecay(), recipe.penalty());
        double[] plainSeconds = new double[pairs];
        double[] recipeSeconds = new double[pairs];
        double[] plainCpu = new double[pairs];
        double[] recipeCpu = new double[pairs];
        for (int i = 0; i <= pairs; i++) {
            double[] p = epochSeconds(plainConfig, Network.initialize(widths, false, new SplittableRandom(i)), plain,
                    test);
            double[] r = epochSeconds(recipeConfig, Network.initialize(widths, false, init, new SplittableRandom(i)),
                    normalized, test);
            if (i > 0) {
                plainSeconds[i - 1] = p[0];
                recipeSeconds[i - 1] = r[0];
                plainCpu[i - 1] = p[1];
                recipeCpu[i - 1] = r[1];
            }
        }
        double a = median(plainSeconds);
        double b = median(recipeSeconds);
        return new RecipeCost(threads, a, b, b / a, pairs, median(plainCpu), median(recipeCpu));
    }

    /** The training time of one epoch (no evaluation): {wall seconds, process CPU seconds}. */
    private static double[] epochSeconds(TrainingConfig config, Network network, Examples train, Examples test) {
        long[] times = new long[4];
        EpochHook clock = new EpochHook() {
            @Override
            public Optional<Network> beforeEpoch(int epoch, Network current) {
                times[0] = System.nanoTime();
                times[2] = processCpuNanos();
                return Optional.empty();
            }
        };
        BatchListener stop = (epoch, done, total) -> {
            if (done == total) {
                times[1] = System.nanoTime();
                times[3] = processCpuNanos();
            }
        };
        new Trainer(config, clock, stop).train(network, train, test);
        return new double[] {(times[1] - times[0]) / 1e9, (times[3] - times[2]) / 1e9};
    }

    /**
     * Matrix-product flops of one training epoch: per mini-batch of b rows and layer in x out, the
     * forward product and the weight gradient (2 b in out each), and the input gradient for every
     * layer but the first.
     */
    public static double trainingFlops(int[] widths, int examples, int batch) {
        double perRow = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            perRow += (l == 0 ? 4.0 : 6.0) * widths[l] * widths[l + 1];
        }
        return perRow * examples;
    }

    /**
     * Flops of the eigenvalues of the Gram matrix of a rows x cols matrix, p = min, n = max: the
     * Gram matrix by syrk (p^2 n, one triangle) and the symmetric eigenvalues (4/3 p^3, the
     * reduction to tridiagonal or band form; the rest is O(p^2)). The bound on the time is these
     * over the peak of the precision each runs in.
     *
     * @return {gram flops, eigensolver flops}
     */
    public static double[] gramEigenvalueFlops(long rows, long cols) {
        double p = Math.min(rows, cols);
        double n = Math.max(rows, cols);
        return new double[] {p * p * n, 4.0 / 3.0 * p * p * p};
    }

    /**
     * Plain sgemm GFLOP/s on the training's large shapes (forward, weight gradient), each timed as
     * the median of {@code repeats} calls after a warm-up, combined by flops.
     */
    public static double sgemmGflops(int[] widths, int threads, int repeats) {
        OpenBlas.setThreads(threads);
        int b = TrainingConfig.DEFAULT_BATCH_SIZE;
        double flops = 0;
        double seconds = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            FloatBuffer x = random(b * in);
            FloatBuffer w = random(out * in);
            FloatBuffer z = OffHeapFloats.allocate((long) b * out);
            FloatBuffer g = OffHeapFloats.allocate((long) out * in);
            double forward = medianSeconds(() -> FloatBlas.gemm(false, true, b, out, in, 1f, x, w, 0f, z), repeats);
            double gradient = medianSeconds(() -> FloatBlas.gemm(true, false, out, in, b, 1f, z, x, 0f, g), repeats);
            flops += 4.0 * b * in * out;
            seconds += forward + gradient;
        }
        return flops / seconds / 1e9;
    }

    /**
     * What sgemm attains on this machine: GFLOP/s of an n x n x n product of off-heap matrices,
     * the median of {@code repeats} calls after a warm-up. A large square product is the best case
     * of a BLAS: packing and memory traffic are negligible beside its n^3 multiply-adds.
     */
    public static double squareSgemmGflops(int n, int threads, int repeats) {
        OpenBlas.setThreads(threads);
        FloatBuffer a = random(n * n);
        FloatBuffer b = random(n * n);
        FloatBuffer c = OffHeapFloats.allocate((long) n * n);
        double seconds = medianSeconds(() -> FloatBlas.gemm(false, false, n, n, n, 1f, a, b, 0f, c), repeats);
        return 2.0 * n * n * n / seconds / 1e9;
    }

    /**
     * Median seconds of a BEMA fit of a rows x cols Gaussian matrix (spectrum included) over
     * {@code repeats} fits after a warm-up one, and the heap peak.
     */
    public static double[] bema(int rows, int cols, int repeats) {
        DMatrix w = gaussian(rows, cols, 1);
        resetHeapPeak();
        double seconds = medianSeconds(() -> Bema.create().fit(w), repeats);
        return new double[] {seconds, heapPeakMb()};
    }

    /** Seconds to compute the Gram eigenvalues of a rows x cols Gaussian matrix in double, and the heap peak. */
    public static double[] eigenvalues(int rows, int cols) {
        DMatrix w = gaussian(rows, cols, 2);
        resetHeapPeak();
        long t = System.nanoTime();
        GramSpectrum.of(w);
        return new double[] {(System.nanoTime() - t) / 1e9, heapPeakMb()};
    }

    /**
     * The checkpoint route for one large layer against the reference.
     *
     * @param seconds median seconds of {@link GramSpectrum#ofFloats} (the route of {@code spectrum}
     *     on checkpoints)
     * @param referenceSeconds seconds of dgesdd in double, singular values only, on the same values
     * @param largestRelativeError |largest eigenvalue - reference| / reference
     * @param medianRelativeError the same for the median eigenvalue
     * @param spikes BEMA spikes (defaults) of the route's spectrum
     * @param referenceSpikes BEMA spikes of the reference spectrum
     */
    public record LayerRoute(double seconds, double referenceSeconds, double largestRelativeError,
                             double medianRelativeError, int spikes, int referenceSpikes) {
    }

    /**
     * Measures the checkpoint route on a rows x cols layer made like make_checkpoint.py's bench
     * preset: Gaussian noise of std 0.02 plus {@code signal} planted directions whose singular
     * values run from 4 to 2.5 times the Marchenko-Pastur edge, rounded to BF16.
     */
    public static LayerRoute layerRoute(int rows, int cols, int signal, int repeats) {
        float[] layer = plantedBf16Layer(rows, cols, signal, 5);
        GramSpectrum.Scaling scaling = GramSpectrum.Scaling.BY_N;
        GramSpectrum[] last = new GramSpectrum[1];
        double seconds = medianSeconds(() -> last[0] = GramSpectrum.ofFloats(layer, rows, cols, scaling), repeats);
        GramSpectrum route = last[0];
        long t = System.nanoTime();
        double[] s = DoubleLapack.singularValues(DMatrix.copyOf(rows, cols, layer));
        double referenceSeconds = (System.nanoTime() - t) / 1e9;
        GramSpectrum reference = GramSpectrum.fromSingularValues(s, rows, cols, scaling);
        double[] e = route.eigenvalues();
        double[] r = reference.eigenvalues();
        int p = r.length;
        return new LayerRoute(seconds, referenceSeconds, Math.abs(e[p - 1] - r[p - 1]) / r[p - 1],
                Math.abs(e[p / 2] - r[p / 2]) / r[p / 2], Bema.create().fit(route).spikes(),
                Bema.create().fit(reference).spikes());
    }

    /** The layer {@link #layerRoute} measures, row-major (also used by scripts/EigenRoutes.java). */
    public static float[] plantedBf16Layer(int rows, int cols, int signal, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] left = new double[signal][rows];
        double[][] right = new double[signal][cols];
        double edge = 0.02 * (Math.sqrt(rows) + Math.sqrt(cols));
        for (int t = 0; t < signal; t++) {
            double strength = edge * (4.0 - 1.5 * t / Math.max(1, signal - 1));
            for (int i = 0; i < rows; i++) {
                left[t][i] = strength * random.nextGaussian() / Math.sqrt(rows);
            }
            for (int j = 0; j < cols; j++) {
                right[t][j] = random.nextGaussian() / Math.sqrt(cols);
            }
        }
        float[] layer = new float[Math.multiplyExact(rows, cols)];
        double[] row = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                row[j] = 0.02 * random.nextGaussian();
            }
            for (int t = 0; t < signal; t++) {
                double l = left[t][i];
                double[] r = right[t];
                for (int j = 0; j < cols; j++) {
                    row[j] += l * r[j];
                }
            }
            for (int j = 0; j < cols; j++) {
                layer[i * cols + j] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16((float) row[j]));
            }
        }
        return layer;
    }

    /** A rows x cols matrix of standard Gaussian entries from a seeded generator. */
    public static DMatrix gaussian(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < values.length; i += 2) {
            // Box-Muller: two normals per pair of uniforms.
            double r = Math.sqrt(-2 * Math.log1p(-random.nextDouble()));
            double a = 2 * Math.PI * random.nextDouble();
            values[i] = r * Math.cos(a);
            if (i + 1 < values.length) {
                values[i + 1] = r * Math.sin(a);
            }
        }
        return DMatrix.wrap(rows, cols, values);
    }

    /**
     * Writes {@link #gaussian}'s matrix to a new temporary {@code .npy} file (float64), the input of
     * a peer program; the caller deletes it.
     */
    public static Path gaussianNpy(int rows, int cols, long seed) throws IOException {
        Path npy = Files.createTempFile("bench-", ".npy");
        NpyFiles.writeFloat64(npy, gaussian(rows, cols, seed));
        return npy;
    }

    /** The median of the values (the mean of the middle two for an even count). */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double medianSeconds(Runnable work, int repeats) {
        work.run();
        double[] s = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            work.run();
            s[i] = (System.nanoTime() - t) / 1e9;
        }
        return median(s);
    }

    private static FloatBuffer random(int n) {
        SplittableRandom random = new SplittableRandom(n);
        FloatBuffer b = OffHeapFloats.allocate(n);
        for (int i = 0; i < n; i++) {
            b.put(i, (float) random.nextDouble(-1, 1));
        }
        return b;
    }

    /** Resets the peak usage of every heap pool. */
    public static void resetHeapPeak() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peak usage since the last reset, in MB. */
    public static double heapPeakMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / 1048576.0;
    }
}
