package io.nnrmtsvd.hadoop;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * A read-only {@link FileChannel} over a Hadoop input stream: every read is a positioned read
 * ({@link FSDataInputStream#read(long, byte[], int, int)}), so the library's range reads become
 * ranged requests to the file system and nothing is read that is not asked for.
 */
final class HadoopFileChannel extends FileChannel {
    private static final int CHUNK = 1 << 20;

    private final FSDataInputStream in;
    private final long size;
    private long position;

    HadoopFileChannel(FSDataInputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    @Override
    public int read(ByteBuffer dst, long at) throws IOException {
        if (at < 0) {
            throw new IllegalArgumentException("negative position " + at);
        }
        if (at >= size) {
            return -1;
        }
        int wanted = (int) Math.min(dst.remaining(), size - at);
        if (wanted == 0) {
            return 0;
        }
        if (dst.hasArray()) {
            int n = readInto(at, dst.array(), dst.arrayOffset() + dst.position(), wanted);
            dst.position(dst.position() + n);
            return n;
        }
        byte[] chunk = new byte[Math.min(wanted, CHUNK)];
        int n = readInto(at, chunk, 0, chunk.length);
        dst.put(chunk, 0, n);
        return n;
    }

    /** At least one byte (the stream may return fewer than asked), or an exception at a premature end. */
    private int readInto(long at, byte[] bytes, int offset, int length) throws IOException {
        int n;
        synchronized (in) { // positioned reads of one stream may not be thread-safe in every implementation
            n = in.read(at, bytes, offset, length);
        }
        if (n <= 0) {
            throw new EOFException("the file ended at byte " + at + " of " + size);
        }
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = read(dst, position);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public FileChannel position(long newPosition) {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new NonWritableChannelException();
    }

    @Override
    public int write(ByteBuffer src, long at) {
        throw new NonWritableChannelException();
    }

    @Override
    public FileChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public void force(boolean metaData) {
        // nothing is written
    }

    @Override
    public long transferTo(long at, long count, WritableByteChannel target) throws IOException {
        long done = 0;
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, count)));
        while (done < count && at + done < size) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
            int n = read(buffer, at + done);
            buffer.flip();
            while (buffer.hasRemaining()) {
                target.write(buffer);
            }
            done += n;
        }
        return done;
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long at, long count) {
        throw new NonWritableChannelException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long at, long length) {
        throw new UnsupportedOperationException("memory-mapping a Hadoop file");
    }

    @Override
    public FileLock lock(long at, long length, boolean shared) {
        throw new UnsupportedOperationException("locking a Hadoop file");
    }

    @Override
    public FileLock tryLock(long at, long length, boolean shared) {
        throw new UnsupportedOperationException("locking a Hadoop file");
    }

    @Override
    protected void implCloseChannel() throws IOException {
        in.close();
    }
}
