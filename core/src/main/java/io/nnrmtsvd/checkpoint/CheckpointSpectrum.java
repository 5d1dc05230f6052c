package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.ConvolutionWeights;
import io.nnrmtsvd.rmt.GramSpectrum;
import io.nnrmtsvd.rmt.HeavyTailAnalysis;
import io.nnrmtsvd.rmt.RandomizedSpectrum;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * Spectra of the tensors of a checkpoint, each tensor read and analysed on its own (in double
 * precision from float storage, {@link GramSpectrum#ofFloats}), up to {@code jobs} at a time while
 * their estimated memory stays within a budget. A tensor whose estimate exceeds the whole budget
 * runs alone. Tensors the selection skips, or whose values are not finite, or that BEMA cannot fit,
 * come back as skipped with the reason; errors reading the checkpoint end the run.
 *
 * <p>Each result goes to a listener as soon as it is known, one call at a time, so a caller can
 * append it to a file and move a progress bar. BLAS threads are the caller's choice: with
 * several jobs, one BLAS thread each is the sensible setting.
 */
public final class CheckpointSpectrum {
    private static final long MIB = 1 << 20;

    private final SpectrumSettings settings;
    private final TensorSelection selection;
    private final int jobs;
    private final long memoryBudget;

    /** Receives results as they finish, one call at a time. */
    @FunctionalInterface
    public interface Listener {
        void finished(TensorResult result);
    }

    /**
     * @param jobs tensors analysed at once, at least 1
     * @param memoryBudget bytes the tensors analysed at once may take together, at least 1 MiB
     */
    public CheckpointSpectrum(SpectrumSettings settings, TensorSelection selection, int jobs, long memoryBudget) {
        if (jobs < 1) {
            throw new IllegalArgumentException("--jobs must be at least 1, got " + jobs);
        }
        if (memoryBudget < MIB) {
            throw new IllegalArgumentException("the memory budget must be at least 1 MiB, got " + memoryBudget
                    + " bytes");
        }
        this.settings = settings;
        this.selection = selection;
        this.jobs = jobs;
        this.memoryBudget = memoryBudget;
    }

    /**
     * Bytes analysing a rows x cols tensor takes: the values as float, the p x p Gram matrix in
     * float and in double (both exist while it is widened), and one staged block; with the
     * randomisation test, the matrix and its permutation in double besides.
     */
    public static long memoryEstimate(long rows, long cols, boolean randomize) {
        long p = Math.min(rows, cols);
        return 4 * rows * cols + 12 * p * p + 4 * p * 512 + 64 * p + (randomize ? 16 * rows * cols : 0);
    }

    /**
     * Jobs for a run when the user gives none: one per BLAS thread, but no more than the tensors
     * to analyse nor than the budget holds of the largest of them. One job per thread is the
     * fastest way through a checkpoint because the second stage of the eigensolver (bulge chasing)
     * runs on one thread whatever the BLAS setting: on 2 cores, 2 jobs of 1 thread took 4.0-4.2 s per
     * 4096 x 11008 layer, 1 job of 2 threads 5.2-5.3 s (docs/CHECKPOINTS.md).
     *
     * @param threads BLAS threads available in all
     * @return at least 1
     */
    public static int defaultJobs(List<TensorInfo> tensors, TensorSelection selection, boolean randomize, int threads,
                                  long memoryBudget) {
        long largest = 1;
        int selected = 0;
        for (TensorInfo t : tensors) {
            if (selection.skipReason(t).isEmpty()) {
                long[] shape = TensorSelection.matrixShape(t);
                largest = Math.max(largest, memoryEstimate(shape[0], shape[1], randomize));
                selected++;
            }
        }
        return (int) Math.max(1, Math.min(Math.min(threads, selected), memoryBudget / largest));
    }

    /**
     * Analyses {@code tensors} of {@code checkpoint}.
     *
     * <p>One thread reads the tensors, in order, ahead of the jobs that analyse them: while the
     * jobs work, the next tensor is read (at most one ahead, and only when the memory budget holds
     * it beside those being analysed), so reading the file overlaps the arithmetic.
     *
     * @return one result per tensor, in the order given
     * @throws io.nnrmtsvd.io.InvalidInputException if reading fails
     */
    public List<TensorResult> run(ShardedCheckpoint checkpoint, List<TensorInfo> tensors, Listener listener)
            throws InterruptedException {
        return run(checkpoint::readFloats, tensors, listener);
    }

    /** As {@link #run(ShardedCheckpoint, List, Listener)}, reading each tensor's values with {@code reader}. */
    List<TensorResult> run(Function<String, float[]> reader, List<TensorInfo> tensors, Listener listener)
            throws InterruptedException {
        int budgetMib = (int) Math.min(Integer.MAX_VALUE, memoryBudget / MIB);
        Semaphore memory = new Semaphore(budgetMib);
        // Tensors read and not yet analysed: one per job, and one read ahead.
        Semaphore inFlight = new Semaphore(jobs + 1);
        ExecutorService pool = Executors.newFixedThreadPool(jobs, daemons("rmtsvd-spectrum"));
        ExecutorService reading = Executors.newSingleThreadExecutor(daemons("rmtsvd-read"));
        Object listenerLock = new Object();
        List<CompletableFuture<TensorResult>> futures = new ArrayList<>();
        try {
            for (TensorInfo t : tensors) {
                Optional<String> skip = selection.skipReason(t);
                if (skip.isPresent()) {
                    TensorResult r = TensorResult.skipped(t, skip.get());
                    synchronized (listenerLock) {
                        listener.finished(r);
                    }
                    futures.add(CompletableFuture.completedFuture(r));
                    continue;
                }
                long[] shape = TensorSelection.matrixShape(t);
                int permits = (int) Math.min(budgetMib,
                        Math.max(1, (memoryEstimate(shape[0], shape[1], settings.randomize()) + MIB - 1) / MIB));
                memory.acquire(permits); // in submission order, so a large tensor is not starved
                try {
                    inFlight.acquire();
                } catch (InterruptedException e) {
                    memory.release(permits);
                    throw e;
                }
                CompletableFuture<TensorResult> result = CompletableFuture
                        .supplyAsync(() -> read(reader, t), reading)
                        .thenApplyAsync(read -> {
                            TensorResult r = analyse(t, read.values, read.seconds);
                            synchronized (listenerLock) {
                                listener.finished(r);
                            }
                            return r;
                        }, pool);
                futures.add(result.whenComplete((r, e) -> {
                    inFlight.release();
                    memory.release(permits);
                }));
            }
            List<TensorResult> results = new ArrayList<>();
            for (CompletableFuture<TensorResult> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause()
                    : e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            reading.shutdownNow();
            pool.shutdownNow();
        }
    }

    private static ThreadFactory daemons(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** A tensor's values and the seconds reading them took. */
    private record Read(float[] values, double seconds) {
    }

    private static Read read(Function<String, float[]> reader, TensorInfo t) {
        long start = System.nanoTime();
        float[] values = reader.apply(t.name());
        return new Read(values, (System.nanoTime() - start) / 1e9);
    }

    /** Analyses one selected tensor's values; its seconds count the reading too. */
    private TensorResult analyse(TensorInfo t, float[] values, double readSeconds) {
        long start = System.nanoTime();
        long[] shape = TensorSelection.matrixShape(t);
        int rows = Math.toIntExact(shape[0]);
        int cols = Math.toIntExact(shape[1]);
        Optional<String> nonFinite = nonFinite(values, cols);
        if (nonFinite.isPresent()) {
            return TensorResult.skipped(t, nonFinite.get());
        }
        Bema bema = settings.bema();
        SpectrumAnalysis analysis;
        HeavyTailAnalysis perKernel = null;
        RandomizedSpectrum randomized = null;
        try {
            // A convolution's [out, in, kh, kw] values in C order are its unfolded [out, in kh kw] matrix.
            analysis = SpectrumAnalysis.of(GramSpectrum.ofFloats(values, rows, cols, bema.scaling()), bema,
                    settings.heavyTail());
            long[] conv = t.shape();
            if (conv.length == 4) {
                int out = (int) conv[0];
                int in = (int) conv[1];
                perKernel = HeavyTailAnalysis.pooled(ConvolutionWeights.pooledEigenvalues(values, out, in,
                        (int) conv[2], (int) conv[3]), out, in, settings.heavyTail());
            }
            if (settings.randomize()) {
                randomized = settings.randomization(DMatrix.copyOf(rows, cols, values), analysis);
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            return TensorResult.skipped(t, "cannot analyse: " + e.getMessage());
        }
        return new TensorResult(t, analysis, perKernel, randomized, "",
                readSeconds + (System.nanoTime() - start) / 1e9);
    }

    /** "non-finite values: N, the first at (i, j)", or empty when all are finite. */
    static Optional<String> nonFinite(float[] values, int cols) {
        int count = 0;
        int first = -1;
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                count++;
                first = first < 0 ? i : first;
            }
        }
        return count == 0 ? Optional.empty() : Optional.of("non-finite values: " + count + ", the first ("
                + values[first] + ") at (" + first / cols + ", " + first % cols + ")");
    }
}
