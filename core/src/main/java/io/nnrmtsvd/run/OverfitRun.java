package io.nnrmtsvd.run;

import io.nnrmtsvd.codec.OverfitJson;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.experiment.OverfitExperiment;
import io.nnrmtsvd.experiment.Variant;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.nn.BatchListener;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.prune.PruneEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code experiment overfit} as a resumable run: every (seed, variant) is one job, the jobs run
 * concurrently on a fixed number of workers with one BLAS thread each, and each finished job is one
 * row of the run directory's {@link Journal} ({@value #RESULTS_FILE}, beside the settings in
 * {@value Journal#SETTINGS}). {@link #resume} reads the settings and the finished rows back and runs
 * only the jobs that are missing. Since every job runs single-threaded BLAS on its own, the numbers
 * do not depend on the number of workers nor on whether the run was interrupted.
 *
 * <p>A control ({@link Variant#MAGNITUDE}, {@link Variant#RANDOM_RANK}) starts once the
 * {@link Variant#PRUNE} run of its seed is done, in this invocation or an earlier one (its epoch
 * records and prune events are in its row).
 */
public final class OverfitRun {
    /** The journal's results file inside the run directory. */
    public static final String RESULTS_FILE = "runs.jsonl";

    private OverfitRun() {
    }

    /** Told what happens, as it happens; called from the worker threads. */
    public interface Listener {
        /** The run begins: {@code total} jobs, of which {@code done} were finished earlier. */
        void started(int done, int total, int workers);

        /** An epoch of the job of {@code seed} and {@code variant}. */
        void epoch(long seed, Variant variant, EpochRecord record);

        /** A prune of the job of {@code seed} and {@code variant}. */
        void prune(long seed, Variant variant, PruneEvent event);

        /** A job finished; {@code done} of {@code total} are now. */
        void finished(OverfitExperiment.Run run, int done, int total);
    }

    /**
     * The outcome.
     *
     * @param runs every run, of this invocation and of earlier ones
     * @param resumed how many runs were read from the journal
     * @param seconds wall time of this invocation
     */
    public record Outcome(OverfitExperiment.Settings settings, List<OverfitExperiment.Run> runs,
                          OverfitExperiment.Summary summary, int resumed, double seconds) {
    }

    /**
     * Runs the experiment from the start, keeping its journal in {@code dir}.
     *
     * @param data the whole data set; the settings' preparation is applied here
     * @param workers jobs at a time, at least 1
     * @throws InvalidInputException if {@code dir} already holds a run, or the data set does not
     *     fit the settings
     */
    public static Outcome start(OverfitExperiment.Settings settings, Dataset data, Path dir, int workers,
                                Listener listener) throws InterruptedException {
        return start(settings, data, dir, new Jobs(ExperimentEngine.LOCAL, workers, null), listener);
    }

    /**
     * How the jobs run.
     *
     * @param engine where
     * @param workers how many at a time, at least 1
     * @param dataDir where the data set is cached, for engines that load it elsewhere; null for the default
     */
    public record Jobs(ExperimentEngine engine, int workers, Path dataDir) {
    }

    /** As {@link #start(OverfitExperiment.Settings, Dataset, Path, int, Listener)}, the jobs run as {@code how} says. */
    public static Outcome start(OverfitExperiment.Settings settings, Dataset data, Path dir, Jobs how,
                                Listener listener) throws InterruptedException {
        Dataset prepared = prepare(settings, data);
        try (Journal journal = Journal.create(dir, OverfitJson.settings(settings), RESULTS_FILE)) {
            return run(settings, prepared, journal, how, listener);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The settings of the run in {@code dir}, so the caller can load its data set.
     *
     * @throws InvalidInputException if {@code dir} holds no such run or its settings are not valid
     */
    public static OverfitExperiment.Settings settingsIn(Path dir) {
        Map<String, Object> json = Journal.settingsIn(dir);
        try {
            return OverfitJson.settingsFromJson(json);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.inFile(dir.resolve(Journal.SETTINGS), e.getMessage());
        }
    }

    /**
     * Continues the run in {@code dir}: runs the jobs its journal does not hold.
     *
     * @param data the whole data set the settings name
     * @throws InvalidInputException if {@code dir} holds no such run, a row is not valid, or the
     *     data set is not the run's
     */
    public static Outcome resume(Path dir, Dataset data, int workers, Listener listener)
            throws InterruptedException {
        return resume(dir, data, new Jobs(ExperimentEngine.LOCAL, workers, null), listener);
    }

    /** As {@link #resume(Path, Dataset, int, Listener)}, the jobs run as {@code how} says. */
    public static Outcome resume(Path dir, Dataset data, Jobs how, Listener listener) throws InterruptedException {
        OverfitExperiment.Settings settings = settingsIn(dir);
        if (!settings.dataset().equals(data.name())) {
            throw new InvalidInputException("the run trains on " + settings.dataset() + ", not " + data.name());
        }
        Dataset prepared = prepare(settings, data);
        try (Journal journal = Journal.resume(dir, OverfitJson.settings(settings), RESULTS_FILE, row -> {
            OverfitJson.runFromJson(row);
            return row;
        })) {
            return run(settings, prepared, journal, how, listener);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Dataset prepare(OverfitExperiment.Settings settings, Dataset data) {
        data.checkWidths(settings.widths());
        return settings.data().apply(data);
    }

    private static Outcome run(OverfitExperiment.Settings s, Dataset data, Journal journal, Jobs how,
                               Listener listener) throws InterruptedException {
        int workers = how.workers();
        if (workers < 1) {
            throw new IllegalArgumentException("--jobs must be >= 1, got " + workers);
        }
        long started = System.nanoTime();
        Map<String, OverfitExperiment.Run> done = Collections.synchronizedMap(new HashMap<>());
        for (Map.Entry<String, Map<String, Object>> row : journal.finished().entrySet()) {
            OverfitExperiment.Run r;
            try {
                r = OverfitJson.runFromJson(row.getValue());
            } catch (IllegalArgumentException e) {
                throw InvalidInputException.inFile(journal.dir().resolve(RESULTS_FILE), "row '" + row.getKey()
                        + "': " + e.getMessage());
            }
            if (isJob(s, r)) {
                done.put(row.getKey(), r);
            }
        }
        int resumed = done.size();
        int total = s.seeds().length * s.variants().size();
        AtomicInteger finished = new AtomicInteger(resumed);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        listener.started(resumed, total, workers);
        int previousThreads = OpenBlas.threads();
        OpenBlas.setThreads(1);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(workers, total - resumed)));
        try {
            List<CompletableFuture<?>> jobs = new ArrayList<>();
            // Prune runs first: the controls of a seed wait for them.
            List<Variant> order = new ArrayList<>(s.variants());
            order.sort((a, b) -> Boolean.compare(a != Variant.PRUNE, b != Variant.PRUNE));
            for (long seed : s.seeds()) {
                CompletableFuture<Optional<OverfitExperiment.Run>> prune = CompletableFuture.completedFuture(
                        Optional.ofNullable(done.get(OverfitJson.runName(seed, Variant.PRUNE))));
                if (s.variants().contains(Variant.PRUNE) && !done.containsKey(OverfitJson.runName(seed, Variant.PRUNE))) {
                    prune = CompletableFuture.supplyAsync(() -> Optional.of(job(s, seed, Variant.PRUNE, data,
                            how, Optional.empty(), journal, done, finished, failure, total, listener)), pool);
                }
                jobs.add(prune);
                for (Variant v : order) {
                    if (v == Variant.PRUNE || done.containsKey(OverfitJson.runName(seed, v))) {
                        continue;
                    }
                    if (v.followsPrune()) {
                        jobs.add(prune.thenApplyAsync(p -> job(s, seed, v, data, how, p, journal, done, finished,
                                failure, total, listener), pool));
                    } else {
                        jobs.add(CompletableFuture.supplyAsync(() -> job(s, seed, v, data, how, Optional.empty(),
                                journal, done, finished, failure, total, listener), pool));
                    }
                }
            }
            try {
                CompletableFuture.allOf(jobs.toArray(new CompletableFuture<?>[0])).join();
            } catch (CompletionException e) {
                if (failure.get() != null) {
                    throw failure.get();
                }
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        } finally {
            pool.shutdownNow();
            OpenBlas.setThreads(previousThreads);
        }
        List<OverfitExperiment.Run> runs = new ArrayList<>();
        for (long seed : s.seeds()) {
            for (Variant v : s.variants()) {
                runs.add(done.get(OverfitJson.runName(seed, v)));
            }
        }
        return new Outcome(s, runs, OverfitExperiment.summarise(s, runs), resumed,
                (System.nanoTime() - started) / 1e9);
    }

    /** Whether a journal row is one of the jobs of these settings (rows of others are ignored). */
    private static boolean isJob(OverfitExperiment.Settings s, OverfitExperiment.Run r) {
        return s.variants().contains(r.variant()) && java.util.Arrays.stream(s.seeds()).anyMatch(x -> x == r.seed())
                && r.epochs().size() == s.training().epochs();
    }

    /**
     * Runs one job and journals it; once a job has failed, jobs that have not started yet fail at
     * once (the running ones finish and are journalled), and the first failure is the run's.
     */
    private static OverfitExperiment.Run job(OverfitExperiment.Settings s, long seed, Variant v, Dataset data,
                                             Jobs how, Optional<OverfitExperiment.Run> prune, Journal journal,
                                             Map<String, OverfitExperiment.Run> done, AtomicInteger finished,
                                             AtomicReference<RuntimeException> failure, int total,
                                             Listener listener) {
        if (failure.get() != null) {
            throw new CancellationException("an earlier job failed");
        }
        try {
            OverfitExperiment.Run run = how.engine().run(s, seed, v, data, how.dataDir(), prune,
                    new OverfitExperiment.Listener(r -> listener.epoch(seed, v, r), e -> listener.prune(seed, v, e),
                            BatchListener.NONE));
            synchronized (journal) {
                journal.append(OverfitJson.run(run));
            }
            done.put(OverfitJson.runName(seed, v), run);
            listener.finished(run, finished.incrementAndGet(), total);
            return run;
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            throw e;
        }
    }
}
