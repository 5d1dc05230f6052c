package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints of 160,000 tensors (16 MB of headers) open, validate and answer look-ups by name in
 * time linear in their size: seconds, where a search per name took minutes. The time limits are
 * generous (the machine is shared); the allocation bounds, which a quadratic pass would exceed by
 * orders of magnitude, are the sharp check.
 */
class LargeCheckpointsTest {
    private static final int TENSORS = 160_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    /**
     * Opens the checkpoint, lists its tensors and looks each one up by name; returns the bytes
     * allocated (the names asked for made beforehand).
     */
    private static long openAndLookUpEach(Path path) throws IOException {
        String[] names = new String[TENSORS];
        Arrays.setAll(names, LargeSafetensors::name);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(path)) {
            List<TensorInfo> tensors = ck.tensors();
            assertEquals(TENSORS, tensors.size());
            for (int i = 0; i < TENSORS; i++) {
                String name = names[i];
                assertTrue(ck.contains(name));
                assertSame(ck.shardOf(name).tensor(name), ck.tensor(name));
                assertSame(tensors.get(i), ck.tensor(name));
            }
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aShardedCheckpointOf160kTensorsOpensInLinearTime() throws IOException {
        Path ck = LargeSafetensors.shardedZeroSize(dir.resolve("ck"), TENSORS);
        long bytes = Files.size(ck.resolve(ShardedCheckpoint.INDEX_FILE))
                + Files.size(ck.resolve("model-00001-of-00001.safetensors"));
        long allocated = openAndLookUpEach(ck);
        assertTrue(allocated < 4 * bytes + (2 << 20), "allocated " + allocated + " bytes for " + bytes);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFileOf160kTensorsOpensInLinearTime() throws IOException {
        Path file = dir.resolve("one.safetensors");
        long header = LargeSafetensors.write(file, LargeSafetensors.zeroSizeTensors(TENSORS), new byte[0]);
        long allocated = openAndLookUpEach(file);
        assertTrue(allocated < 3 * header + (2 << 20), "allocated " + allocated + " bytes for a header of " + header);
    }
}
