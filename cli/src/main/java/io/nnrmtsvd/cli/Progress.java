package io.nnrmtsvd.cli;

import io.nnrmtsvd.io.Printable;
import io.nnrmtsvd.nn.BatchListener;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/**
 * Progress of long work on stderr: a live bar when stderr is a terminal, nothing per step
 * otherwise (so logs and pipes get only the plain summary lines the commands print).
 */
final class Progress implements BatchListener, AutoCloseable {
    private static final boolean TERMINAL = stderrIsTerminal();
    private final String label;
    private ProgressBar bar;
    private int barEpoch;

    Progress(String label) {
        this.label = label;
    }

    @Override
    public void batchDone(int epoch, int done, int total) {
        show(label + " epoch " + epoch, epoch, done, total);
    }

    /** Moves a bar over {@code total} items (e.g. the tensors of a checkpoint), with its ETA, to {@code done}. */
    void itemsDone(int done, int total) {
        show(label, 0, done, total);
    }

    private void show(String task, int epoch, int done, int total) {
        if (!TERMINAL) {
            return;
        }
        if (bar == null || barEpoch != epoch) {
            close();
            bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .setUpdateIntervalMillis(200)
                    .build();
            barEpoch = epoch;
        }
        bar.stepTo(done);
        if (done == total) {
            close();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    private static boolean stderrIsTerminal() {
        // System.console() describes stdin/stdout, not stderr; jline asks about stderr itself.
        try {
            return TerminalProvider.load("exec").isSystemStream(SystemStream.Error);
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    /** Prints one log line on stderr, made safe for a terminal ({@link Printable#text}). */
    static void log(String line) {
        PrintStream err = System.err;
        err.println(Printable.text(line, false));
        err.flush();
    }
}
