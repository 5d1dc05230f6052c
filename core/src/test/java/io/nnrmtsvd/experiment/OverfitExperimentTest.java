package io.nnrmtsvd.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.data.DataPreparation;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Initialization;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.prune.FactorPolicy;
import io.nnrmtsvd.prune.KeepSchedule;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.prune.PruneEvent;
import io.nnrmtsvd.rmt.Bema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OverfitExperimentTest {
    /** Few examples for a wide network, a third of the training labels flipped at random. */
    static Dataset blobs() {
        BlobSplits splits = BlobSplits.of(120, 200, 30, 4, 21);
        int[] labels = splits.train().labels().clone();
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < labels.length; i += 3) {
            labels[i] = random.nextInt(4);
        }
        return new Dataset("blobs", new io.nnrmtsvd.nn.Examples(splits.train().inputs(), labels, 30), splits.test(), 4);
    }

    static OverfitExperiment.Settings settings(List<Variant> variants, int epochs, long... seeds) {
        PruneConfig prune = new PruneConfig(PruneAlgorithm.SPLIT_TRUNCATE, KeepSchedule.falling(Math.max(1, epochs)),
                Bema.create().withAlpha(0.25).withCutoff(1), null, 4, FactorPolicy.MERGE, 1);
        return new OverfitExperiment.Settings("blobs", new int[] {30, 48, 48, 4},
                new TrainingConfig(epochs, 0.05, 0.9, 16, 0), Initialization.UNIFORM, new DataPreparation(100, 3, false),
                prune, new PrunedTraining.Schedule(1, 1, Integer.MAX_VALUE), seeds, variants);
    }

    private static List<OverfitExperiment.Run> runAll(OverfitExperiment.Settings s, Dataset data) {
        Dataset prepared = s.data().apply(data);
        List<OverfitExperiment.Run> runs = new ArrayList<>();
        for (long seed : s.seeds()) {
            OverfitExperiment.Run prune = null;
            for (Variant v : s.variants()) {
                OverfitExperiment.Run r = OverfitExperiment.run(s, seed, v, prepared, Optional.ofNullable(prune),
                        OverfitExperiment.Listener.NONE);
                if (v == Variant.PRUNE) {
                    prune = r;
                }
                runs.add(r);
            }
        }
        return runs;
    }

    @Test
    void everyVariantStartsAlikeAndTheControlsFollowPrunesCourse() {
        OverfitExperiment.Settings s = settings(OverfitExperiment.VARIANTS, 5, 1, 2);
        List<OverfitExperiment.Run> runs = runAll(s, blobs());
        for (long seed : s.seeds()) {
            OverfitExperiment.Run base = find(runs, seed, Variant.BASELINE);
            OverfitExperiment.Run prune = find(runs, seed, Variant.PRUNE);
            OverfitExperiment.Run magnitude = find(runs, seed, Variant.MAGNITUDE);
            OverfitExperiment.Run random = find(runs, seed, Variant.RANDOM_RANK);
            EpochRecord first = base.epochs().get(0);
            for (OverfitExperiment.Run r : List.of(prune, magnitude, random)) {
                assertEquals(5, r.epochs().size());
                assertEquals(first.testAccuracy(), r.epochs().get(0).testAccuracy(),
                        r.variant() + ": same initial weights and shuffles, and no prune before epoch 2");
                assertEquals(first.trainAccuracy(), r.epochs().get(0).trainAccuracy());
            }
            assertEquals(4, prune.prunes().size(), "before every epoch from the second");
            assertEquals(2, prune.prunes().get(0).epoch());
            for (int e = 0; e < 5; e++) {
                assertEquals(prune.epochs().get(e).parameters(), random.epochs().get(e).parameters(),
                        "random-rank has prune's size at every epoch");
                assertEquals(prune.epochs().get(e).widths(), random.epochs().get(e).widths());
            }
            for (PruneEvent e : random.prunes()) {
                assertTrue(e.layers().stream().allMatch(l -> l.action().startsWith("random-rank")
                        || l.action().equals("unchanged")), e.toString());
            }
            assertTrue(prune.parameters() < base.parameters(), "the falling schedule prunes");
            assertTrue(magnitude.parameters() <= prune.parameters());
            assertEquals(base.finalTrainAccuracy() - base.finalTestAccuracy(), base.gap(), 1e-15);
            assertEquals(base.epochs().stream().mapToDouble(EpochRecord::testAccuracy).max().orElseThrow(),
                    base.bestTestAccuracy());
            assertTrue(base.epochs().stream().allMatch(r -> !Double.isNaN(r.trainAccuracy())));
        }
        OverfitExperiment.Summary summary = OverfitExperiment.summarise(s, runs);
        assertEquals(4, summary.variants().size());
        assertEquals(3, summary.toBaseline().size());
        double[] gaps = OverfitExperiment.runsOf(s, runs, Variant.PRUNE).stream()
                .mapToDouble(OverfitExperiment.Run::gap).toArray();
        double[] baseGaps = OverfitExperiment.runsOf(s, runs, Variant.BASELINE).stream()
                .mapToDouble(OverfitExperiment.Run::gap).toArray();
        assertEquals(SampleSummary.ofDifferences(gaps, baseGaps), summary.toBaseline().get(Variant.PRUNE).gap());
        OverfitExperiment.Band band = OverfitExperiment.band(s, runs, Variant.BASELINE, OverfitExperiment.Measure.GAP);
        assertEquals(5, band.epochs().length);
        for (int e = 0; e < 5; e++) {
            assertTrue(band.low()[e] <= band.mean()[e] && band.mean()[e] <= band.high()[e]);
        }
    }

    private static OverfitExperiment.Run find(List<OverfitExperiment.Run> runs, long seed, Variant v) {
        return runs.stream().filter(r -> r.seed() == seed && r.variant() == v).findFirst().orElseThrow();
    }

    @Test
    void settingsRejectWhatTheExperimentCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> settings(List.of(Variant.BASELINE, Variant.MAGNITUDE), 3, 1),
                "magnitude follows prune");
        assertThrows(IllegalArgumentException.class, () -> settings(List.of(Variant.RANDOM_RANK), 3, 1));
        assertThrows(IllegalArgumentException.class, () -> settings(List.of(Variant.PRUNE_INIT_ONLY), 3, 1));
        assertThrows(IllegalArgumentException.class, () -> settings(List.of(Variant.BASELINE), 3, 1, 1),
                "seeds must differ");
        assertThrows(IllegalArgumentException.class, () -> settings(List.of(Variant.BASELINE), 0, 1));
        assertTrue(settings(List.of(Variant.BASELINE), 3, 1).training().measureTrainAccuracy(),
                "train accuracy is always measured");
        assertThrows(IllegalArgumentException.class, () -> OverfitExperiment.run(
                settings(List.of(Variant.PRUNE, Variant.MAGNITUDE), 3, 1), 1, Variant.MAGNITUDE, blobs(),
                Optional.empty(), OverfitExperiment.Listener.NONE));
    }
}
