package io.nnrmtsvd.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.linalg.OffHeapFloats;
import io.nnrmtsvd.nn.BatchListener;
import io.nnrmtsvd.nn.Examples;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.prune.PruneConfig;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PaperExperimentTest {
    /** Two Gaussian classes in 40 dimensions, separated along a random direction. */
    private static Examples blobs(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        FloatBuffer x = OffHeapFloats.allocate(count * 40L);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(2);
            for (int j = 0; j < 40; j++) {
                double centre = (labels[i] == 1 ? 1.5 : -1.5) * (j % 2 == 0 ? 1 : -1);
                x.put(i * 40 + j, (float) (centre + random.nextDouble(-1, 1)));
            }
        }
        return new Examples(x, labels, 40);
    }

    private static PaperExperiment.Settings settings(List<Variant> variants, long... seeds) {
        return new PaperExperiment.Settings(new int[] {40, 48, 2}, new TrainingConfig(3, 0.05, 0.9, 32, 1),
                2, seeds, variants, PruneConfig.published(2, 1), RankSweep.PREDICTED_RANK, new int[] {0, 1, 2, 5}, false);
    }

    @Test
    void everyVariantStartsFromTheSameWeightsAndIsSummarisedPerSeed() throws InterruptedException {
        Examples train = blobs(400, 1);
        Examples test = blobs(100, 2);
        List<String> log = new ArrayList<>();
        List<Variant> variants = List.of(Variant.values());
        PaperExperiment.ResultA a = PaperExperiment.runA(settings(variants, 1, 2), train, test,
                new PaperExperiment.Listener(log::add, BatchListener.NONE));
        assertEquals(2, a.runs().size());
        for (Map<Variant, PaperExperiment.VariantRun> seedRuns : a.runs()) {
            assertEquals(variants.size(), seedRuns.size());
            PaperExperiment.VariantRun prune = seedRuns.get(Variant.PRUNE);
            assertEquals(3, prune.prunes().size(), "a prune before every epoch");
            assertEquals(1, seedRuns.get(Variant.PRUNE_INIT_ONLY).prunes().size());
            assertEquals(2, seedRuns.get(Variant.PRUNE_TRAINED_ONLY).prunes().size());
            assertEquals(2, seedRuns.get(Variant.PRUNE_TRAINED_ONLY).prunes().get(0).epoch());
            assertTrue(seedRuns.get(Variant.MAGNITUDE).parameters() <= prune.parameters());
            assertEquals(seedRuns.get(Variant.BASELINE).epochs().get(0).parameters(), 40 * 48 + 48 + 48 * 2 + 2);
        }
        assertEquals(variants.size() - 2, a.differenceToReference().size(), "all but the two baselines");
        double[] notebook = a.runs().stream().mapToDouble(m -> m.get(Variant.NOTEBOOK).finalAccuracy()).toArray();
        double[] notebookBase = a.runs().stream()
                .mapToDouble(m -> m.get(Variant.NOTEBOOK_BASELINE).finalAccuracy()).toArray();
        assertEquals(SampleSummary.ofDifferences(notebook, notebookBase), a.differenceToReference().get(Variant.NOTEBOOK));
        assertTrue(a.runs().get(0).get(Variant.NOTEBOOK_BASELINE).prunes().isEmpty());
        double[] base = a.runs().stream().mapToDouble(m -> m.get(Variant.BASELINE).finalAccuracy()).toArray();
        assertEquals(SampleSummary.of(base), a.accuracy().get(Variant.BASELINE));
        assertTrue(a.accuracy().get(Variant.BASELINE).mean() > 0.9);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("seed 2 prune")));
    }

    @Test
    void parallelSeedsGiveTheSameNumbersAsSequential() throws InterruptedException {
        Examples train = blobs(300, 3);
        Examples test = blobs(100, 4);
        List<Variant> variants = List.of(Variant.BASELINE, Variant.PRUNE);
        PaperExperiment.Listener quiet = new PaperExperiment.Listener(l -> { }, BatchListener.NONE);
        PaperExperiment.ResultA sequential = PaperExperiment.runA(settings(variants, 5, 6), train, test, quiet);
        PaperExperiment.Settings p = settings(variants, 5, 6);
        PaperExperiment.Settings parallel = new PaperExperiment.Settings(p.widths(), p.training(), p.epochsB(),
                p.seeds(), p.variants(), p.prune(), p.predictedRank(), p.sweepRanks(), true);
        PaperExperiment.ResultA concurrent = PaperExperiment.runA(parallel, train, test, quiet);
        assertEquals(sequential.accuracy(), concurrent.accuracy());
    }

    @Test
    void experimentBPredictsARankAndSweepsIt() {
        PaperExperiment.ResultB b = PaperExperiment.runB(settings(List.of(Variant.BASELINE), 1), blobs(400, 1),
                blobs(100, 2), new PaperExperiment.Listener(l -> { }, BatchListener.NONE));
        assertEquals(2, b.epochs().size());
        assertEquals(4, b.sweep().size());
        assertEquals(0, b.sweep().get(0).rank());
        assertTrue(b.predicted().spikes() >= 0 && b.predicted().spikes() <= 40);
        assertEquals(0.25, b.predicted().alpha());
    }

    @Test
    void magnitudeNeedsPruneFirstAndVariantsParse() {
        assertThrows(IllegalArgumentException.class, () -> settings(List.of(Variant.MAGNITUDE, Variant.PRUNE), 1));
        assertEquals(Variant.PRUNE_INIT_ONLY, Variant.parse("prune-init-only"));
        assertThrows(InvalidInputException.class, () -> Variant.parse("prune-everything"));
    }
}
