package io.nnrmtsvd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.data.IdxFixtures;
import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.SafetensorsWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log lines commands print on stderr (not a terminal here, so no bars): plain words, counted right. */
class LogLinesTest {
    @TempDir
    Path dir;

    /** Runs the command line with the process's stderr, where log lines go, captured. */
    private static String logOf(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            CliRun run = CliRun.of(args);
            assertEquals(0, run.exitCode(), run.err());
        } finally {
            System.setErr(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void oneEpochIsOneEpochAndAPruneIsNotAPrunePrune() throws IOException {
        Path data = dir.resolve("data");
        IdxFixtures.writeTinyMnist(data, 256, 64, 4);
        String overfit = logOf("experiment", "overfit", "--data-dir", data.toString(), "--dataset", "mnist",
                "--train-size", "200", "--layers", "784,24,10", "--epochs", "2", "--seeds", "1", "--variants",
                "baseline,prune", "--run-dir", dir.resolve("overfit").toString());
        assertTrue(overfit.contains("1 seed x baseline, prune, 2 epochs"), overfit);
        assertTrue(overfit.contains("seed 1 prune       before epoch  2: pruned 784-24-10 -> "), overfit);
        assertFalse(overfit.contains("prune prune") || overfit.contains("(s)"), overfit);
        String train = logOf("train", "--data-dir", data.toString(), "--layers", "784,16,10", "--epochs", "1",
                "--threads", "1", "--no-report");
        assertTrue(train.contains(", 1 epoch, 1 BLAS thread ("), train);
    }

    @Test
    void aCheckpointRunNamesItsFileNotAJavaRecord() throws IOException {
        Path ck = dir.resolve("ck.safetensors");
        SplittableRandom random = new SplittableRandom(1);
        float[] w = new float[40 * 60];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        SafetensorsWriter.write(ck, Map.of(), List.of(SafetensorsWriter.Tensor.ofFloats("a.weight", Dtype.F32,
                new long[] {40, 60}, w)));
        String log = logOf("spectrum", ck.toString(), "--no-report", "--threads", "1");
        assertTrue(log.startsWith(ck + ": 1 tensor in 1 shard, 1 job of 1 BLAS thread on "), log);
        assertFalse(log.contains("ShardedCheckpoint["), log);
    }
}
