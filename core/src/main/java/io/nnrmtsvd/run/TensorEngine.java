package io.nnrmtsvd.run;

import io.nnrmtsvd.checkpoint.CheckpointSpectrum;
import io.nnrmtsvd.checkpoint.SpectrumSettings;
import io.nnrmtsvd.checkpoint.TensorSelection;
import io.nnrmtsvd.codec.SpectrumRowJson;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.rmt.RawEigenvalues;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where the tensors of a {@link CheckpointSpectrumRun} are analysed: {@link #LOCAL}, the threads of
 * this process, or a cluster (the Spark module). Every engine hands back the same rows.
 */
public interface TensorEngine {
    /** Jobs of BLAS threads on this machine ({@link CheckpointSpectrum}). */
    TensorEngine LOCAL = new TensorEngine() {
        @Override
        public void analyse(ShardedCheckpoint checkpoint, List<TensorInfo> todo, CheckpointSpectrumRun.Settings settings,
                            int threads, Consumer<Plan> planned, Sink sink) throws InterruptedException {
            int jobs = settings.jobs() != null ? settings.jobs()
                    : CheckpointSpectrum.defaultJobs(todo, settings.selection(), settings.spectrum().randomize(),
                            threads, settings.memoryBudget());
            OpenBlas.setThreads(Math.max(1, threads / jobs));
            planned.accept(new Plan("this machine", jobs, OpenBlas.threads()));
            analyseHere(checkpoint, todo, settings.spectrum(), settings.selection(), jobs, settings.memoryBudget(), sink);
        }
    };

    /**
     * Analyses tensors in this process with {@code jobs} threads ({@link CheckpointSpectrum}), giving
     * each one's row and eigenvalues to {@code sink}: what every engine runs where the data is.
     */
    static void analyseHere(ShardedCheckpoint checkpoint, List<TensorInfo> tensors, SpectrumSettings spectrum,
                            TensorSelection selection, int jobs, long memoryBudget, Sink sink)
            throws InterruptedException {
        new CheckpointSpectrum(spectrum, selection, jobs, memoryBudget).run(checkpoint, tensors,
                r -> sink.accept(SpectrumRowJson.row(r),
                        r.analysis() == null ? null : RawEigenvalues.of(r.analysis().spectrum())));
    }

    /**
     * How the work is spread.
     *
     * @param where e.g. "this machine" or the cluster's master
     * @param jobs tensors analysed at once
     * @param threadsPerJob BLAS threads of each
     */
    record Plan(String where, int jobs, int threadsPerJob) {
    }

    /** Receives each tensor's outcome, one call at a time. */
    interface Sink {
        /**
         * @param row the tensor's row ({@link SpectrumRowJson#row(io.nnrmtsvd.checkpoint.TensorResult)})
         * @param rawEigenvalues its raw eigenvalues, ascending; null when it was skipped
         */
        void accept(Map<String, Object> row, double[] rawEigenvalues);
    }

    /**
     * Analyses {@code todo} (in natural name order): {@code planned} hears the plan first, then
     * {@code sink} each tensor's outcome in any order.
     *
     * @param threads BLAS threads available to a local run in all
     * @throws io.nnrmtsvd.io.InvalidInputException if the work cannot be done as set (a tensor too
     *     large for the memory budget), before any of it starts
     */
    void analyse(ShardedCheckpoint checkpoint, List<TensorInfo> todo, CheckpointSpectrumRun.Settings settings,
                 int threads, Consumer<Plan> planned, Sink sink) throws InterruptedException;
}
