package io.nnrmtsvd.data;

import io.nnrmtsvd.io.InputFiles;
import io.nnrmtsvd.io.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian magic number {@code
 * 0x0000TTDD} (type {@code TT = 0x08} for unsigned bytes, {@code DD} dimensions), the
 * dimensions as big-endian 32-bit integers, then the elements in C order. Files may be
 * gzip-compressed, recognised by their first two bytes whatever their name. The data must be
 * exactly as long as the dimensions say, compressed or not; problems are {@link
 * InvalidInputException}s naming the file.
 */
public final class IdxFiles {
    private static final int UNSIGNED_BYTE = 0x08;
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private IdxFiles() {
    }

    /**
     * Images read from an IDX file with magic number {@code 0x00000803}.
     *
     * @param count number of images
     * @param rows pixel rows per image
     * @param cols pixel columns per image
     * @param pixels {@code count * rows * cols} unsigned bytes, image after image, row-major
     */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    /**
     * Reads an image file (magic {@code 0x00000803}: count, rows, cols).
     *
     * @throws InvalidInputException if the file is unreadable, not such an IDX file, or of the
     *     wrong length
     */
    public static Images readImages(Path path) {
        int[] dims = new int[3];
        byte[] pixels = read(path, dims, "images");
        return new Images(dims[0], dims[1], dims[2], pixels);
    }

    /**
     * Reads a label file (magic {@code 0x00000801}: count) as one unsigned byte per label.
     *
     * @throws InvalidInputException as for {@link #readImages(Path)}
     */
    public static byte[] readLabels(Path path) {
        return read(path, new int[1], "labels");
    }

    /** Reads the file's dimensions into {@code dims} (whose length is the expected count) and returns its data. */
    private static byte[] read(Path path, int[] dims, String kind) {
        InputFiles.requireRegularFile(path);
        try (InputStream in = open(path)) {
            boolean compressed = in instanceof GZIPInputStream;
            int headerLength = 4 + 4 * dims.length;
            int magic = ByteBuffer.wrap(readHeader(path, in, 4, headerLength)).getInt();
            int expectedMagic = (UNSIGNED_BYTE << 8) | dims.length;
            if (magic != expectedMagic) {
                throw InvalidInputException.inFile(path, String.format(
                        "magic number 0x%08x is not 0x%08x (IDX %s of unsigned bytes)", magic, expectedMagic, kind));
            }
            ByteBuffer header = ByteBuffer.wrap(readHeader(path, in, headerLength - 4, headerLength));
            long length = 1;
            for (int i = 0; i < dims.length; i++) {
                dims[i] = header.getInt();
                if (dims[i] < (i == 0 ? 0 : 1)) {
                    throw InvalidInputException.inFile(path, "dimension " + i + " is " + dims[i]);
                }
                length *= dims[i];
                if (length > Integer.MAX_VALUE - 8) {
                    throw InvalidInputException.inFile(path, "dimensions are too large");
                }
            }
            if (!compressed) {
                long actual = Files.size(path) - headerLength;
                if (actual != length) {
                    throw InvalidInputException.inFile(path, "the dimensions need " + length
                            + " bytes of data but the file holds " + actual
                            + (actual < length ? " (truncated)" : " (trailing data)"));
                }
            }
            byte[] data = in.readNBytes((int) length);
            if (data.length != length) {
                throw InvalidInputException.inFile(path, "truncated: the dimensions need " + length
                        + " bytes of data but the decompressed file holds " + data.length);
            }
            if (in.read() >= 0) {
                throw InvalidInputException.inFile(path, "trailing data after the " + length
                        + " bytes the dimensions call for (decompressed)");
            }
            return data;
        } catch (EOFException | ZipException e) {
            throw InvalidInputException.inFile(path, "corrupt or truncated gzip data ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        } catch (IOException e) {
            throw InvalidInputException.unreadable(path, e);
        }
    }

    /** A stream of the file's content, decompressed if it starts with the gzip magic bytes. */
    private static InputStream open(Path path) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        try {
            in.mark(2);
            boolean gzip = in.read() == GZIP_MAGIC_0 && in.read() == GZIP_MAGIC_1;
            in.reset();
            return gzip ? new GZIPInputStream(in, 1 << 16) : in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The next {@code length} bytes of the header, which is {@code headerLength} bytes in all. */
    private static byte[] readHeader(Path path, InputStream in, int length, int headerLength) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw InvalidInputException.inFile(path, "truncated: the file ends inside the " + headerLength
                    + "-byte IDX header");
        }
        return bytes;
    }
}
