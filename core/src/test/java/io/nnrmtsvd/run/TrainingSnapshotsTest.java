package io.nnrmtsvd.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.experiment.PrunedTraining;
import io.nnrmtsvd.experiment.TrainingRunConfig;
import io.nnrmtsvd.experiment.TrainingSnapshot;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.ModelFiles;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.Sgd;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.nn.TrainingState;
import io.nnrmtsvd.prune.FactorPolicy;
import io.nnrmtsvd.prune.KeepSchedule;
import io.nnrmtsvd.prune.LayerReport;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.prune.PruneEvent;
import io.nnrmtsvd.rmt.Bema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSnapshotsTest {
    @TempDir
    Path dir;

    private static TrainingRunConfig config(int epochs, int[] widths) {
        PruneConfig prune = new PruneConfig(PruneAlgorithm.SPLIT_TRUNCATE, KeepSchedule.falling(40),
                Bema.create().withAlpha(0.25).withCutoff(1), null, 2, FactorPolicy.MERGE, 7);
        return new TrainingRunConfig("mnist", widths, false, new TrainingConfig(epochs, 0.02, 0.9, 64, 7, true),
                Optional.of(prune), new PrunedTraining.Schedule(1, 2, 30), true, 1);
    }

    private static TrainingSnapshot snapshot(int epochs) {
        Network net = Network.initialize(new int[] {5, 4, 3}, false, new SplittableRandom(1));
        float[][] w = {new float[20], new float[12]};
        float[][] b = {new float[4], new float[3]};
        w[0][7] = 0.25f;
        b[1][2] = -1.5f;
        List<EpochRecord> records = List.of(
                new EpochRecord(1, 0.5, 0.4, 0.9, Double.NaN, 1.25, 39, "5-4-3"),
                new EpochRecord(2, 0.3, 0.2, 0.95, 0.97, 1.5, 39, "5-4-3"));
        LayerReport layer = new LayerReport(0, 4, 5, 0.05, true, 0.5, 1.5, 1, 1, 0.9, 4, "unchanged",
                "keeps all 4 singular values", 24, 24, new double[] {0.1, 0.2, 0.3, 2.5});
        PruneEvent event = new PruneEvent(2, Bema.create().withAlpha(0.25).withCutoff(1), List.of(layer), "5-4-3",
                "5-4-3", 39, 39);
        return new TrainingSnapshot(config(epochs, new int[] {5, 4, 3}), new PrunedTraining.State(
                new TrainingState(2, net, new Sgd.State(w, b), records), List.of(event)), 3);
    }

    @Test
    void roundTripRestoresSettingsNetworkMomentumRecordsAndPrunes() {
        TrainingSnapshot saved = snapshot(5);
        Path file = dir.resolve("snapshot.safetensors");
        TrainingSnapshots.save(file, saved);

        TrainingSnapshot back = TrainingSnapshots.load(file);
        assertEquals(saved.config(), back.config(), "every setting, the keep schedule and BEMA's included");
        assertEquals(3, back.blasThreads());
        TrainingState s = back.state().training();
        TrainingState expected = saved.state().training();
        assertEquals(2, s.completedEpochs());
        assertEquals(expected.records(), s.records());
        assertArrayEquals(expected.network().layer(1).weights(), s.network().layer(1).weights());
        assertArrayEquals(expected.optimizer().weightVelocity()[0], s.optimizer().weightVelocity()[0]);
        assertArrayEquals(expected.optimizer().biasVelocity()[1], s.optimizer().biasVelocity()[1]);
        assertEquals(saved.state().prunes(), back.state().prunes(), "with their settings and spectra");
        assertEquals(0.25, back.state().prunes().get(0).bema().alpha());
        assertEquals("5-4-3", ModelFiles.load(file).widthsString(), "a snapshot is also a loadable model");
    }

    @Test
    void aPlainModelIsNotASnapshot() {
        Path file = dir.resolve("model.safetensors");
        ModelFiles.save(file, Network.initialize(new int[] {3, 2}, false, new SplittableRandom(1)), Map.of());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TrainingSnapshots.load(file));
        assertTrue(e.getMessage().contains("not a training snapshot"), e.getMessage());
    }

    @Test
    void aStateThatCannotBelongToItsConfigurationIsRefused() {
        TrainingSnapshot good = snapshot(5);
        IllegalArgumentException fewer = assertThrows(IllegalArgumentException.class,
                () -> new TrainingSnapshot(config(1, new int[] {5, 4, 3}), good.state(), 1));
        assertTrue(fewer.getMessage().contains("after epoch 2 of a run of 1 epochs"), fewer.getMessage());
        IllegalArgumentException widths = assertThrows(IllegalArgumentException.class,
                () -> new TrainingSnapshot(config(5, new int[] {5, 7, 3}), good.state(), 1));
        assertTrue(widths.getMessage().contains("no prune changed them"), widths.getMessage());
        IllegalArgumentException outputs = assertThrows(IllegalArgumentException.class,
                () -> new TrainingSnapshot(config(5, new int[] {5, 4, 2}), good.state(), 1));
        assertTrue(outputs.getMessage().contains("maps 5 inputs to 3 outputs"), outputs.getMessage());
    }
}
