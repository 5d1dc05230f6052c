package io.nnrmtsvd.bench;

import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.BemaFit;
import io.nnrmtsvd.rmt.GramSpectrum;
import io.nnrmtsvd.rmt.RandomMatrices;
import io.nnrmtsvd.rmt.TracyWidom;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Times BEMA on a 1000 x 784 Gaussian matrix (against the Python reference seed_bema.py on the
 * same matrix, when its path is given) and the Gram eigenvalues of a 4096 x 11008 matrix. Not a
 * test; run it by hand, with the BLAS kernel variables unset as /work/shared/bench/README.md asks:
 * <pre>
 * mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE java -Xmx2g \
 *     -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.nnrmtsvd.bench.RmtBenchmark /work/shared/bench/seed_bema.py
 * </pre>
 *
 * <p>Measured 2026-11-25 on the 2-core machine (OpenBLAS core Zen, 2 threads, -Xmx2g, other
 * builds idle): BEMA 1000x784 47.9 ms per fit of the matrix (syrk + syevd + 0.5 ms of BEMA
 * proper), 96 ms on the first call; seed_bema.py 0.89 s on the same matrix, so 19x warm and 9x
 * cold. Eigenvalues of 4096x11008: 6.7 s in double precision with a heap peak of 347 MB (the
 * matrix itself is 344 MB; the native copy and Gram matrix add 472 MB off-heap), 3.1 s in single
 * precision (heap peak 180 MB, eigenvalues within 6e-5 of double). Under load from other builds
 * the same run took up to six times longer.
 */
public final class RmtBenchmark {
    private static final int REPEATS = 20;
    private static final int SEED_REPEATS = 3;

    private RmtBenchmark() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        System.out.printf("OpenBLAS core %s, %d threads; Java %s; max heap %d MB%n", OpenBlas.coreName(),
                OpenBlas.threads(), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        SplittableRandom rng = new SplittableRandom(42);
        DMatrix w = RandomMatrices.gaussian(rng, 1000, 784, 1);

        long start = System.nanoTime();
        BemaFit first = Bema.create().fit(w);
        double coldSeconds = seconds(start);
        double[] matrixFit = new double[REPEATS];
        double[] spectrumFit = new double[REPEATS];
        double[] eigenvalues = first.eigenvalues();
        for (int i = 0; i < REPEATS; i++) {
            start = System.nanoTime();
            Bema.create().fit(w);
            matrixFit[i] = seconds(start);
            start = System.nanoTime();
            Bema.create().fit(eigenvalues, 784, 1000);
            spectrumFit[i] = seconds(start);
        }
        double warm = median(matrixFit);
        System.out.printf("BEMA 1000x784: first call %.1f ms (includes the TW quantile and JIT), "
                        + "then median %.1f ms per fit of the matrix, %.2f ms per fit of its eigenvalues; "
                        + "sigma2 %.6f, lambda_plus %.6f, spikes %d%n",
                coldSeconds * 1e3, warm * 1e3, median(spectrumFit) * 1e3, first.sigma2(), first.lambdaPlus(),
                first.spikes());
        if (args.length > 0) {
            Path npy = Files.createTempFile("bema-bench", ".npy");
            writeNpy(npy, w);
            double[] seedSeconds = new double[SEED_REPEATS];
            for (int i = 0; i < SEED_REPEATS; i++) {
                Process python = new ProcessBuilder("python3", args[0], npy.toString())
                        .redirectErrorStream(true).start();
                String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                python.waitFor();
                if (i == 0) {
                    System.out.println("seed_bema.py: " + output);
                }
                seedSeconds[i] = Double.parseDouble(output.replaceAll(".*\"seconds\": ([0-9.eE+-]+).*", "$1"));
            }
            Files.delete(npy);
            double seed = median(seedSeconds);
            System.out.printf("seed_bema.py median of %d runs: %.3f s; speed-up %.0fx warm, %.0fx on the first call%n",
                    SEED_REPEATS, seed, seed / warm, seed / coldSeconds);
        }

        start = System.nanoTime();
        double q = TracyWidom.of(2).quantile(0.95);
        System.out.printf("Tracy-Widom: first TW2 quantile %.1f ms (%.10f)%n", seconds(start) * 1e3, q);

        w = null;
        DMatrix big = RandomMatrices.gaussian(rng, 4096, 11008, 1);
        System.gc();
        resetPeaks();
        start = System.nanoTime();
        double[] e = GramSpectrum.of(big).eigenvalues();
        System.out.printf("4096x11008 double (dsyrk + dsyevd): %.2f s, largest %.6f; heap peak %d MB "
                + "(the matrix itself: 344 MB)%n", seconds(start), e[e.length - 1], heapPeakMb());
        float[][] floats = new float[4096][11008];
        for (int i = 0; i < 4096; i++) {
            for (int j = 0; j < 11008; j++) {
                floats[i][j] = (float) big.get(i, j);
            }
        }
        big = null;
        System.gc();
        resetPeaks();
        start = System.nanoTime();
        double[] f = GramSpectrum.ofSinglePrecision(floats, GramSpectrum.Scaling.BY_N).eigenvalues();
        double worst = 0;
        for (int i = 0; i < f.length; i++) {
            worst = Math.max(worst, Math.abs(f[i] - e[i]));
        }
        System.out.printf("4096x11008 single (ssyrk + ssyevd): %.2f s, max |difference| %.2e "
                + "(largest eigenvalue %.3f); heap peak %d MB (the matrix itself: 172 MB)%n",
                seconds(start), worst, e[e.length - 1], heapPeakMb());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    /** Sum of the heap pools' peaks since the last reset (an upper bound of the true peak). */
    private static long heapPeakMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes >> 20;
    }

    /** Writes a C-order little-endian float64 .npy, version 1.0. */
    private static void writeNpy(Path path, DMatrix m) throws IOException {
        StringBuilder header = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': ("
                + m.rows() + ", " + m.cols() + "), }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        ByteBuffer buffer = ByteBuffer.allocate(10 + header.length() + 8 * m.data().length)
                .order(ByteOrder.LITTLE_ENDIAN);
        buffer.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length()).put(header.toString().getBytes(StandardCharsets.US_ASCII));
        buffer.asDoubleBuffer().put(m.data());
        Files.write(path, buffer.array());
    }
}
