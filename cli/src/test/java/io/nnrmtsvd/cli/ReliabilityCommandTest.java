package io.nnrmtsvd.cli;

import static io.nnrmtsvd.cli.CliFixtures.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.data.IdxFixtures;
import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.FileKind;
import io.nnrmtsvd.io.NpyFiles;
import io.nnrmtsvd.io.SafetensorsFile;
import io.nnrmtsvd.io.SafetensorsWriter;
import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.run.RunDirectory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the commands do with hostile or odd input: nothing the user owns is destroyed, special files
 * are refused, interruptions say the truth, numbers never silently overflow, and every bad input is
 * one line with exit code 2.
 */
class ReliabilityCommandTest {
    @TempDir
    Path dir;

    private static void writeCheckpoint(Path file, Dtype dtype, Map<String, float[][]> tensors) throws IOException {
        List<SafetensorsWriter.Tensor> list = new ArrayList<>();
        tensors.forEach((name, w) -> {
            float[] flat = new float[w.length * w[0].length];
            for (int i = 0; i < w.length; i++) {
                System.arraycopy(w[i], 0, flat, i * w[0].length, w[0].length);
            }
            list.add(SafetensorsWriter.Tensor.ofFloats(name, dtype, new long[] {w.length, w[0].length}, flat));
        });
        SafetensorsWriter.write(file, Map.of(), list);
    }

