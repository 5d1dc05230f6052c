package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.Sgd;
import io.nnrmtsvd.nn.TrainingState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {
    @TempDir
    Path dir;

    @Test
    void roundTripRestoresNetworkMomentumRecordsAndMetadata() {
        Network net = Network.initialize(new int[] {5, 4, 3}, false, new SplittableRandom(1));
        float[][] w = {new float[20], new float[12]};
        float[][] b = {new float[4], new float[3]};
        w[0][7] = 0.25f;
        b[1][2] = -1.5f;
        List<EpochRecord> records = List.of(
                new EpochRecord(1, 0.5, 0.4, 0.9, Double.NaN, 1.25, 39, "5-4-3"),
                new EpochRecord(2, 0.3, 0.2, 0.95, 0.97, 1.5, 39, "5-4-3"));
        Path file = dir.resolve("checkpoint.safetensors");
        CheckpointFiles.save(file, new TrainingState(2, net, new Sgd.State(w, b), records),
                Map.of("arguments", "[\"train\",\"--epochs\",\"5\"]"));

        CheckpointFiles.Checkpoint back = CheckpointFiles.load(file);
        TrainingState s = back.state();
        assertEquals(2, s.completedEpochs());
        assertEquals(records, s.records());
        assertArrayEquals(net.layer(1).weights(), s.network().layer(1).weights());
        assertArrayEquals(w[0], s.optimizer().weightVelocity()[0]);
        assertArrayEquals(b[1], s.optimizer().biasVelocity()[1]);
        assertEquals("[\"train\",\"--epochs\",\"5\"]", back.metadata().get("arguments"));
        assertEquals("5-4-3", ModelFiles.load(file).widthsString(), "a checkpoint is also a loadable model");
    }

    @Test
    void aPlainModelIsNotACheckpoint() {
        Path file = dir.resolve("model.safetensors");
        ModelFiles.save(file, Network.initialize(new int[] {3, 2}, false, new SplittableRandom(1)), Map.of());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CheckpointFiles.load(file));
        assertTrue(e.getMessage().contains("not a training checkpoint"), e.getMessage());
    }
}
