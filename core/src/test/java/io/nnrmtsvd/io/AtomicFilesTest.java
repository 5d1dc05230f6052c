package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private static long entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void writesIntoNewDirectoriesAndReplacesExistingFiles() throws IOException {
        Path target = dir.resolve("a/b/out.txt");
        AtomicFiles.write(target, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(target, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
        assertEquals("second", Files.readString(target));
        assertEquals(1, entries(target.getParent()), "no temporary file is left behind");
    }

    @Test
    void writesInsideTogetherHappenWithTheirBookkeeping() throws IOException {
        Path target = dir.resolve("checkpoint.bin");
        List<String> notes = new ArrayList<>();
        AtomicFiles.together(() -> {
            try {
                AtomicFiles.write(target, out -> out.write(new byte[] {7}));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            notes.add("saved " + target.getFileName());
        });
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(target));
        assertEquals(List.of("saved checkpoint.bin"), notes);
        assertThrows(IllegalStateException.class, () -> AtomicFiles.together(() -> {
            throw new IllegalStateException("propagates");
        }));
    }

    @Test
    void aFailingWriterLeavesNoFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("out.bin");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk on fire");
        }));
        assertEquals("disk on fire", thrown.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(0, entries(dir));
    }

    @Test
    void aFailingWriterKeepsThePreviousContent() throws IOException {
        Path target = dir.resolve("keep.bin");
        AtomicFiles.write(target, out -> out.write(new byte[] {1, 2, 3}));
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[] {9, 9});
            throw new IllegalStateException("bug in the writer");
        }));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertEquals(1, entries(dir));
    }

    @Test
    void aSymbolicLinkIsWrittenThroughAndASpecialFileIsNeverReplaced() throws IOException {
        Path real = dir.resolve("real.bin");
        Files.write(real, new byte[] {1});
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), real);
        AtomicFiles.write(link, out -> out.write(new byte[] {2}));
        assertTrue(Files.isSymbolicLink(link), "the link stays");
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(real), "the file it names is replaced");
        InvalidInputException device = assertThrows(InvalidInputException.class,
                () -> AtomicFiles.write(Path.of("/dev/null"), out -> out.write(new byte[] {3})));
        assertTrue(device.getMessage().contains("character device"), device.getMessage());
        Path directory = Files.createDirectories(dir.resolve("d"));
        assertThrows(InvalidInputException.class, () -> AtomicFiles.write(directory, out -> { }));
    }

    @Test
    void leftoversOfProcessesThatNoLongerRunAreRemovedByTheNextWrite() throws IOException {
        Path dead = Files.writeString(dir.resolve(".out.bin.2147483646-abc.tmp"), "partial");
        Path deadDirectory = Files.createDirectories(dir.resolve(".out.bin.2147483645-def"));
        Path alive = Files.writeString(dir.resolve(".out.bin." + ProcessHandle.current().pid() + "-ghi.tmp"), "mine");
        Path unrelated = Files.writeString(dir.resolve(".out.bin.notes"), "the user's");
        AtomicFiles.write(dir.resolve("out.bin"), out -> out.write(new byte[] {4}));
        assertFalse(Files.exists(dead));
        assertFalse(Files.exists(deadDirectory));
        assertTrue(Files.exists(alive), "a write under way in a running process is left alone");
        assertTrue(Files.exists(unrelated), "only names of the temporary pattern are touched");
    }

    @Test
    void aDirectoryAppearsWholeOrNotAtAll() throws IOException {
        Path target = dir.resolve("shards");
        Path temp = AtomicFiles.temporaryDirectoryFor(target);
        Files.writeString(temp.resolve("a.txt"), "a");
        assertFalse(Files.exists(target));
        AtomicFiles.commitDirectory(temp, target);
        assertEquals("a", Files.readString(target.resolve("a.txt")));
        Path again = AtomicFiles.temporaryDirectoryFor(target);
        assertThrows(IOException.class, () -> AtomicFiles.commitDirectory(again, target), "never over an existing one");
        AtomicFiles.discard(again);
        assertEquals(1, entries(dir));
    }
}
