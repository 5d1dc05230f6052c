package io.nnrmtsvd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.data.IdxFixtures;
import io.nnrmtsvd.nn.ModelFiles;
import io.nnrmtsvd.nn.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir
    Path dir;
    private Path data;

    @BeforeEach
    void tinyMnist() throws IOException {
        data = dir.resolve("data");
        IdxFixtures.writeTinyMnist(data, 512, 128, 3);
    }

    @Test
    void trainsPrintsJsonAndSavesAModelThatReloads() {
        Path model = dir.resolve("m.safetensors");
        CliRun run = CliRun.of("train", "--data-dir", data.toString(), "--layers", "784,32,10",
                "--epochs", "2", "--lr", "0.05", "--seed", "4", "--save", model.toString(), "--json", "--no-report");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("\"parameters\" : 25450"), run.out());
        assertTrue(run.out().contains("\"test_accuracy\""), run.out());
        assertTrue(run.out().strip().startsWith("{") && run.out().strip().endsWith("}"));
        Network loaded = ModelFiles.load(model);
        assertEquals("784-32-10", loaded.widthsString());
        assertTrue(loaded.layer(0).relu() && !loaded.layer(1).relu());
    }

    @Test
    void nonNumericOptionIsOneLineAndExitTwo() {
        CliRun run = CliRun.of("train", "--epochs", "ten");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("rmtsvd: invalid value for option '--epochs': 'ten'"), run.err());
        assertFalse(run.err().contains("at io.nnrmtsvd"), "no stack trace");
    }

    @Test
    void unknownDatasetIsExitTwo() {
        CliRun run = CliRun.of("train", "--dataset", "cifar", "--data-dir", data.toString());
        assertEquals(2, run.exitCode());
        assertEquals("rmtsvd: unknown data set \"cifar\"; known: mnist, fashion-mnist", run.lastErrorLine());
    }

    @Test
    void truncatedOrWrongMagicIdxIsExitTwoNamingTheFile() throws IOException {
        Path images = data.resolve("mnist/train-images-idx3-ubyte");
        byte[] content = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(content, content.length - 100));
        CliRun truncated = CliRun.of("train", "--data-dir", data.toString());
        assertEquals(2, truncated.exitCode());
        assertTrue(truncated.lastErrorLine().startsWith("rmtsvd: " + images), truncated.err());

        content[3] = 0x01;
        Files.write(images, content);
        CliRun magic = CliRun.of("train", "--data-dir", data.toString());
        assertEquals(2, magic.exitCode());
        assertTrue(magic.lastErrorLine().contains("magic"), magic.err());
    }

    @Test
    void imageLabelCountMismatchIsExitTwo() throws IOException {
        Path labels = data.resolve("mnist/t10k-labels-idx1-ubyte");
        Files.write(labels, IdxFixtures.idx(0x801, new int[] {3}, new byte[3]));
        CliRun run = CliRun.of("train", "--data-dir", data.toString());
        assertEquals(2, run.exitCode());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void unwritableSaveFailsBeforeTrainingAndLeavesNoFile() {
        Path model = dir.resolve("missing-dir/m.safetensors");
        CliRun run = CliRun.of("train", "--data-dir", data.toString(), "--layers", "784,8,10",
                "--save", model.toString());
        assertEquals(2, run.exitCode());
        assertFalse(run.err().contains("epoch 1/"), "failed before training");
        assertFalse(Files.exists(model));
    }

    @Test
    void layersNotMatchingTheDataAreRejected() {
        CliRun run = CliRun.of("train", "--data-dir", data.toString(), "--layers", "784,8,7");
        assertEquals(2, run.exitCode());
        assertEquals("rmtsvd: --layers ends with 7 but mnist has 10 classes", run.lastErrorLine());
    }

    @Test
    void verboseAddsAStackTrace() {
        CliRun run = CliRun.of("train", "--data-dir", data.toString(), "--layers", "784,8,7", "--verbose");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("\tat "), run.err());
    }

    @Test
    void divergenceExitsThree() {
        CliRun run = CliRun.of("train", "--data-dir", data.toString(), "--layers", "784,16,10",
                "--lr", "1e30", "--epochs", "2");
        assertEquals(3, run.exitCode(), run.err());
        assertTrue(run.lastErrorLine().contains("diverged at epoch 1"), run.err());
    }
}
