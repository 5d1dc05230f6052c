package io.nnrmtsvd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.data.IdxFixtures;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.run.TrainingRun;
import io.nnrmtsvd.run.TrainingSnapshots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --snapshot-every, --resume, and what SIGTERM leaves behind. */
class TrainSnapshotCommandTest {
    private static final int EPOCHS = 12;

    @TempDir
    Path dir;
    private Path data;

    @BeforeEach
    void tinyMnist() throws IOException {
        data = dir.resolve("data");
        IdxFixtures.writeTinyMnist(data, 8192, 128, 8);
    }

    private List<String> trainArgs(Path runDir) {
        return List.of("train", "--data-dir", data.toString(), "--layers", "784,512,10", "--epochs",
                Integer.toString(EPOCHS), "--lr", "0.02", "--seed", "3", "--prune", "split-truncate", "--cutoff", "1",
                "--prune-every", "4", "--snapshot-every", "1", "--threads", "1", "--run-dir", runDir.toString());
    }

    @SuppressWarnings("unchecked")
    private static List<Object> epochs(String json) {
        return (List<Object>) ((Map<String, Object>) Json.parse(json, "test")).get("epochs");
    }

    /** Each epoch's record without its wall time, which differs between runs. */
    @SuppressWarnings("unchecked")
    private static List<Object> withoutSeconds(List<Object> epochs) {
        List<Object> out = new ArrayList<>();
        for (Object e : epochs) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>((Map<String, Object>) e);
            copy.remove("seconds");
            out.add(copy);
        }
        return out;
    }

    @Test
    void sigtermLeavesACompleteSnapshotAndResumingEndsLikeTheUninterruptedRun() throws Exception {
        Path interrupted = dir.resolve("interrupted");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.nnrmtsvd.cli.Main"));
        command.addAll(trainArgs(interrupted));
        Path errFile = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectError(errFile.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path snapshot = interrupted.resolve(TrainingRun.SNAPSHOT_FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(snapshot) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(process.isAlive(), "still training when the first snapshot appears");
        process.destroy(); // SIGTERM
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the process ends after SIGTERM");
        String err = Files.readString(errFile, StandardCharsets.UTF_8);
        assertTrue(err.contains("rmtsvd: interrupted; saved snapshot " + snapshot), err);
        try (Stream<Path> files = Files.list(interrupted)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
        var before = TrainingSnapshots.load(snapshot).state().training();
        int saved = before.completedEpochs();
        assertTrue(saved >= 1 && saved < EPOCHS, "interrupted after epoch " + saved);

        CliRun resumed = CliRun.of("train", "--resume", interrupted.toString(), "--data-dir", data.toString(), "--json");
        assertEquals(0, resumed.exitCode(), resumed.err());
        // The epochs before the snapshot come from it (their recorded times included), not from retraining.
        for (int e = 0; e < saved; e++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> record = (Map<String, Object>) epochs(resumed.out()).get(e);
            assertEquals(before.records().get(e).seconds(), ((Number) record.get("seconds")).doubleValue());
        }
        List<String> straightArgs = new ArrayList<>(trainArgs(dir.resolve("straight")));
        straightArgs.add("--json");
        CliRun straight = CliRun.of(straightArgs.toArray(String[]::new));
        assertEquals(0, straight.exitCode(), straight.err());
        assertEquals(withoutSeconds(epochs(straight.out())), withoutSeconds(epochs(resumed.out())));
        assertEquals(EPOCHS, TrainingSnapshots.load(snapshot).state().training().completedEpochs());
    }

    @Test
    void aResumedRunReportsThePrunesBeforeItsSnapshotToo() throws Exception {
        Path straight = dir.resolve("straight");
        // Prunes before epochs 1 and 3 of 4.
        String[] args = {"train", "--data-dir", data.toString(), "--layers", "784,128,10", "--epochs", "4",
            "--lr", "0.02", "--seed", "5", "--prune", "split-truncate", "--cutoff", "1", "--prune-every", "2",
            "--snapshot-every", "1", "--threads", "1", "--run-dir", straight.toString(), "--json"};
        CompletableFuture<CliRun> running = CompletableFuture.supplyAsync(() -> CliRun.of(args));
        // A copy of the first snapshot that appears is the run as an interruption after that epoch
        // leaves it; which epoch that is varies, but every snapshot follows the prune before epoch 1.
        Path snapshot = straight.resolve(TrainingRun.SNAPSHOT_FILE);
        while (!Files.exists(snapshot) && !running.isDone()) {
            Thread.sleep(5);
        }
        Path interrupted = Files.createDirectories(dir.resolve("interrupted"));
        Files.copy(snapshot, interrupted.resolve(TrainingRun.SNAPSHOT_FILE));
        CliRun uninterrupted = running.get(60, TimeUnit.SECONDS);
        assertEquals(0, uninterrupted.exitCode(), uninterrupted.err());

        CliRun resumed = CliRun.of("train", "--resume", interrupted.toString(), "--data-dir", data.toString(), "--json");
        assertEquals(0, resumed.exitCode(), resumed.err());
        List<Object> events = JsonTree.list(JsonTree.object(uninterrupted.out()).get("prune_events"));
        assertEquals(List.of(1L, 3L), events.stream().map(e -> JsonTree.object(e).get("epoch")).toList());
        assertEquals(events, JsonTree.object(resumed.out()).get("prune_events"), "epochs, layers, fits and ranks");
        // The report too: the prune table and the spectra at the first prune come from the events.
        Map<String, Object> expected = JsonTree.object(Files.readString(straight.resolve("metrics.json")));
        Map<String, Object> actual = JsonTree.object(Files.readString(interrupted.resolve("metrics.json")));
        assertEquals(expected.get("tables"), actual.get("tables"));
        assertEquals(expected.get("spectra"), actual.get("spectra"));
    }

    @Test
    void resumeRefusesOtherOptionsAndMissingSnapshots() {
        CliRun changed = CliRun.of("train", "--resume", dir.toString(), "--epochs", "5");
        assertEquals(2, changed.exitCode());
        assertTrue(changed.lastErrorLine().contains("only --threads, --json, --verbose, --save, --data-dir"),
                changed.err());
        CliRun missing = CliRun.of("train", "--resume", dir.toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.lastErrorLine().contains("no snapshot.safetensors"), missing.err());
        CliRun noDir = CliRun.of("train", "--snapshot-every", "1", "--no-report", "--data-dir", data.toString());
        assertEquals(2, noDir.exitCode());
    }
}
