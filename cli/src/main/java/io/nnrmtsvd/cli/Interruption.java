package io.nnrmtsvd.cli;

import io.nnrmtsvd.io.AtomicFiles;

/**
 * What the process says when SIGINT or SIGTERM ends a command: it lets the file writes under way
 * finish (they are atomic, so nothing is left half written) and prints what was saved.
 */
final class Interruption {
    private static final Object LOCK = new Object();
    private static boolean hookInstalled;
    private static volatile boolean running;
    private static volatile String saved;

    private Interruption() {
    }

    /** A command starts: from now on an interruption is reported. */
    static void begin() {
        synchronized (LOCK) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(Interruption::onExit, "rmtsvd-interruption"));
                hookInstalled = true;
            }
        }
        saved = null;
        running = true;
    }

    /** The command has ended, normally or with an error: exiting now is no interruption. */
    static void end() {
        running = false;
    }

    /** Records the latest output that an interruption would leave, e.g. a checkpoint. */
    static void saved(String description) {
        saved = description;
    }

    private static void onExit() {
        if (!running) {
            return;
        }
        AtomicFiles.finishWritesBeforeExit();
        System.err.println();
        System.err.println("rmtsvd: interrupted; " + (saved == null ? "nothing was saved" : "saved " + saved));
        System.err.flush();
    }
}
