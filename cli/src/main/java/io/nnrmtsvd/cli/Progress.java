package io.nnrmtsvd.cli;

import io.nnrmtsvd.io.Printable;
import io.nnrmtsvd.nn.BatchListener;
import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/**
 * Progress of long work on stderr: a live bar when stderr is a terminal, nothing per step
 * otherwise (so logs and pipes get only the plain summary lines the commands print). A bar says
 * {@code done/total} and its ETA; a bar whose work is done stays, saying what follows (e.g. the
 * test set's evaluation after an epoch), until the next log line or bar takes its place, so a
 * finished bar never stays on screen above its summary line.
 */
final class Progress implements BatchListener, AutoCloseable {
    private static final boolean TERMINAL = stderrIsTerminal();
    private static final int WIDTH = 100;
    /** Guards the screen: one bar at a time, cleared before a log line is printed. */
    private static final Object SCREEN = new Object();
    private static Progress showing;

    private final String label;
    private final int epochs;
    private final PrintStream screen;
    private final boolean terminal;
    private ProgressBar bar;
    private Line line;
    private int barEpoch;

    /** Progress over items ({@link #itemsDone}) or over the batches of epochs whose count is not known. */
    Progress(String label) {
        this(label, 0);
    }

    /** Progress over the batches of {@code epochs} epochs; bars read e.g. {@code train epoch 3/10}. */
    Progress(String label, int epochs) {
        this(label, epochs, System.err, TERMINAL);
    }

    /** Bars drawn on {@code screen} if {@code terminal}. */
    Progress(String label, int epochs, PrintStream screen, boolean terminal) {
        this.label = label;
        this.epochs = epochs;
        this.screen = screen;
        this.terminal = terminal;
    }

    @Override
    public void batchDone(int epoch, int done, int total) {
        show(label + " epoch " + epoch + (epochs > 0 ? "/" + epochs : ""), epoch, done, total);
        if (done == total && terminal) {
            synchronized (SCREEN) {
                if (bar != null) {
                    bar.setExtraMessage("testing");
                }
            }
        }
    }

    /** Moves a bar over {@code total} items (e.g. the tensors of a checkpoint), with its ETA, to {@code done}. */
    void itemsDone(int done, int total) {
        show(label, -1, done, total);
        if (done == total) {
            close();
        }
    }

    /** Says on the bar what is being done now, e.g. before the first item is done; made safe for a terminal. */
    void note(String message) {
        if (!terminal) {
            return;
        }
        synchronized (SCREEN) {
            if (bar != null) {
                bar.setExtraMessage(Printable.text(message, false));
            }
        }
    }

    private void show(String task, int epoch, int done, int total) {
        if (!terminal) {
            return;
        }
        synchronized (SCREEN) {
            if (bar == null || barEpoch != epoch) {
                close();
                if (showing != null) {
                    showing.close();
                }
                line = new Line(screen);
                bar = new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(total)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setConsumer(line)
                        .setUpdateIntervalMillis(200)
                        .build();
                barEpoch = epoch;
                showing = this;
            }
            bar.stepTo(done);
        }
    }

    /** Takes the bar off the screen. */
    @Override
    public void close() {
        synchronized (SCREEN) {
            if (bar != null) {
                bar.close();
                line.clear();
                bar = null;
            }
            if (showing == this) {
                showing = null;
            }
        }
    }

    /** The one line a bar is drawn on, redrawn in place and blanked when the bar closes. */
    private static final class Line implements ProgressBarConsumer {
        private final PrintStream out;
        private int shown;

        Line(PrintStream out) {
            this.out = out;
        }

        @Override
        public int getMaxRenderedLength() {
            return WIDTH;
        }

        @Override
        public void accept(String text) {
            String line = text.length() > WIDTH ? text.substring(0, WIDTH) : text;
            out.print('\r' + line + " ".repeat(Math.max(0, shown - line.length())));
            out.flush();
            shown = line.length();
        }

        @Override
        public void clear() {
            if (shown > 0) {
                out.print('\r' + " ".repeat(shown) + '\r');
                out.flush();
                shown = 0;
            }
        }

        @Override
        public void close() {
            clear();
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

    /** Prints one log line on stderr, made safe for a terminal ({@link Printable#text}), in place of any bar. */
    static void log(String line) {
        synchronized (SCREEN) {
            if (showing != null) {
                showing.close();
            }
            PrintStream err = System.err;
            err.println(Printable.text(line, false));
            err.flush();
        }
    }
}
