package io.nnrmtsvd.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.codec.TrainingRunJson;
import io.nnrmtsvd.data.DataPreparation;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.experiment.PrunedTraining;
import io.nnrmtsvd.experiment.TrainingRunConfig;
import io.nnrmtsvd.experiment.TrainingSnapshot;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.nn.BatchListener;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Initialization;
import io.nnrmtsvd.nn.Network;
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
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training run with the follow-up's recipe: its snapshot records the recipe and resuming reproduces the run. */
class TrainingRunRecipeTest {
    @TempDir
    Path dir;

    private static Dataset data() {
        return new Dataset("blobs", SyntheticData.blobs(300, 16, 3, 1), SyntheticData.blobs(60, 16, 3, 2), 3);
    }

    private static TrainingRunConfig recipe() {
        PruneConfig prune = new PruneConfig(PruneAlgorithm.SPLIT_TRUNCATE, KeepSchedule.falling(6),
                Bema.create().withAlpha(0.25).withCutoff(1), null, 0, FactorPolicy.MERGE, 5);
        return new TrainingRunConfig("blobs", new int[] {16, 40, 40, 3}, false,
                new TrainingConfig(6, 0.05, 0.9, 32, 5, true, 0.9, new WeightPenalty(1e-3, 2e-3)), Optional.of(prune),
                new PrunedTraining.Schedule(1, 1, Integer.MAX_VALUE), false, 1, Initialization.NORMAL,
                new DataPreparation(200, 4, true));
    }

    /** Keeps a copy of the snapshot written after {@code epoch}. */
    private static final class Listener implements TrainingRun.Listener {
        private final int epoch;
        private final Path copy;

        Listener(int epoch, Path copy) {
            this.epoch = epoch;
            this.copy = copy;
        }

        @Override
        public void started(Network network, int completedEpochs) {
        }

        @Override
        public void epoch(boolean baseline, EpochRecord record) {
        }

        @Override
        public void prune(PruneEvent event) {
        }

        @Override
        public BatchListener batches(boolean baseline) {
            return BatchListener.NONE;
        }

        @Override
        public void snapshot(Path file, int completed) {
            if (completed == epoch) {
                try {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    private static List<String> records(List<EpochRecord> epochs) {
        return epochs.stream().map(r -> r.epoch() + " " + r.trainLoss() + " " + r.testAccuracy() + " "
                + r.trainAccuracy() + " " + r.parameters() + " " + r.widths()).toList();
    }

    @Test
    void resumingARecipeRunFromItsSnapshotEndsAsTheUninterruptedRun() throws Exception {
        TrainingRunConfig config = recipe();
        Path copy = dir.resolve("after-3.safetensors");
        Files.createDirectories(dir.resolve("straight"));
        TrainingRun.Outcome straight = TrainingRun.run(config, data(), dir.resolve("straight"), new Listener(3, copy));
        TrainingSnapshot snapshot = TrainingSnapshots.load(copy);
        assertEquals(config, snapshot.config(), "the snapshot records the recipe");
        Files.createDirectories(dir.resolve("resumed"));
        TrainingRun.Outcome resumed = TrainingRun.resume(snapshot, data(), dir.resolve("resumed"), new Listener(0, copy));
        assertEquals(records(straight.trained().epochs()), records(resumed.trained().epochs()));
        assertTrue(straight.trained().prunes().size() >= 4);
    }

    @Test
    void plainRunsStoreNoRecipeKeysAndRecipeRunsRoundTrip() {
        TrainingRunConfig plain = new TrainingRunConfig("mnist", new int[] {784, 10}, false,
                TrainingConfig.published(2, 1), Optional.empty(), PrunedTraining.Schedule.EVERY_EPOCH, false, 0);
        Map<String, Object> json = TrainingRunJson.config(plain);
        for (String key : List.of("init", "lr_decay", "l1", "l2", "normalize", "train_size", "subset_seed")) {
            assertFalse(json.containsKey(key), key);
        }
        assertEquals(plain, TrainingRunJson.configFromJson(Json.parse(Json.toString(json, false), "plain")));
        TrainingRunConfig recipe = recipe();
        Map<String, Object> recipeJson = TrainingRunJson.config(recipe);
        assertEquals("normal", recipeJson.get("init"));
        assertEquals(200, recipeJson.get("train_size"));
        assertEquals(recipe, TrainingRunJson.configFromJson(Json.parse(Json.toString(recipeJson, false), "recipe")));
    }
}
