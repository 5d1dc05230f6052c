package io.nnrmtsvd.io;

import io.nnrmtsvd.linalg.DMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * NumPy {@code .npy} files of 2-D floating-point arrays.
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0, dtypes {@code <f8 >f8 <f4 >f4 <f2 >f2},
 * and both C and Fortran order. The header is checked strictly (see {@link NpyHeader}), and the
 * data must be exactly as long as the shape says; every problem is an {@link
 * InvalidInputException} naming the file. Writing produces version 1.0, C order, little-endian,
 * atomically.
 */
public final class NpyFiles {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;

    private NpyFiles() {
    }

    /**
     * Reads a 2-D float64, float32 or float16 array as a row-major double matrix (exact
     * conversion).
     *
     * @throws InvalidInputException if the file cannot be read, is not a valid {@code .npy}
     *     file, is not 2-D or has an unsupported dtype
     */
    public static DMatrix read(Path path) {
        return read(path, 2);
    }

    /**
     * Reads a 1-D float64, float32 or float16 array (a spectrum, say).
     *
     * @throws InvalidInputException as {@link #read(Path)}, for an array that is not 1-D
     */
    public static double[] readVector(Path path) {
        return read(path, 1).data();
    }

    private static DMatrix read(Path path, int dimensions) {
        InputFiles.requireRegularFile(path);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(path, channel, dimensions);
        } catch (IOException e) {
            throw InvalidInputException.unreadable(path, e);
        }
    }

    /** A 2-D array as it is, a 1-D one as a 1 x n matrix. */
    private static DMatrix read(Path path, FileChannel channel, int dimensions) throws IOException {
        long size = channel.size();
        ByteBuffer prefix = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        if (size < 10) {
            throw InvalidInputException.inFile(path, "not a .npy file: only " + size + " bytes");
        }
        prefix.limit((int) Math.min(12, size));
        BinaryReads.readFully(channel, path, prefix, 0);
        for (int i = 0; i < MAGIC.length; i++) {
            if (prefix.get(i) != MAGIC[i]) {
                throw InvalidInputException.inFile(path, "not a .npy file: bad magic string");
            }
        }
        int major = prefix.get(6);
        int minor = prefix.get(7);
        long headerLength;
        int headerStart;
        if (major == 1 && minor == 0) {
            headerLength = Short.toUnsignedInt(prefix.getShort(8));
            headerStart = 10;
        } else if ((major == 2 || major == 3) && minor == 0) {
            if (size < 12) {
                throw InvalidInputException.inFile(path, "truncated: only " + size + " bytes");
            }
            headerLength = Integer.toUnsignedLong(prefix.getInt(8));
            headerStart = 12;
        } else {
            throw InvalidInputException.inFile(path, "unsupported .npy format version " + major + "." + minor);
        }
        if (headerLength > size - headerStart) {
            throw InvalidInputException.inFile(path, "truncated: header length is " + headerLength
                    + " bytes but only " + (size - headerStart) + " bytes follow");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        BinaryReads.readFully(channel, path, headerBytes, headerStart);
        headerBytes.flip();
        NpyHeader header;
        try {
            header = NpyHeader.parse(decodeHeader(major, headerBytes));
        } catch (CharacterCodingException e) {
            throw InvalidInputException.inFile(path, "header is not valid "
                    + (major == 3 ? "UTF-8" : "Latin-1") + " text");
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.inFile(path, "malformed header: " + e.getMessage());
        }
        Dtype dtype = floatType(path, header.descr());
        ByteOrder order = header.descr().charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        long[] shape = header.shape();
        if (shape.length != dimensions) {
            throw InvalidInputException.inFile(path, "expected a " + dimensions + "-D array, but the shape is "
                    + Arrays.toString(shape));
        }
        if (dimensions == 1) {
            shape = new long[] {1, shape[0]};
        }
        long count = TensorInfo.elementCount(shape);
        if (count < 0 || count > Integer.MAX_VALUE - 8
                || shape[0] > Integer.MAX_VALUE || shape[1] > Integer.MAX_VALUE) {
            throw InvalidInputException.inFile(path, "shape " + Arrays.toString(shape)
                    + " is too large for one matrix");
        }
        long dataStart = headerStart + headerLength;
        long dataBytes = count * dtype.byteSize();
        if (dataBytes != size - dataStart) {
            throw InvalidInputException.inFile(path, "shape " + Arrays.toString(shape) + " of " + header.descr()
                    + " needs " + dataBytes + " bytes of data but the file holds " + (size - dataStart)
                    + (dataBytes > size - dataStart ? " (truncated)" : " (trailing data)"));
        }
        double[] values = new double[(int) count];
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        if (header.fortranOrder()) {
            // element k of the file is (k % rows, k / rows): placed directly, with no transposed copy
            BinaryReads.readChunks(channel, path, dataStart, values.length, dtype.byteSize(), order,
                    (chunk, from, n) -> {
                        for (int k = from; k < from + n; k++) {
                            values[(k % rows) * cols + k / rows] = BinaryReads.next(dtype, chunk);
                        }
                    });
        } else {
            BinaryReads.readChunks(channel, path, dataStart, values.length, dtype.byteSize(), order,
                    (chunk, from, n) -> BinaryReads.decodeDoubles(dtype, chunk, values, from, n));
        }
        return DMatrix.wrap(rows, cols, values);
    }

    private static String decodeHeader(int major, ByteBuffer bytes) throws CharacterCodingException {
        if (major != 3) {
            // straight into a Latin-1 String: no intermediate char buffer twice the header's size
            return new String(bytes.array(), bytes.position(), bytes.remaining(), StandardCharsets.ISO_8859_1);
        }
        return StandardCharsets.UTF_8.newDecoder().decode(bytes).toString(); // a new decoder reports bad input
    }

    private static Dtype floatType(Path path, String descr) {
        if (descr.length() == 3 && (descr.charAt(0) == '<' || descr.charAt(0) == '>') && descr.charAt(1) == 'f') {
            switch (descr.charAt(2)) {
                case '8':
                    return Dtype.F64;
                case '4':
                    return Dtype.F32;
                case '2':
                    return Dtype.F16;
                default:
                    break;
            }
        }
        throw InvalidInputException.inFile(path, "unsupported dtype '" + InvalidInputException.printable(descr)
                + "' (supported: <f8 >f8 <f4 >f4 <f2 >f2)");
    }

    /** Writes {@code matrix} as a 2-D float64 array, atomically. */
    public static void writeFloat64(Path target, DMatrix matrix) throws IOException {
        write(target, Dtype.F64, "(" + matrix.rows() + ", " + matrix.cols() + ")", matrix.data());
    }

    /** Writes {@code matrix} as a 2-D float32 array (values rounded to nearest), atomically. */
    public static void writeFloat32(Path target, DMatrix matrix) throws IOException {
        write(target, Dtype.F32, "(" + matrix.rows() + ", " + matrix.cols() + ")", matrix.data());
    }

    /** Writes {@code vector} as a 1-D float64 array (a spectrum, say), atomically. */
    public static void writeFloat64(Path target, double[] vector) throws IOException {
        write(target, Dtype.F64, "(" + vector.length + ",)", vector);
    }

    private static void write(Path target, Dtype dtype, String shape, double[] values) throws IOException {
        String dict = "{'descr': '<f" + dtype.byteSize() + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = MAGIC.length + 4 + dict.length() + 1;
        String header = dict + " ".repeat((ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT) + "\n";
        AtomicFiles.write(target, out -> {
            out.write(MAGIC);
            out.write(new byte[] {1, 0, (byte) header.length(), (byte) (header.length() >>> 8)});
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            WritableByteChannel channel = Channels.newChannel(out);
            if (dtype == Dtype.F64) {
                BinaryWrites.encode(channel, values.length, Double.BYTES, (b, i) -> b.putDouble(values[i]));
            } else {
                BinaryWrites.encode(channel, values.length, Float.BYTES, (b, i) -> b.putFloat((float) values[i]));
            }
        });
    }
}
