package io.nnrmtsvd.cli;

import io.nnrmtsvd.io.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * A writer that lets through only text a terminal shows as text: everything a command prints
 * passes {@link Printable#text}, line feeds kept, so no name from a file can carry escape
 * sequences, bells or carriage returns to the screen, whatever path it took into the output.
 */
final class TerminalText extends Writer {
    private final Writer out;

    private TerminalText(Writer out) {
        this.out = out;
    }

    /** {@code out}, filtered; one filter, however often it is wrapped. */
    static PrintWriter wrap(PrintWriter out) {
        return out instanceof Filtered ? out : new Filtered(new TerminalText(out));
    }

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
        out.write(Printable.text(new String(buffer, offset, length), true));
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** Marks a writer already filtered. */
    private static final class Filtered extends PrintWriter {
        Filtered(Writer out) {
            super(out, true);
        }
    }
}
