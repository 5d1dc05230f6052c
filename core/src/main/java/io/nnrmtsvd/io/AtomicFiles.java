package io.nnrmtsvd.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Writes files so that readers see either the old file or the complete new one, never a partial
 * file: the content goes to a temporary file in the target's directory, is flushed to disk, and
 * is then renamed over the target in one atomic step. Every file the program writes goes through
 * here.
 */
public final class AtomicFiles {
    private static final int BUFFER_BYTES = 1 << 16;
    /** Writes hold the read side; {@link #finishWritesBeforeExit} takes the write side. */
    private static final ReentrantReadWriteLock WRITES = new ReentrantReadWriteLock();

    private AtomicFiles() {
    }

    /** Produces the content of a file. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the whole content to {@code out}. Must not close {@code out}.
         *
         * @param out buffered stream into the temporary file; modified
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically, creating its parent directories if needed and replacing
     * an existing file. If {@code content} throws, the temporary file is deleted, the target is
     * left as it was, and the exception propagates.
     *
     * @param target the file to create or replace; not modified unless the whole write succeeds
     * @param content writes the bytes
     * @throws IOException if writing, syncing or renaming fails, or {@code content} throws it
     */
    public static void write(Path target, Content content) throws IOException {
        WRITES.readLock().lock();
        try {
            writeLocked(target, content);
        } finally {
            WRITES.readLock().unlock();
        }
    }

    /**
     * Runs {@code writes} (calls of {@link #write}, and whatever records that they were made) as
     * one unit that {@link #finishWritesBeforeExit} waits for as a whole, so an exit never falls
     * between a file and the note that it exists.
     */
    public static void together(Runnable writes) {
        WRITES.readLock().lock(); // reentrant: the writes inside take it again
        try {
            writes.run();
        } finally {
            WRITES.readLock().unlock();
        }
    }

    /**
     * Waits for the writes under way to finish and blocks every later one, for a process that is
     * about to exit (a shutdown hook on SIGINT or SIGTERM): no temporary file is left behind and
     * no target is half written. Never call it from a thread that is writing.
     */
    public static void finishWritesBeforeExit() {
        WRITES.writeLock().lock();
    }

    private static void writeLocked(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            moveAtomically(temp, absolute);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Renames {@code source} to {@code target} in one atomic step, replacing {@code target} if it
     * exists. Both must be on the same file system.
     */
    public static void moveAtomically(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
