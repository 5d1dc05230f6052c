package io.nnrmtsvd.cli;

import io.nnrmtsvd.io.AtomicFiles;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the process says when SIGINT or SIGTERM ends a command: it removes the outputs still being
 * written (they are atomic, so nothing half written ever appears) and says truly what was saved and
 * what was removed.
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
        AtomicFiles.startRecording();
        saved = null;
        running = true;
    }

    /** The command has ended, normally or with an error: exiting now is no interruption. */
    static void end() {
        running = false;
    }

    /**
     * Names the latest output that an interruption would leave and how to use it, e.g. a snapshot
     * and how to resume; call it inside {@link AtomicFiles#together} with the write it describes.
     */
    static void saved(String description) {
        saved = description;
    }

    private static void onExit() {
        if (!running) {
            return;
        }
        AtomicFiles.Exit exit = AtomicFiles.abortBeforeExit();
        String line = "rmtsvd: interrupted; " + (saved != null ? "saved " + saved
                : exit.committed().isEmpty() ? "nothing was saved" : "saved " + summary(exit.committed()));
        if (!exit.removed().isEmpty()) {
            line += "; removed the unfinished " + summary(exit.removed());
        }
        System.err.println();
        System.err.println(line);
        System.err.flush();
    }

    /** "a", "a and b", or "a and 4 more" for the distinct paths, in order. */
    private static String summary(List<Path> paths) {
        Set<Path> distinct = new LinkedHashSet<>(paths);
        List<Path> list = List.copyOf(distinct);
        return switch (list.size()) {
            case 1 -> list.get(0).toString();
            case 2 -> list.get(0) + " and " + list.get(1);
            default -> list.get(0) + " and " + (list.size() - 1) + " more files";
        };
    }
}
