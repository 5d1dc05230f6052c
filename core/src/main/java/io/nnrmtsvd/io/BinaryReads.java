package io.nnrmtsvd.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional reads of binary numbers from a file channel: a short read becomes a clear error, and
 * arrays are read in bounded chunks and decoded element by element, so memory stays at the
 * size of the result.
 */
final class BinaryReads {
    private static final int CHUNK_BYTES = 1 << 20;

    private BinaryReads() {
    }

    /**
     * Fills {@code buffer} from its position to its limit with the bytes at {@code position}.
     *
     * @param buffer destination; modified (position advances to the limit)
     * @throws InvalidInputException if the file ends first
     */
    static void readFully(FileChannel channel, Path file, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw InvalidInputException.inFile(file, "truncated: file ends at byte " + at
                        + " but " + buffer.remaining() + " more bytes were expected");
            }
            at += n;
        }
    }

    /**
     * The {@code length} bytes of the file from {@code position} as a stream, read positionally
     * (the channel's own position is left alone).
     *
     * @throws InvalidInputException from its reads if the file ends first
     */
    static InputStream stream(FileChannel channel, Path file, long position, long length) {
        return new InputStream() {
            private long at = position;
            private final long end = position + length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (at == end) {
                    return -1;
                }
                ByteBuffer buffer = ByteBuffer.wrap(b, off, (int) Math.min(len, end - at));
                readFully(channel, file, buffer, at);
                int n = buffer.position() - off;
                at += n;
                return n;
            }
        };
    }

    /** Decodes {@code count} elements of one chunk into positions from {@code from}. */
    @FunctionalInterface
    interface ChunkDecoder {
        void decode(ByteBuffer chunk, int from, int count);
    }

    /**
     * Reads {@code count} elements of {@code size} bytes starting at {@code position}, passing them
     * on a chunk at a time in byte order {@code order}.
     */
    static void readChunks(FileChannel channel, Path file, long position, int count, int size, ByteOrder order,
            ChunkDecoder decoder) throws IOException {
        int perChunk = CHUNK_BYTES / size;
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(perChunk, count) * size).order(order);
        long at = position;
        for (int done = 0; done < count; ) {
            int n = Math.min(perChunk, count - done);
            chunk.clear().limit(n * size);
            readFully(channel, file, chunk, at);
            chunk.flip();
            decoder.decode(chunk, done, n);
            done += n;
            at += (long) n * size;
        }
    }

    /**
     * Decodes {@code count} floating-point elements of type {@code dtype} into {@code out[from..]}:
     * F32, F16 and BF16 exactly, F64 rounded to nearest.
     */
    static void decodeFloats(Dtype dtype, ByteBuffer chunk, float[] out, int from, int count) {
        if (dtype == Dtype.F32) {
            chunk.asFloatBuffer().get(out, from, count);
            return;
        }
        for (int i = 0; i < count; i++) {
            out[from + i] = (float) next(dtype, chunk);
        }
    }

    /** Decodes {@code count} floating-point elements of type {@code dtype} exactly into {@code out[from..]}. */
    static void decodeDoubles(Dtype dtype, ByteBuffer chunk, double[] out, int from, int count) {
        if (dtype == Dtype.F64) {
            chunk.asDoubleBuffer().get(out, from, count);
            return;
        }
        for (int i = 0; i < count; i++) {
            out[from + i] = next(dtype, chunk);
        }
    }

    /** The next element of {@code chunk}, exactly. */
    static double next(Dtype dtype, ByteBuffer chunk) {
        return switch (dtype) {
            case F64 -> chunk.getDouble();
            case F32 -> chunk.getFloat();
            case F16 -> HalfFloats.f16ToFloat(chunk.getShort());
            case BF16 -> HalfFloats.bf16ToFloat(chunk.getShort());
            default -> throw new IllegalArgumentException("not a floating-point dtype: " + dtype);
        };
    }

    /** Reads what a file holds from its open channel; the channel stays open on success. */
    @FunctionalInterface
    interface ChannelReader<T> {
        T read(Path path, FileChannel channel) throws IOException;
    }

    /**
     * Opens {@code path} for reading and hands the channel to {@code reader}; if that fails the
     * channel is closed and the failure is what is thrown (an I/O error as unreadable).
     *
     * @throws InvalidInputException if the file cannot be opened or read, or {@code reader} refuses it
     */
    static <T> T open(Path path, ChannelReader<T> reader) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw InvalidInputException.unreadable(path, e);
        }
        try {
            return reader.read(path, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw InvalidInputException.unreadable(path, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // reading failed already; that error is the one to report
        }
    }
}
