package io.nnrmtsvd.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.SpecialFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming reads the journal strictly: special files are refused, text must be UTF-8. */
class JournalTest {
    private static final Map<String, Object> SETTINGS = Map.of("input", "model.safetensors", "jobs", 2L);

    @TempDir
    Path dir;

    private Path run() throws IOException {
        Path run = dir.resolve("run");
        Journal.create(run, SETTINGS).close();
        return run;
    }

    @Test
    void resumesFinishedRowsAndDropsALastLineCutInsideACharacter() throws IOException {
        Path run = run();
        byte[] cut = "{\"name\": \"caf\u00e9\"}\n{\"name\": \"x\u00e9".getBytes(StandardCharsets.UTF_8);
        Files.write(run.resolve(Journal.TENSORS), java.util.Arrays.copyOf(cut, cut.length - 1));
        try (Journal journal = Journal.resume(run, SETTINGS, row -> row)) {
            assertEquals(List.of("caf\u00e9"), List.copyOf(journal.finished().keySet()));
        }
    }

    @Test
    void refusesJournalsThatAreNotUtf8NamingTheByte() throws IOException {
        Path run = run();
        Files.write(run.resolve(Journal.TENSORS), new byte[] {'{', '"', 'n', (byte) 0xff, '"', '}', '\n'});
        assertEquals(run.resolve(Journal.TENSORS) + ": not valid UTF-8 text (bad byte sequence at byte 3)",
                assertThrows(InvalidInputException.class, () -> Journal.resume(run, SETTINGS, row -> row)).getMessage());
        Files.write(run.resolve(Journal.SETTINGS), new byte[] {'{', (byte) 0xc3, '}'});
        assertEquals(run.resolve(Journal.SETTINGS) + ": not valid UTF-8 text (bad byte sequence at byte 1)",
                assertThrows(InvalidInputException.class, () -> Journal.resume(run, SETTINGS, row -> row)).getMessage());
    }

    @Test
    void refusesNamedPipesWithinASecond() throws Exception {
        Path run = run();
        Path tensors = run.resolve(Journal.TENSORS);
        Files.delete(tensors);
        SpecialFiles.fifo(tensors);
        SpecialFiles.assertRefusedQuickly(tensors, () -> Journal.resume(run, SETTINGS, row -> row));
        Path settings = run.resolve(Journal.SETTINGS);
        Files.delete(settings);
        SpecialFiles.fifo(settings);
        SpecialFiles.assertRefusedQuickly(settings, () -> Journal.resume(run, SETTINGS, row -> row));
    }
}
