package io.nnrmtsvd.run;

import io.nnrmtsvd.checkpoint.CheckpointSpectrum;
import io.nnrmtsvd.checkpoint.FactoredFormat;
import io.nnrmtsvd.checkpoint.SpectrumSettings;
import io.nnrmtsvd.checkpoint.TensorResult;
import io.nnrmtsvd.checkpoint.TensorSelection;
import io.nnrmtsvd.codec.BemaJson;
import io.nnrmtsvd.codec.HeavyTailJson;
import io.nnrmtsvd.codec.SpectrumRowJson;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.Printable;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.io.TensorNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code rmtsvd spectrum} on a checkpoint: a row per tensor ({@link SpectrumRowJson#row(TensorResult)}),
 * analysed or skipped with the reason, in natural name order. Rows go to the run's
 * {@link Journal} as each tensor finishes, with the tensor's eigenvalues ({@link EigenvalueFiles}),
 * so a run resumed from the journal analyses only the tensors not in it. A tensor of a compressed checkpoint also says the rank it was cut to
 * ({@code compressed_rank}, from its {@link FactoredFormat} record).
 */
public final class CheckpointSpectrumRun {
    private CheckpointSpectrumRun() {
    }

    /**
     * What to analyse and how.
     *
     * @param spectrum what is computed for each tensor
     * @param selection which tensors are analysed
     * @param tensor the one tensor to analyse, or null for all
     * @param jobs tensors analysed at once, or null for {@link CheckpointSpectrum#defaultJobs}
     * @param memoryBudget bytes the tensors analysed at once may take
     */
    public record Settings(SpectrumSettings spectrum, TensorSelection selection, String tensor, Integer jobs, long memoryBudget) {
        public Settings {
            if (jobs != null && jobs < 1) {
                throw new IllegalArgumentException("--jobs must be at least 1, got " + jobs);
            }
        }

        /** What a journal records of the run of {@code input} with these settings; a resumed run must match. */
        public Map<String, Object> journalSettings(Path input) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input", input.toAbsolutePath().normalize().toString());
            m.put("tensor", tensor);
            m.putAll(BemaJson.toJson(spectrum.bema()));
            m.put("power_law", HeavyTailJson.toJson(spectrum.heavyTail()));
            m.put("randomize_seed", spectrum.randomizeSeed());
            m.put("include", selection.include());
            m.put("exclude", selection.exclude());
            m.put("min_dim", selection.minDim());
            return m;
        }
    }

    /**
     * The outcome.
     *
     * @param rows one row per tensor, in natural name order
     * @param resumed rows taken from the journal of an earlier attempt
     */
    public record Outcome(List<Map<String, Object>> rows, int resumed) {
    }

    /** Progress. */
    public interface Listener {
        /** Analysis begins as planned: {@code done} of {@code total} tensors are in the journal already. */
        void started(TensorEngine.Plan plan, int done, int total);

        /** {@code done} of the {@code total} tensors to analyse now have their row. */
        void finished(int done, int total);
    }

    /**
     * Analyses the checkpoint's tensors on {@code engine}; locally with {@code threads} BLAS threads
     * in all, divided among the jobs (the process-wide BLAS setting is changed).
     *
     * @param runDir the run directory whose journal receives the rows; null for none
     * @param resume continue the run whose journal is in {@code runDir}: its settings must be these,
     *     and the tensors it has finished are not analysed again
     * @throws InvalidInputException if the named tensor is missing, reading fails, or the journal
     *     cannot be created or resumed
     */
    public static Outcome run(ShardedCheckpoint checkpoint, Settings settings, TensorEngine engine, int threads,
                              Path runDir, boolean resume, Listener listener) throws InterruptedException, IOException {
        if (runDir == null) {
            return run(checkpoint, settings, engine, threads, null, null, listener);
        }
        Map<String, Object> recorded = settings.journalSettings(checkpoint.source());
        try (Journal journal = resume ? Journal.resume(runDir, recorded, SpectrumRowJson::checked)
                : Journal.create(runDir, recorded)) {
            return run(checkpoint, settings, engine, threads, runDir, journal, listener);
        }
    }

    private static Outcome run(ShardedCheckpoint checkpoint, Settings settings, TensorEngine engine, int threads,
                               Path runDir, Journal journal, Listener listener) throws InterruptedException {
        List<TensorInfo> tensors = new ArrayList<>();
        for (TensorInfo t : checkpoint.tensors()) {
            if (settings.tensor() == null || t.name().equals(settings.tensor())) {
                tensors.add(t);
            }
        }
        if (tensors.isEmpty()) {
            throw new InvalidInputException(checkpoint.source() + (settings.tensor() == null ? ": holds no tensors"
                    : ": no tensor named '" + Printable.name(settings.tensor()) + "'"));
        }
        if (settings.tensor() != null) { // asked for by name: a tensor that cannot be analysed is an error
            Optional<String> skip = settings.selection().skipReason(tensors.get(0));
            if (skip.isPresent()) {
                throw new InvalidInputException(checkpoint.source() + ": tensor '" + Printable.name(settings.tensor())
                        + "' is not analysed: " + skip.get());
            }
        }
        tensors.sort((a, b) -> TensorNames.NATURAL.compare(a.name(), b.name()));
        Map<String, Map<String, Object>> done = journal == null ? Map.of() : journal.finished();
        List<TensorInfo> todo = tensors.stream().filter(t -> !done.containsKey(t.name())).toList();
        Map<String, Integer> cutRanks = FactoredFormat.of(checkpoint).ranksByTensor();
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>(done);
        engine.analyse(checkpoint, todo, settings, threads,
                plan -> listener.started(plan, tensors.size() - todo.size(), tensors.size()), (analysed, eigenvalues) -> {
                    String name = (String) analysed.get("name");
                    Map<String, Object> row = withCutRank(analysed, cutRanks);
                    if (runDir != null && eigenvalues != null) { // before the row: a journaled row's file exists
                        try {
                            row.put(EigenvalueFiles.ROW_KEY, EigenvalueFiles.write(runDir, name, eigenvalues));
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot write the eigenvalues of " + name + " into "
                                    + runDir + ": " + e.getMessage(), e);
                        }
                    }
                    if (journal != null) {
                        journal.append(row);
                    }
                    rows.put(name, row);
                    listener.finished(rows.size() - done.size(), todo.size());
                });
        List<Map<String, Object>> ordered = new ArrayList<>();
        for (TensorInfo t : tensors) {
            ordered.add(rows.get(t.name()));
        }
        return new Outcome(ordered, tensors.size() - todo.size());
    }

    private static Map<String, Object> withCutRank(Map<String, Object> row, Map<String, Integer> cutRanks) {
        Integer k = cutRanks.get((String) row.get("name"));
        if (k != null) {
            row.put("compressed_rank", k);
        }
        return row;
    }
}
