package io.nnrmtsvd.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Sequential little-endian reads from the byte range {@code [start, end)} of a file through one
 * buffer of at most {@value #BUFFER_BYTES} bytes, so that memory stays fixed whatever the range's
 * length. Reading past the end of the range is an {@link InvalidInputException} naming the
 * range ("data.pkl", "the central directory"). Optionally keeps a CRC-32 of every byte consumed.
 */
final class RangeInput {
    static final int BUFFER_BYTES = 1 << 16;

    private final FileChannel channel;
    private final Path file;
    private final String what;
    private final long start;
    private final long end;
    private final ByteBuffer buffer;
    private final CRC32 crc;
    private long bufferStart;

    /**
     * @param what names the range in error messages
     * @param withCrc whether to keep a CRC-32 of the bytes consumed
     */
    RangeInput(FileChannel channel, Path file, String what, long start, long end, boolean withCrc) {
        this.channel = channel;
        this.file = file;
        this.what = what;
        this.start = start;
        this.end = end;
        this.buffer = ByteBuffer.allocate((int) Math.min(BUFFER_BYTES, end - start)).order(ByteOrder.LITTLE_ENDIAN);
        this.buffer.limit(0);
        this.crc = withCrc ? new CRC32() : null;
        this.bufferStart = start;
    }

    /** Bytes consumed so far, counted from the start of the range. */
    long offset() {
        return bufferStart + buffer.position() - start;
    }

    /** Bytes left in the range. */
    long remaining() {
        return end - bufferStart - buffer.position();
    }

    /** The CRC-32 of the bytes consumed so far; only for an input made with a CRC. */
    long crc() {
        return crc.getValue();
    }

    /**
     * Makes at least {@code n} bytes ({@code n <= BUFFER_BYTES}) available in the buffer.
     *
     * @throws InvalidInputException if the range ends first
     */
    private void need(int n) {
        if (buffer.remaining() >= n) {
            return;
        }
        if (remaining() < n) {
            throw InvalidInputException.inFile(file, what + " ends at byte " + (end - start) + " in the middle of a "
                    + n + "-byte field that starts at byte " + offset());
        }
        consumeIntoCrc(buffer.position());
        bufferStart += buffer.position();
        buffer.compact();
        long fillTo = Math.min(end, bufferStart + buffer.capacity());
        buffer.limit((int) (fillTo - bufferStart));
        try {
            BinaryReads.readFully(channel, file, buffer, bufferStart + buffer.position());
        } catch (IOException e) {
            throw InvalidInputException.unreadable(file, e);
        }
        buffer.flip();
    }

    /** Adds the first {@code upTo} bytes of the buffer to the CRC (they are about to be dropped). */
    private void consumeIntoCrc(int upTo) {
        if (crc != null && upTo > 0) {
            crc.update(buffer.array(), buffer.arrayOffset(), upTo);
        }
    }

    /** Adds the bytes consumed but not yet counted; call before {@link #crc()}. */
    void flushCrc() {
        consumeIntoCrc(buffer.position());
        bufferStart += buffer.position();
        buffer.compact().flip();
    }

    int u8() {
        need(1);
        return buffer.get() & 0xff;
    }

    int u16() {
        need(2);
        return buffer.getShort() & 0xffff;
    }

    int s32() {
        need(4);
        return buffer.getInt();
    }

    long u32() {
        return s32() & 0xffffffffL;
    }

    long s64() {
        need(8);
        return buffer.getLong();
    }

    /** An 8-byte big-endian IEEE double. */
    double bigEndianDouble() {
        return Double.longBitsToDouble(Long.reverseBytes(s64()));
    }

    /**
     * The next {@code n} bytes in a new array.
     *
     * @throws InvalidInputException if fewer than {@code n} bytes remain (checked before allocating)
     */
    byte[] bytes(long n) {
        if (n < 0 || n > remaining()) {
            throw InvalidInputException.inFile(file, what + " ends at byte " + (end - start) + " but " + n
                    + " bytes are declared at byte " + offset());
        }
        byte[] out = new byte[(int) n];
        int done = 0;
        while (done < n) {
            need(1);
            int k = Math.min(buffer.remaining(), out.length - done);
            buffer.get(out, done, k);
            done += k;
        }
        return out;
    }

    /**
     * The next {@code n} bytes decoded as strict UTF-8: pure ASCII straight from the buffer, anything
     * else through {@code decoder} (reset here; it must report malformed input).
     *
     * @throws CharacterCodingException if the bytes are not valid UTF-8
     */
    String utf8(long n, CharsetDecoder decoder) throws CharacterCodingException {
        if (n < 0 || n > remaining()) {
            bytes(n); // reports the overrun
        }
        ByteBuffer bytes;
        if (n <= buffer.capacity()) {
            need((int) n);
            int at = buffer.position();
            byte[] array = buffer.array();
            boolean ascii = true;
            for (int i = at; i < at + n && ascii; i++) {
                ascii = array[i] >= 0;
            }
            buffer.position(at + (int) n);
            if (ascii) {
                return new String(array, at, (int) n, StandardCharsets.ISO_8859_1);
            }
            bytes = ByteBuffer.wrap(array, at, (int) n);
        } else {
            bytes = ByteBuffer.wrap(bytes(n));
        }
        return decoder.reset().decode(bytes).toString();
    }

    /** Skips {@code n} bytes, which must lie in the range. */
    void skip(long n) {
        if (n < 0 || n > remaining()) {
            throw InvalidInputException.inFile(file, what + " ends at byte " + (end - start) + " but " + n
                    + " bytes are declared at byte " + offset());
        }
        long left = n;
        while (left > 0) {
            need(1);
            int k = (int) Math.min(buffer.remaining(), left);
            buffer.position(buffer.position() + k);
            left -= k;
        }
    }
}
