package io.nnrmtsvd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private static final int[] DIMS = {20, 32, 4};

    private static Trainer.Result train(long seed, TrainingConfig config, EpochHook hook) {
        Examples train = SyntheticData.blobs(600, 20, 4, 1);
        Examples test = SyntheticData.blobs(200, 20, 4, 1);
        Network net = Network.initialize(DIMS, false, new SplittableRandom(seed));
        return new Trainer(config, hook, BatchListener.NONE).train(net, train, test);
    }

    @Test
    void learnsASeparableSetToFullAccuracy() {
        Trainer.Result result = train(5, new TrainingConfig(5, 0.05, 0.9, 32, 9), EpochHook.NONE);
        EpochRecord last = result.epochs().get(4);
        assertEquals(1.0, last.testAccuracy(), 0.005);
        assertTrue(last.trainLoss() < result.epochs().get(0).trainLoss());
        assertEquals("20-32-4", last.widths());
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndDifferentSeedDoesNot() {
        TrainingConfig config = new TrainingConfig(2, 0.05, 0.9, 32, 9);
        float[] a = train(5, config, EpochHook.NONE).network().layer(0).weights();
        float[] b = train(5, config, EpochHook.NONE).network().layer(0).weights();
        float[] c = train(5, new TrainingConfig(2, 0.05, 0.9, 32, 10), EpochHook.NONE).network().layer(0).weights();
        assertArrayEquals(a, b);
        assertNotEquals(a[0], c[0]);
    }

    @Test
    void initialisationIsUniformWithinPyTorchBounds() {
        Network net = Network.initialize(new int[] {400, 300, 10}, false, new SplittableRandom(1));
        float bound = (float) (1 / Math.sqrt(400));
        float[] w = net.layer(0).weights();
        double min = 1, max = -1, sum = 0, sumSq = 0;
        for (float v : w) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sumSq += v * v;
        }
        assertTrue(min >= -bound && max <= bound);
        assertTrue(min < -0.99 * bound && max > 0.99 * bound, "fills the interval");
        assertEquals(0, sum / w.length, 0.01 * bound);
        // Variance of U(-b, b) is b^2 / 3.
        assertEquals(bound * bound / 3, sumSq / w.length, 0.02 * bound * bound);
        assertTrue(net.layer(0).relu());
        assertTrue(!net.layer(1).relu());
        assertTrue(Network.initialize(new int[] {4, 3}, true, new SplittableRandom(1)).layer(0).relu());
    }

    @Test
    void hookCanReplaceTheNetworkBeforeAnEpoch() {
        List<String> seen = new ArrayList<>();
        EpochHook hook = new EpochHook() {
            @Override
            public Optional<Network> beforeEpoch(int epoch, Network network) {
                return epoch == 2 ? Optional.of(Network.initialize(new int[] {20, 8, 4}, false,
                        new SplittableRandom(2))) : Optional.empty();
            }

            @Override
            public void afterEpoch(EpochRecord record, Network network) {
                seen.add(record.widths());
            }
        };
        Trainer.Result result = train(5, new TrainingConfig(3, 0.05, 0.9, 32, 9), hook);
        assertEquals(List.of("20-32-4", "20-8-4", "20-8-4"), seen);
        assertEquals("20-8-4", result.network().widthsString());
        assertTrue(result.epochs().get(2).testAccuracy() > 0.9);
    }

    @Test
    void aHugeLearningRateDivergesWithEpochAndBatchNamed() {
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> train(5, new TrainingConfig(3, 1e6, 0.9, 32, 9), EpochHook.NONE));
        assertEquals(1, e.epoch());
        assertTrue(e.batch() >= 1 && e.getMessage().contains("epoch 1"));
    }

    @Test
    void aFiniteBlowUpIsDivergenceToo() {
        // lr 30 sends the weights to values whose loss is large but finite: not NaN, still no model.
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> train(5, new TrainingConfig(3, 30, 0.9, 32, 9), EpochHook.NONE));
        assertTrue(Double.isFinite(e.loss()) && e.loss() > Trainer.DIVERGENCE_FACTOR * Math.log(4), e.getMessage());
    }

    @Test
    void mismatchedInputSizeIsRejected() {
        Network net = Network.initialize(new int[] {3, 2}, false, new SplittableRandom(1));
        Examples data = SyntheticData.blobs(10, 20, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> Evaluation.of(net, data));
    }
}
