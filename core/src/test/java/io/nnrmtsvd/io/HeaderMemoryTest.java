package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory follows the header: a header of a million tensors (84 MB) opens in a JVM of 256 MB heap,
 * allocating about twice its size (measured there); the index of a sharded checkpoint likewise; and headers
 * built to cost the most per byte (one huge name, one huge metadata string, the most metadata
 * entries, minimal tensor entries, distinct 64-dimension shapes) stay within the bound SECURITY.md
 * states for opening, 6 × the header + 2 MiB.
 */
class HeaderMemoryTest {
    /** The bound SECURITY.md states for opening a safetensors file, per header byte. */
    private static final long OPEN_FACTOR = 6;
    private static final int MILLION = 1_000_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHeaderOfAMillionTensorsOpensInLittleMoreThanItsSize() throws Exception {
        Path file = dir.resolve("million.safetensors");
        long header = LargeSafetensors.write(file, LargeSafetensors.zeroSizeTensors(MILLION), new byte[0]);
        Process probe = new ProcessBuilder(javaCommand(), "-Xmx256m", "-cp", testClassPath(),
                HeaderMemoryProbe.class.getName(), file.toString()).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(100, TimeUnit.SECONDS), "the probe finished");
        assertEquals(0, probe.exitValue(), output);
        String[] countAndBytes = output.strip().split(" ");
        assertEquals(Integer.toString(MILLION), countAndBytes[0], output);
        long allocated = Long.parseLong(countAndBytes[1]);
        assertTrue(allocated < 3 * header + (2 << 20), "allocated " + allocated + " bytes for a header of " + header);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theIndexOfAMillionTensorsReadsInLittleMoreThanItsSize() throws IOException {
        String[] shards = new String[7];
        for (int s = 0; s < shards.length; s++) {
            shards[s] = "\": \"model-0000" + (s + 1) + "-of-00007.safetensors\"";
        }
        StringBuilder index = new StringBuilder(70 * MILLION).append("{\"metadata\": {\"total_size\": 0}, \"weight_map\": {");
        for (int i = 0; i < MILLION; i++) {
            index.append(i == 0 ? "\"" : ", \"").append(LargeSafetensors.name(i)).append(shards[i % shards.length]);
        }
        Path file = Files.writeString(dir.resolve(ShardedCheckpoint.INDEX_FILE), index.append("}}"));
        index = null;
        long size = Files.size(file);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        ShardIndex read = ShardIndex.read(file, CheckpointFormat.SAFETENSORS);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertEquals(7, read.shardCount());
        assertEquals(MILLION / 7 + 1, read.tensorCount(0));
        assertTrue(allocated < 3 * size + (2 << 20), "allocated " + allocated + " bytes for an index of " + size);
    }

    @Test
    void headersBuiltToCostTheMostStayWithinTheBound(TestReporter reporter) throws IOException {
        int n = 4 << 20;
        StringBuilder metadataKeys = new StringBuilder("{\"__metadata__\":{");
        for (int i = 0; i < SafetensorsHeader.MAX_METADATA_ENTRIES; i++) {
            metadataKeys.append(i == 0 ? "\"" : ",\"").append(Integer.toString(i, 36)).append("\":\"\"");
        }
        StringBuilder minimal = new StringBuilder("{");
        for (int i = 0; minimal.length() < n; i++) {
            minimal.append(i == 0 ? "\"" : ",\"").append(Integer.toString(i, 36))
                    .append("\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}");
        }
        StringBuilder shapes = new StringBuilder("{");
        for (int i = 0; shapes.length() < n; i++) {
            shapes.append(i == 0 ? "\"" : ",\"").append(i).append("\":{\"dtype\":\"U8\",\"shape\":[0")
                    .append(",1".repeat(62)).append(',').append(i).append("],\"data_offsets\":[0,0]}");
        }
        String[] headers = {
            "{\"" + "n".repeat(n) + "\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}",
            "{\"" + "\u00e9\u4e2d".repeat(n / 5) + "\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}",
            "{\"__metadata__\":{\"k\":\"" + "v".repeat(n) + "\"}}",
            "{\"__metadata__\":{\"" + "k".repeat(n) + "\":\"v\"}}",
            metadataKeys.append("}}").toString(),
            minimal.append('}').toString(),
            shapes.append('}').toString(),
        };
        Path file = dir.resolve("costly.safetensors");
        FuzzHarness harness = new FuzzHarness("safetensors headers", file, OPEN_FACTOR);
        for (String header : headers) {
            byte[] h = header.getBytes(StandardCharsets.UTF_8);
            byte[] input = java.nio.ByteBuffer.allocate(8 + h.length).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putLong(h.length).put(h).array();
            harness.run("header of " + h.length + " bytes beginning " + header.substring(0, 20), input,
                    f -> {
                        try (SafetensorsFile st = SafetensorsFile.open(f)) {
                            return st.tensors().size() + st.metadata().size();
                        }
                    }, (count, in) -> assertTrue(count > 0));
        }
        reporter.publishEntry("safetensors headers", harness.summary());
        harness.assertPassed(headers.length);
        assertEquals(headers.length, harness.accepted());
    }

    @Test
    void indexesBuiltToCostTheMostStayWithinTheBound(TestReporter reporter) throws IOException {
        int n = 4 << 20;
        StringBuilder objects = new StringBuilder("{\"metadata\": {\"a\": [{}");
        while (objects.length() < ShardIndex.MAX_OTHER_CHARS - 100) {
            objects.append(",{}");
        }
        objects.append("]}, \"weight_map\": {\"t\": \"s.safetensors\"}}");
        StringBuilder minimal = new StringBuilder("{\"weight_map\": {");
        for (int i = 0; minimal.length() < n; i++) {
            minimal.append(i == 0 ? "\"" : ",\"").append(Integer.toString(i, 36)).append("\":\"s.safetensors\"");
        }
        StringBuilder shards = new StringBuilder("{\"weight_map\": {");
        for (int i = 0; i < ShardIndex.MAX_SHARDS; i++) {
            String name = Integer.toString(i, 36);
            shards.append(i == 0 ? "\"" : ",\"").append(name).append("\":\"").append(name).append(".safetensors\"");
        }
        String[] indexes = {
            objects.toString(),
            minimal.append("}}").toString(),
            shards.append("}}").toString(),
            "{\"weight_map\": {\"t\": \"" + "n".repeat(n) + ".safetensors\"}}",
        };
        Path file = dir.resolve(ShardedCheckpoint.INDEX_FILE);
        FuzzHarness harness = new FuzzHarness("safetensors indexes", file, OPEN_FACTOR);
        for (String index : indexes) {
            byte[] input = index.getBytes(StandardCharsets.UTF_8);
            harness.run("index of " + input.length + " bytes beginning " + index.substring(0, 20), input,
                    f -> ShardIndex.read(f, CheckpointFormat.SAFETENSORS), (read, in) -> assertTrue(read.shardCount() > 0));
        }
        reporter.publishEntry("safetensors indexes", harness.summary());
        harness.assertPassed(indexes.length);
        assertEquals(indexes.length, harness.accepted());
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The test class path, as surefire gives it (its own booter jar aside). */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
