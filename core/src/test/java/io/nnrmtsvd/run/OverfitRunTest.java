package io.nnrmtsvd.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.codec.OverfitJson;
import io.nnrmtsvd.data.DataPreparation;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.experiment.OverfitExperiment;
import io.nnrmtsvd.experiment.PrunedTraining;
import io.nnrmtsvd.experiment.Variant;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Initialization;
import io.nnrmtsvd.nn.SyntheticData;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.nn.WeightPenalty;
import io.nnrmtsvd.prune.FactorPolicy;
import io.nnrmtsvd.prune.KeepSchedule;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.prune.PruneEvent;
import io.nnrmtsvd.rmt.Bema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** experiment overfit as a journalled run: interrupted and resumed, it ends with the uninterrupted numbers. */
class OverfitRunTest {
    @TempDir
    Path dir;

    private static Dataset data() {
        return new Dataset("blobs", SyntheticData.blobs(150, 20, 3, 5), SyntheticData.blobs(90, 20, 3, 6), 3);
    }

    private static OverfitExperiment.Settings settings() {
        PruneConfig prune = new PruneConfig(PruneAlgorithm.SPLIT_TRUNCATE, KeepSchedule.falling(3),
                Bema.create().withAlpha(0.25).withCutoff(1), null, 3, FactorPolicy.MERGE, 1);
        return new OverfitExperiment.Settings("blobs", new int[] {20, 32, 32, 3},
                new TrainingConfig(3, 0.05, 0.9, 16, 0, true, 0.9, new WeightPenalty(1e-4, 1e-4)),
                Initialization.NORMAL, new DataPreparation(120, 2, true), prune,
                new PrunedTraining.Schedule(1, 1, Integer.MAX_VALUE), new long[] {1, 2}, OverfitExperiment.VARIANTS);
    }

    /** Counts what it hears and fails the job that finishes as number {@code failAt} (0: never). */
    private static final class Recorder implements OverfitRun.Listener {
        final AtomicInteger epochs = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final int failAt;
        int startedWith = -1;

        Recorder(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public void started(int done, int total, int workers) {
            startedWith = done;
        }

        @Override
        public void epoch(long seed, Variant variant, EpochRecord record) {
            epochs.incrementAndGet();
        }

        @Override
        public void prune(long seed, Variant variant, PruneEvent event) {
        }

        @Override
        public void finished(OverfitExperiment.Run run, int done, int total) {
            if (finished.incrementAndGet() == failAt) {
                throw new IllegalStateException("interrupted for the test");
            }
        }
    }

    /** Everything but the wall times. */
    private static List<String> numbers(List<OverfitExperiment.Run> runs) {
        List<String> out = new ArrayList<>();
        for (OverfitExperiment.Run r : runs) {
            out.add(r.seed() + " " + r.variant() + " " + r.finalTestAccuracy() + " " + r.finalTrainAccuracy() + " "
                    + r.parameters() + " " + r.widths() + " " + r.epochs().stream()
                    .map(e -> e.trainLoss() + "/" + e.testAccuracy() + "/" + e.trainAccuracy()).toList());
        }
        return out;
    }

    @Test
    void anInterruptedRunResumesToTheNumbersOfAnUninterruptedOne() throws Exception {
        OverfitExperiment.Settings s = settings();
        OverfitRun.Outcome whole = OverfitRun.start(s, data(), dir.resolve("whole"), 2, new Recorder(0));
        assertEquals(8, whole.runs().size());

        Path cut = dir.resolve("cut");
        assertThrows(IllegalStateException.class, () -> OverfitRun.start(s, data(), cut, 1, new Recorder(3)));
        long rows = Files.readAllLines(cut.resolve(OverfitRun.RESULTS_FILE)).size();
        assertEquals(3, rows, "the jobs that finished are journalled");
        Recorder second = new Recorder(0);
        OverfitRun.Outcome resumed = OverfitRun.resume(cut, data(), 2, second);
        assertEquals(3, resumed.resumed());
        assertEquals(3, second.startedWith);
        assertEquals(5, second.finished.get(), "only the other jobs run");
        assertEquals(5 * 3, second.epochs.get());
        assertEquals(numbers(whole.runs()), numbers(resumed.runs()));
        assertEquals(whole.summary().toBaseline().get(Variant.PRUNE).gap(),
                resumed.summary().toBaseline().get(Variant.PRUNE).gap());

        Recorder third = new Recorder(0);
        OverfitRun.Outcome again = OverfitRun.resume(cut, data(), 2, third);
        assertEquals(8, again.resumed(), "a finished run resumes to its result without training");
        assertEquals(0, third.epochs.get());
    }

    @Test
    void settingsRoundTripThroughTheRunDirectory() throws Exception {
        OverfitExperiment.Settings s = settings();
        OverfitRun.start(s, data(), dir.resolve("r"), 2, new Recorder(0));
        assertEquals(s, OverfitRun.settingsIn(dir.resolve("r")));
        assertEquals(s, OverfitJson.settingsFromJson(Json.parse(Json.toString(OverfitJson.settings(s), false), "settings")));
    }

    @Test
    void aRunDirectoryIsNotReusedAndResumeChecksTheDataSet() throws Exception {
        OverfitExperiment.Settings s = settings();
        OverfitRun.start(s, data(), dir.resolve("r"), 2, new Recorder(0));
        assertThrows(InvalidInputException.class, () -> OverfitRun.start(s, data(), dir.resolve("r"), 2,
                new Recorder(0)));
        Dataset other = new Dataset("other", data().train(), data().test(), 3);
        assertThrows(InvalidInputException.class, () -> OverfitRun.resume(dir.resolve("r"), other, 2, new Recorder(0)));
        assertThrows(InvalidInputException.class, () -> OverfitRun.resume(dir.resolve("none"), data(), 2,
                new Recorder(0)));
        Files.writeString(dir.resolve("r").resolve(OverfitRun.RESULTS_FILE), "{\"name\": \"seed 1 prune\"}\n");
        assertThrows(InvalidInputException.class, () -> OverfitRun.resume(dir.resolve("r"), data(), 2,
                new Recorder(0)), "a row that is not a run");
    }

    @Test
    void aTrainingSizeAboveTheDataSetIsBadInput() {
        OverfitExperiment.Settings s = settings();
        Dataset small = new Dataset("blobs", SyntheticData.blobs(100, 20, 3, 5), SyntheticData.blobs(30, 20, 3, 6), 3);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> OverfitRun.start(s, small, dir.resolve("x"), 1, new Recorder(0)));
        assertTrue(e.getMessage().contains("--train-size 120"), e.getMessage());
    }
}
