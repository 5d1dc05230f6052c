package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomizedSpectrumTest {
    private final SplittableRandom rng = new SplittableRandom(20261203);

    @Test
    void shuffleIsASeededPermutation() {
        DMatrix w = RandomMatrices.gaussian(rng, 30, 50, 1);
        DMatrix a = RandomizedSpectrum.shuffle(w, 7);
        assertEquals(30, a.rows());
        assertEquals(50, a.cols());
        double[] sortedW = w.data().clone();
        double[] sortedA = a.data().clone();
        Arrays.sort(sortedW);
        Arrays.sort(sortedA);
        assertArrayEquals(sortedW, sortedA, 0.0);
        assertEquals(a, RandomizedSpectrum.shuffle(w, 7));
        assertNotEquals(a, RandomizedSpectrum.shuffle(w, 8));
        assertNotEquals(w, a);
    }

    @Test
    void largeEntriesBecomeTrapsAndAreReported() {
        DMatrix w = RandomMatrices.gaussian(rng, 100, 150, 1);
        int[][] planted = {{5, 9}, {50, 140}, {77, 0}, {99, 149}};
        double[] values = {60, -55, 50, 45};
        for (int k = 0; k < planted.length; k++) {
            w.set(planted[k][0], planted[k][1], values[k]);
        }
        RandomizedSpectrum r = RandomizedSpectrum.of(w, RawEigenvalues.of(w), 11, Bema.create(), 6);
        assertEquals(4, r.trapCount(), r.toString());
        for (double trap : r.traps()) {
            assertTrue(trap > r.trapThreshold());
        }
        List<MatrixEntry> largest = r.largestEntries();
        assertEquals(6, largest.size());
        for (int k = 0; k < planted.length; k++) {
            assertEquals(new MatrixEntry(planted[k][0], planted[k][1], values[k]), largest.get(k));
        }
        assertEquals(11, r.seed());
        assertEquals(r.randEigenvalues()[99], r.maxRandEval(), 0.0);
        assertEquals(r.maxRandEval() / RawEigenvalues.of(w)[99], r.wwSoftrank(), 1e-15);
    }

    @Test
    void noiseHasNoTrapsAndASoftrankNearOne() {
        DMatrix w = RandomMatrices.gaussian(rng, 200, 300, 1);
        RandomizedSpectrum r = RandomizedSpectrum.of(w, 5, Bema.create().withBeta(0.01));
        assertEquals(0, r.trapCount());
        assertEquals(1, r.wwSoftrank(), 0.05);
        assertEquals(RandomizedSpectrum.DEFAULT_ENTRIES, r.largestEntries().size());
        assertEquals(r, RandomizedSpectrum.of(w, 5, Bema.create().withBeta(0.01)));
    }

    @Test
    void aMatrixAgainstItselfIsAtDistanceZero() {
        DMatrix w = RandomMatrices.gaussian(rng, 40, 70, 1);
        double[] e = RawEigenvalues.of(w);
        RandomizedSpectrum r = RandomizedSpectrum.compare(w, e, w, -1, Bema.create(), 3);
        assertEquals(0, r.randDistance(), 0.0);
        assertEquals(1, r.wwSoftrank(), 0.0);
    }

    @Test
    void largestEntriesBreakTiesByPosition() {
        DMatrix w = DMatrix.wrap(2, 3, new double[] {1, -3, 3, 0, -3, 2});
        assertEquals(List.of(new MatrixEntry(0, 1, -3), new MatrixEntry(0, 2, 3), new MatrixEntry(1, 1, -3),
                new MatrixEntry(1, 2, 2)), RandomizedSpectrum.topEntries(w, 4));
        assertEquals(6, RandomizedSpectrum.topEntries(w, 100).size());
        assertEquals(List.of(), RandomizedSpectrum.topEntries(w, 0));
    }

    @Test
    void inconsistentInputIsRejected() {
        DMatrix w = RandomMatrices.gaussian(rng, 20, 30, 1);
        double[] e = RawEigenvalues.of(w);
        Bema bema = Bema.create();
        assertThrows(IllegalArgumentException.class,
                () -> RandomizedSpectrum.compare(w, e, RandomMatrices.gaussian(rng, 30, 20, 1), -1, bema, 3));
        assertThrows(IllegalArgumentException.class, () -> RandomizedSpectrum.of(w, Arrays.copyOf(e, 19), 1, bema, 3));
        assertThrows(IllegalArgumentException.class, () -> RandomizedSpectrum.of(w, e, 1, bema, -1));
        assertThrows(IllegalArgumentException.class,
                () -> RandomizedSpectrum.of(DMatrix.zeros(20, 30), new double[20], 1, bema, 3));
    }
}
