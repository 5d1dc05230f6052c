package io.nnrmtsvd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bars on a terminal: they say i/N and the epoch of all epochs, and give way to the next log line. */
class ProgressTest {
    @Test
    void aFinishedBarIsClearedBeforeItsSummaryLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream screen = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream saved = System.err;
        System.setErr(screen);
        try (Progress progress = new Progress("train", 10, screen, true)) {
            progress.batchDone(3, 235, 469);
            progress.batchDone(3, 469, 469);
            Progress.log("epoch 3/10  train loss 0.1000");
        } finally {
            System.setErr(saved);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("train epoch 3/10"), text);
        assertTrue(text.contains("469/469"), text);
        String beforeLine = text.substring(0, text.indexOf("epoch 3/10  train loss"));
        String lastFrame = beforeLine.substring(beforeLine.lastIndexOf('\r', beforeLine.length() - 2));
        assertEquals("", lastFrame.replace("\r", "").strip(), "the bar is blanked out before the line: "
                + lastFrame.replace("\r", "\\r"));
    }

    @Test
    void nothingButLinesWhenStderrIsNoTerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream screen = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Progress progress = new Progress("sweep ranks", 0, screen, false)) {
            progress.itemsDone(0, 5);
            progress.note("testing the full model");
            progress.itemsDone(5, 5);
        }
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
