package io.nnrmtsvd.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nnrmtsvd.experiment.PaperExperiment;
import io.nnrmtsvd.experiment.Variant;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.prune.FactorPolicy;
import io.nnrmtsvd.prune.KeepSchedule;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.rmt.Bema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a seed of experiment paper needs travels as JSON (to a cluster's executors) unchanged. */
class PaperJsonTest {
    @Test
    void aSeedsSettingsComeBackAsTheyWent() {
        PruneConfig prune = new PruneConfig(PruneAlgorithm.SPLIT_TRUNCATE, KeepSchedule.constant(0.45),
                Bema.create().withAlpha(0.2).withCutoff(0.1), null, 3, FactorPolicy.MERGE, 7);
        PaperExperiment.Settings s = new PaperExperiment.Settings(new int[] {784, 50, 10},
                new TrainingConfig(4, 0.05, 0.8, 64, 1, true), 10, new long[] {3, 4},
                List.of(Variant.BASELINE, Variant.PRUNE, Variant.RANDOM_RANK), prune, Bema.create(), new int[] {5, 10},
                true);
        PaperExperiment.Settings back = PaperJson.seedSettingsFromJson(
                Json.parse(Json.toString(PaperJson.seedSettings(s), false), "settings"));
        assertArrayEquals(s.widths(), back.widths());
        assertArrayEquals(s.seeds(), back.seeds());
        assertEquals(s.variants(), back.variants());
        TrainingConfig t = back.training();
        assertEquals(List.of(4, 0.05, 0.8, 64, true), List.of(t.epochs(), t.learningRate(), t.momentum(),
                t.batchSize(), t.measureTrainAccuracy()));
        assertEquals(Json.toString(PaperJson.seedSettings(s), false), Json.toString(PaperJson.seedSettings(back), false),
                "the pruning too");
    }
}
