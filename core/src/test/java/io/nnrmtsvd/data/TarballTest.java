package io.nnrmtsvd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sample.tgz was written by Python's tarfile module (make_tarball_fixture.py beside it). */
class TarballTest {
    private static final String LONG_NAME = "package/" + "d".repeat(90) + "/" + "e".repeat(20) + "/long-named-file";

    @TempDir
    Path dir;

    private static Path sample() {
        try {
            return Path.of(TarballTest.class.getResource("sample.tgz").toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] untarred() throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(sample()))) {
            return in.readAllBytes();
        }
    }

    @Test
    void extractsOnlyTheEntriesAskedFor() throws IOException {
        byte[] second = new byte[768];
        for (int i = 0; i < second.length; i++) {
            second[i] = (byte) i;
        }
        Tarball.extract(sample(), Map.of(
                "package/data/second", dir.resolve("b"),
                LONG_NAME, dir.resolve("c"),
                "package/data/first", dir.resolve("a")));
        assertEquals("hello tar\n", Files.readString(dir.resolve("a")));
        assertArrayEquals(second, Files.readAllBytes(dir.resolve("b")));
        assertEquals("prefix field used\n", Files.readString(dir.resolve("c")));
        try (var listing = Files.list(dir)) {
            assertEquals(3, listing.count());
        }
    }

    @Test
    void reportsMissingAndIrregularEntries() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tarball.extract(sample(), Map.of("package/data/first", dir.resolve("a"),
                        "package/data/absent", dir.resolve("x"))));
        assertEquals(sample() + ": archive lacks [package/data/absent]", e.getMessage());
        e = assertThrows(InvalidInputException.class,
                () -> Tarball.extract(sample(), Map.of("package/data/link", dir.resolve("l"))));
        assertTrue(e.getMessage().endsWith("entry package/data/link is not a regular file"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("l")));
    }

    @Test
    void rejectsCorruptArchives() throws IOException {
        byte[] tar = untarred();
        byte[] flipped = tar.clone();
        flipped[10] ^= 1; // inside the first header's name
        Path bad = dir.resolve("bad.tgz");
        Files.write(bad, IdxFixtures.gzip(flipped));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tarball.extract(bad, Map.of("package/data/first", dir.resolve("a"))));
        assertEquals(bad + ": tar header checksum mismatch", e.getMessage());

        Files.write(bad, IdxFixtures.gzip(Arrays.copyOf(tar, 512 * 3 + 100)));
        e = assertThrows(InvalidInputException.class,
                () -> Tarball.extract(bad, Map.of("package/data/second", dir.resolve("b"))));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        byte[] packed = Files.readAllBytes(sample());
        Files.write(bad, Arrays.copyOf(packed, packed.length / 2));
        e = assertThrows(InvalidInputException.class,
                () -> Tarball.extract(bad, Map.of(LONG_NAME, dir.resolve("c"))));
        assertTrue(e.getMessage().contains("corrupt or truncated archive"), e.getMessage());
    }
}
