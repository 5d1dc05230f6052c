package io.nnrmtsvd.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An open safetensors file: the header is parsed and fully validated when the file is opened,
 * tensor data is read on demand, one tensor at a time, so memory stays at the size of the
 * tensor asked for however large the file is.
 *
 * <p>The format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON mapping each
 * tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (plus an optional
 * {@code "__metadata__"} object of strings, or null), then the data section holding each
 * tensor's little-endian, C-order bytes at its offsets. Opening checks that the path is a
 * regular file, that the header is at most {@value #MAX_HEADER_BYTES} bytes and fits in the
 * file, is UTF-8 and strict JSON without duplicate keys or trailing content, names known dtypes
 * (see {@link Dtype}, packed sub-byte types included), that shapes have at most
 * {@value #MAX_RANK} dimensions, that each tensor's byte range matches its shape, and that the
 * tensors neither overlap nor leave gaps and cover the data section exactly. Nothing is allocated
 * beyond what the file actually holds, and opening takes time linear in the header (see
 * {@link SafetensorsHeader}); tensors are then found by name in constant time. Every problem is
 * reported as an {@link InvalidInputException} naming the file.
 *
 * <p>Reads are positional, so one open file may be read from several threads.
 */
public final class SafetensorsFile implements TensorFile {
    /** The largest header accepted, in bytes (the limit of the reference implementation). */
    public static final long MAX_HEADER_BYTES = 100_000_000;

    /**
     * The most dimensions a tensor may have: NumPy's limit. Without one, a header of n bytes could
     * declare n / 2 dimensions and cost 4 bytes of memory per header byte, twice over.
     */
    public static final int MAX_RANK = 64;

    static final String METADATA_KEY = "__metadata__";

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final TensorTable tensors;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, SafetensorsHeader header) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.metadata = header.metadata();
        this.tensors = header.tensors();
    }

    /**
     * Opens {@code path} and validates its header.
     *
     * @throws InvalidInputException if the file is not a regular file, cannot be read or is not
     *     a valid safetensors file
     */
    public static SafetensorsFile open(Path path) {
        InputFiles.requireRegularFile(path);
        return BinaryReads.open(path, SafetensorsFile::readHeader);
    }

    private static SafetensorsFile readHeader(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < Long.BYTES) {
            throw InvalidInputException.inFile(path, "not a safetensors file: only " + size
                    + " bytes, fewer than the 8-byte header length");
        }
        ByteBuffer lengthField = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        BinaryReads.readFully(channel, path, lengthField, 0);
        long headerLength = lengthField.getLong(0);
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw InvalidInputException.inFile(path, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLength > size - Long.BYTES) {
            throw InvalidInputException.inFile(path, "truncated: header length is " + headerLength
                    + " bytes but only " + (size - Long.BYTES) + " bytes follow it");
        }
        long dataStart = Long.BYTES + headerLength;
        return new SafetensorsFile(path, channel, dataStart,
                SafetensorsHeader.parse(path, channel, headerLength, size - dataStart));
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** The {@code __metadata__} entries in header order; empty if there were none. Unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** All tensors in header order: an unmodifiable view, returned in constant time. */
    public List<TensorInfo> tensors() {
        return tensors.inHeaderOrder();
    }

    /** Whether there is a tensor called {@code name}; constant time. */
    public boolean contains(String name) {
        return tensors.get(name) != null;
    }

    /**
     * The tensor called {@code name}; constant time.
     *
     * @throws InvalidInputException if there is none
     */
    public TensorInfo tensor(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw InvalidInputException.inFile(path, "no tensor named \"" + InvalidInputException.printable(name) + "\"");
        }
        return t;
    }

    /** Byte offset of the data section in the file (8 plus the header length). */
    public long dataStart() {
        return dataStart;
    }

    /**
     * The values of a floating-point tensor in C order, converted to float: F16 and BF16 exactly,
     * F64 rounded to nearest.
     *
     * @throws InvalidInputException if there is no such tensor, its dtype is not F64, F32, F16 or
     *     BF16, it has more elements than a Java array holds, or the file has become unreadable
     */
    public float[] readFloats(String name) {
        TensorInfo t = analysable(name);
        float[] out = new float[arrayLength(t)];
        readElements(t, (chunk, from, count) -> BinaryReads.decodeFloats(t.dtype(), chunk, out, from, count));
        return out;
    }

    /**
     * The values of a floating-point tensor in C order, converted exactly to double.
     *
     * @throws InvalidInputException as for {@link #readFloats(String)}
     */
    public double[] readDoubles(String name) {
        TensorInfo t = analysable(name);
        double[] out = new double[arrayLength(t)];
        readElements(t, (chunk, from, count) -> BinaryReads.decodeDoubles(t.dtype(), chunk, out, from, count));
        return out;
    }

    /**
     * The raw little-endian bytes of any tensor.
     *
     * @throws InvalidInputException if there is no such tensor, it exceeds a Java array, or the
     *     file has become unreadable
     */
    public byte[] readBytes(String name) {
        TensorInfo t = tensor(name);
        if (t.byteLength() > Integer.MAX_VALUE - 8) {
            throw InvalidInputException.inFile(path, "tensor \"" + InvalidInputException.printable(name) + "\" has " + t.byteLength()
                    + " bytes, too many for one array");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) t.byteLength());
        try {
            BinaryReads.readFully(channel, path, bytes, dataStart + t.begin());
        } catch (IOException e) {
            throw InvalidInputException.unreadable(path, e);
        }
        return bytes.array();
    }

    /**
     * Copies the raw bytes of any tensor to {@code out} without holding them in memory.
     *
     * @param out receives exactly {@link TensorInfo#byteLength()} bytes; modified
     * @throws IOException if writing to {@code out} fails
     * @throws InvalidInputException if there is no such tensor or the file has become shorter
     */
    public void transferTo(String name, WritableByteChannel out) throws IOException {
        TensorInfo t = tensor(name);
        long position = dataStart + t.begin();
        long end = dataStart + t.end();
        while (position < end) {
            long n = channel.transferTo(position, end - position, out);
            if (n == 0 && channel.size() < end) {
                throw InvalidInputException.inFile(path, "truncated: file ends at byte " + channel.size()
                        + " inside tensor \"" + InvalidInputException.printable(name) + "\"");
            }
            position += n;
        }
    }

    private TensorInfo analysable(String name) {
        TensorInfo t = tensor(name);
        if (!t.dtype().isAnalysable()) {
            throw InvalidInputException.inFile(path, "tensor \"" + InvalidInputException.printable(name) + "\" has dtype " + t.dtype()
                    + ", which is unsupported for analysis (only F64, F32, F16 and BF16 are)");
        }
        return t;
    }

    private int arrayLength(TensorInfo t) {
        long count = t.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw InvalidInputException.inFile(path, "tensor \"" + InvalidInputException.printable(t.name()) + "\" has " + count
                    + " elements, too many for one array");
        }
        return (int) count;
    }

    private void readElements(TensorInfo t, BinaryReads.ChunkDecoder decoder) {
        try {
            BinaryReads.readChunks(channel, path, dataStart + t.begin(), (int) t.elementCount(), t.dtype().byteSize(),
                    ByteOrder.LITTLE_ENDIAN, decoder);
        } catch (IOException e) {
            throw InvalidInputException.unreadable(path, e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + tensors.size() + " tensors]";
    }
}