    private static float[][] gaussian(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] w = new float[rows][cols];
        for (float[] row : w) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return w;
    }

    @Test
    void compressingAModelOntoItselfIsRefusedHoweverThePathIsSpelled() throws IOException {
        Path model = CliFixtures.savedModel(dir.resolve("m.safetensors"), 3, 784, 64, 10);
        byte[] before = Files.readAllBytes(model);
        Path link = Files.createSymbolicLink(dir.resolve("link.safetensors"), model);
        Path viaProc = Path.of("/proc/self/cwd").resolve(Path.of("").toAbsolutePath().relativize(model));
        Files.createDirectories(dir.resolve("sub"));
        for (Path out : List.of(model, link, viaProc, dir.resolve("sub/../m.safetensors"))) {
            CliRun run = CliRun.of("compress", model.toString(), "--out", out.toString(), "--no-report");
            assertBadInput(run);
            assertTrue(run.err().contains("is the input"), run.err());
        }
        // Through a directory that does not exist, no string rule turns missing/../m back into m.
        assertBadInput(CliRun.of("compress", model.toString(), "--out", dir.resolve("missing/../m.safetensors")
                .toString(), "--no-report"));
        Path ck = dir.resolve("ck.safetensors");
        writeCheckpoint(ck, Dtype.F32, Map.of("a.weight", gaussian(40, 60, 1)));
        byte[] checkpoint = Files.readAllBytes(ck);
        Path ckLink = Files.createSymbolicLink(dir.resolve("ck-link.safetensors"), ck);
        assertBadInput(CliRun.of("compress", ck.toString(), "--out", ckLink.toString(), "--no-report"));
        assertArrayEquals(before, Files.readAllBytes(model), "the model is untouched");
        assertArrayEquals(checkpoint, Files.readAllBytes(ck), "the checkpoint is untouched");
    }

    @Test
    void specialFilesAreNeverReplaced() throws Exception {
        Path model = CliFixtures.savedModel(dir.resolve("m.safetensors"), 3, 784, 64, 10);
        CliRun devNull = CliRun.of("compress", model.toString(), "--out", "/dev/null", "--no-report");
        assertBadInput(devNull);
        assertTrue(devNull.err().contains("character device"), devNull.err());
        assertEquals(FileKind.CHARACTER_DEVICE, FileKind.of(Path.of("/dev/null"), false));
        Path fifo = dir.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        CliRun toFifo = CliRun.of("compress", model.toString(), "--out", fifo.toString(), "--no-report");
        assertBadInput(toFifo);
        assertTrue(toFifo.err().contains("named pipe"), toFifo.err());
        assertEquals(FileKind.FIFO, FileKind.of(fifo, false));
        CliRun runDirIsFile = CliRun.of("spectrum", model.toString(), "--run-dir", fifo.toString());
        assertBadInput(runDirIsFile);
    }

    @Test
    void aRunDirectoryHoldingAnotherRunOrInUseIsRefused() throws IOException {
        Path w = dir.resolve("w.npy");
        NpyFiles.writeFloat64(w, DMatrix.copyOf(gaussian(30, 50, 2)));
        Path runDir = dir.resolve("run");
        assertEquals(0, CliRun.of("spectrum", w.toString(), "--run-dir", runDir.toString()).exitCode());
        byte[] metrics = Files.readAllBytes(runDir.resolve("metrics.json"));
        CliRun again = CliRun.of("spectrum", w.toString(), "--run-dir", runDir.toString());
        assertBadInput(again);
        assertTrue(again.err().contains("holds another run"), again.err());
        assertArrayEquals(metrics, Files.readAllBytes(runDir.resolve("metrics.json")), "the first run is kept");

        Path someone = Files.createDirectories(dir.resolve("documents"));
        Files.writeString(someone.resolve("notes.txt"), "mine");
        CliRun foreign = CliRun.of("spectrum", w.toString(), "--run-dir", someone.toString());
        assertBadInput(foreign);
        assertTrue(foreign.err().contains("is not empty"), foreign.err());

        Path busy = Files.createDirectories(dir.resolve("busy"));
        try (FileChannel channel = FileChannel.open(busy.resolve(RunDirectory.LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            CliRun concurrent = CliRun.of("spectrum", w.toString(), "--run-dir", busy.toString());
            assertBadInput(concurrent);
            assertTrue(concurrent.err().contains("another rmtsvd process"), concurrent.err());
        }
    }

    @Test
    void aSnapshotRunIsNeverStartedOverInItsDirectory() throws IOException {
        Path data = dir.resolve("data");
        IdxFixtures.writeTinyMnist(data, 256, 64, 4);
        Path runDir = dir.resolve("long");
        String[] train = {"train", "--data-dir", data.toString(), "--layers", "784,16,10", "--epochs", "1",
            "--snapshot-every", "1", "--run-dir", runDir.toString(), "--threads", "1"};
        assertEquals(0, CliRun.of(train).exitCode());
        byte[] snapshot = Files.readAllBytes(runDir.resolve("snapshot.safetensors"));
        CliRun again = CliRun.of(train);
        assertBadInput(again);
        assertTrue(again.err().contains("--resume"), again.err());
        assertArrayEquals(snapshot, Files.readAllBytes(runDir.resolve("snapshot.safetensors")));
    }

    @Test
    void f16FactorsOrTruncationsThatWouldOverflowAreNotWritten() throws IOException {
        // kron([[1, 1], [1, 0]], ones(8, 8)) * 60000 + noise: its rank-1 truncation reaches 1.17 * 60000 > 65504.
        float[][] w = gaussian(16, 16, 9);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                w[i][j] = (i >= 8 && j >= 8 ? 0 : 60000) + 100 * w[i][j];
            }
        }
        Path ck = dir.resolve("half.safetensors");
        writeCheckpoint(ck, Dtype.F16, Map.of("big.weight", w, "other.weight", gaussian(16, 16, 4)));
        Path out = dir.resolve("out.safetensors");
        CliRun run = CliRun.of("compress", ck.toString(), "--out", out.toString(), "--dense", "--selector", "rank:1",
                "--min-rank", "0", "--cutoff", "1", "--json", "--no-report");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Object> big = JsonTree.list(JsonTree.object(run.out()).get("layers")).stream()
                .map(JsonTree::object).filter(l -> l.get("name").equals("big.weight")).findFirst().orElseThrow();
        assertEquals("unchanged", big.get("action"));
        assertTrue(((String) big.get("reason")).contains("would overflow F16"), big.toString());
        try (SafetensorsFile st = SafetensorsFile.open(out)) {
            for (var t : st.tensors()) {
                for (float v : st.readFloats(t.name())) {
                    assertTrue(Float.isFinite(v), t.name() + " holds " + v);
                }
            }
        }
    }

    @Test
    void aLayerLeftAloneSaysWhyInTheTermsOfTheTestItFailed() throws IOException {
        float[][] rankTwo = new float[20][30];
        for (int i = 0; i < 20; i++) {
            for (int j = 0; j < 30; j++) {
                rankTwo[i][j] = (float) (Math.sin(i + 1) * Math.cos(j) + Math.cos(2 * i) * Math.sin(3 * j + 1));
            }
        }
        Path ck = dir.resolve("exact.safetensors");
        writeCheckpoint(ck, Dtype.F32, Map.of("a.weight", rankTwo));
        CliRun run = CliRun.of("compress", ck.toString(), "--out", dir.resolve("o.safetensors").toString(),
                "--cutoff", "1.5", "--no-report");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("unchanged; no noise bulk to fit: sigma2 = 0.0"), run.out());
        assertFalse(run.out().contains(">= cutoff 1.5"), "the error is below the cutoff: " + run.out());
    }

    @Test
    void namesFromFilesReachTheTerminalEscapedAndCut() throws IOException {
        String evil = "x\u001b]0;owned\u0007\u001b[31m\r\nfake line\u0000" + "y".repeat(300) + ".weight";
        Path ck = dir.resolve("evil.safetensors");
        writeCheckpoint(ck, Dtype.F32, Map.of(evil, gaussian(20, 30, 5)));
        for (CliRun run : List.of(CliRun.of("spectrum", ck.toString(), "--no-report"),
                CliRun.of("compress", ck.toString(), "--out", dir.resolve("o.safetensors").toString(), "--no-report"),
                CliRun.of("spectrum", ck.toString(), "--tensor", evil + "missing", "--no-report"))) {
            for (String text : List.of(run.out(), run.err())) {
                for (char c : text.toCharArray()) {
                    assertTrue(c == '\n' || !Character.isISOControl(c), "raw control character "
                            + (int) c + " in: " + text);
                }
                assertFalse(text.contains("y".repeat(150)), "names are cut to 100 characters: " + text);
            }
        }
    }

    @Test
    void aForgedJournalRowIsOneLineNamingTheFileAndLine() throws Exception {
        Path ck = dir.resolve("ck.safetensors");
        writeCheckpoint(ck, Dtype.F32, Map.of("a.weight", gaussian(20, 30, 6), "b.weight", gaussian(20, 30, 7)));
        Path runDir = dir.resolve("run");
        assertEquals(0, CliRun.of("spectrum", ck.toString(), "--run-dir", runDir.toString()).exitCode());
        Path journal = runDir.resolve("tensors.jsonl");
        List<String> lines = Files.readAllLines(journal);
        Files.writeString(journal, lines.get(0).replaceFirst("\"ranks\":\\{[^}]*\\}", "\"ranks\":7") + "\n",
                StandardCharsets.UTF_8);
        CliRun resumed = CliRun.of("spectrum", ck.toString(), "--resume", runDir.toString());
        assertBadInput(resumed);
        assertTrue(resumed.err().contains("tensors.jsonl: line 1: 'ranks' must be a JSON object"), resumed.err());
    }

    @Test
    void oddValuesAreOneLine() throws IOException {
        Path ck = dir.resolve("ck.safetensors");
        writeCheckpoint(ck, Dtype.F32, Map.of("a.weight", gaussian(20, 30, 8)));
        for (String size : List.of("0x1p30", "2048f", "-1g", "1e9", "0")) {
            assertBadInput(CliRun.of("spectrum", ck.toString(), "--max-memory", size, "--no-report"));
        }
        Path data = dir.resolve("data");
        IdxFixtures.writeTinyMnist(data, 64, 16, 4);
        assertBadInput(CliRun.of("train", "--data-dir", data.toString(), "--layers", "784,100000000,10",
                "--no-report"));
        assertBadInput(CliRun.of("train", "--data-dir", data.toString(), "--prune", "split-truncate", "--keep",
                "step:0.5:-1:0.2", "--no-report"));
        CliRun quantile = CliRun.of("tracy-widom", "--quantile", "1e-70");
        assertEquals(2, quantile.exitCode(), quantile.err());
    }

    @Test
    void aLossThatBlowsUpWithoutBecomingNanIsDivergence() throws IOException {
        Path data = dir.resolve("data");
        IdxFixtures.writeTinyMnist(data, 512, 64, 4);
        CliRun run = CliRun.of("train", "--data-dir", data.toString(), "--layers", "784,32,10", "--lr", "30",
                "--epochs", "3", "--no-report");
        assertEquals(3, run.exitCode(), run.err());
        assertTrue(run.lastErrorLine().contains("diverged"), run.err());
    }

    @Test
    void sigtermWhileACheckpointDirectoryIsWrittenLeavesNothingAndSaysSo() throws Exception {
        Path ck = Files.createDirectories(dir.resolve("ck"));
        for (int shard = 0; shard < 2; shard++) {
            Map<String, float[][]> tensors = new LinkedHashMap<>();
            for (int t = 0; t < 12; t++) {
                tensors.put("s" + shard + ".t" + t + ".weight", gaussian(400, 700, 10 * shard + t));
            }
            writeCheckpoint(ck.resolve("part" + shard + ".safetensors"), Dtype.F32, tensors);
        }
        Path index = ck.resolve("model.safetensors.index.json");
        StringBuilder map = new StringBuilder();
        for (int shard = 0; shard < 2; shard++) {
            for (int t = 0; t < 12; t++) {
                map.append(map.length() == 0 ? "" : ",").append("\"s").append(shard).append(".t").append(t)
                        .append(".weight\":\"part").append(shard).append(".safetensors\"");
            }
        }
        Files.writeString(index, "{\"metadata\":{},\"weight_map\":{" + map + "}}");
        Path out = dir.resolve("small");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "io.nnrmtsvd.cli.Main", "compress",
                ck.toString(), "--out", out.toString(), "--dense", "--threads", "1", "--no-report"));
        // --dense: each rank-1 truncation is computed as it is written, so the write takes seconds.
        Path errFile = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectError(errFile.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (process.isAlive() && temporaries(dir, "small").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(process.isAlive(), "still writing when its temporary directory appears");
        process.destroy(); // SIGTERM
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        String err = Files.readString(errFile);
        assertFalse(Files.exists(out), "no output: " + err);
        assertEquals(List.of(), temporaries(dir, "small"), "nothing hidden left behind");
        assertTrue(err.contains("rmtsvd: interrupted; nothing was saved; removed the unfinished"), err);

        // A leftover of a killed process (its pid no longer runs) is removed by the next write.
        Path leftover = Files.createDirectories(dir.resolve(".small.2147483646-zz"));
        Files.writeString(leftover.resolve("part0.safetensors"), "partial");
        CliRun done = CliRun.of("compress", ck.toString(), "--out", out.toString(), "--threads", "1", "--no-report",
                "--include", "s0.t0.weight");
        assertEquals(0, done.exitCode(), done.err());
        assertFalse(Files.exists(leftover), "the leftover is gone");
    }

    private static List<Path> temporaries(Path dir, String name) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("." + name + ".")).toList();
        }
    }

    @Test
    void outputFilesTakeThePermissionsOfTheUmask() throws IOException {
        Path model = CliFixtures.savedModel(dir.resolve("m.safetensors"), 3, 784, 64, 10);
        Path out = dir.resolve("small.safetensors");
        assertEquals(0, CliRun.of("compress", model.toString(), "--out", out.toString(), "--no-report").exitCode());
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(out),
                "as any file this process creates, not 0600");
    }
}
