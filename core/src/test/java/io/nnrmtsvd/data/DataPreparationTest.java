package io.nnrmtsvd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.linalg.OffHeapFloats;
import io.nnrmtsvd.nn.Examples;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataPreparationTest {
    /** Example i has features (i, i/100, ...) scaled into [0, 1] and label i % 10, so rows can be told apart. */
    private static Dataset numbered(int train, int test) {
        return new Dataset("toy", examples(train, 0), examples(test, 1000), 10);
    }

    private static Examples examples(int count, int offset) {
        FloatBuffer x = OffHeapFloats.allocate(count * 3L);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            x.put(3 * i, (i + offset) / 2000f);
            x.put(3 * i + 1, 0.5f);
            x.put(3 * i + 2, 1f);
            labels[i] = (i + offset) % 10;
        }
        return new Examples(x, labels, 3);
    }

    @Test
    void subsetIsSeededDistinctAndKeepsEachImageWithItsLabel() {
        Dataset all = numbered(200, 50);
        Dataset a = new DataPreparation(60, 7, false).apply(all);
        Dataset b = new DataPreparation(60, 7, false).apply(all);
        Dataset c = new DataPreparation(60, 8, false).apply(all);
        assertEquals(60, a.train().count());
        assertEquals(50, a.test().count(), "the test set stays whole");
        Set<Integer> rows = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            int row = Math.round(a.train().inputs().get(3 * i) * 2000);
            assertTrue(rows.add(row), "no image twice");
            assertEquals(row % 10, a.train().labels()[i], "the label travels with its image");
            assertEquals(a.train().inputs().get(3 * i), b.train().inputs().get(3 * i), "same seed, same subset");
        }
        assertNotEquals(Arrays.toString(a.train().labels()) + a.train().inputs().get(0),
                Arrays.toString(c.train().labels()) + c.train().inputs().get(0), "another seed, another subset");
        assertArrayEquals(DataPreparation.draw(200, 200, 3), java.util.stream.IntStream.range(0, 200).toArray());
    }

    @Test
    void normalisationMapsPixelsFromZeroOneToMinusOneOne() {
        Dataset all = numbered(20, 10);
        Dataset n = new DataPreparation(0, 1, true).apply(all);
        assertEquals(20, n.train().count());
        assertEquals(2 * all.train().inputs().get(3 * 7) - 1, n.train().inputs().get(3 * 7), 1e-6);
        assertEquals(0f, n.train().inputs().get(1));
        assertEquals(1f, n.test().inputs().get(2));
        assertEquals(0.5f, all.train().inputs().get(1), "the original is not modified");
    }

    @Test
    void nothingToDoReturnsTheDataAsItIs() {
        Dataset all = numbered(20, 10);
        assertSame(all, DataPreparation.NONE.apply(all));
    }

    @Test
    void aSubsetLargerThanTheDataSetOrNegativeIsRejected() {
        Dataset all = numbered(20, 10);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new DataPreparation(21, 1, false).apply(all));
        assertEquals("--train-size 21 is more than the 20 training images of toy", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DataPreparation(-1, 1, false));
        assertEquals(20, new DataPreparation(20, 1, false).apply(all).train().count());
    }
}
