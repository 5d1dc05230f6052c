package io.nnrmtsvd.data;

import io.nnrmtsvd.io.InputFiles;
import io.nnrmtsvd.io.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Extracts chosen regular files from a gzip-compressed tar archive (ustar or old-style headers of
 * 512 bytes, header checksums verified). Only the entries asked for are written, each to the
 * path given for it, so entry names can never place files elsewhere.
 */
final class Tarball {
    private static final int BLOCK = 512;

    private Tarball() {
    }

    /**
     * Writes each entry named in {@code wanted} to its target path.
     *
     * @param wanted archive entry name (with any ustar prefix joined by "/") to target file
     * @throws InvalidInputException if the archive is corrupt or truncated, or lacks a wanted entry
     * @throws IOException if a target cannot be written
     */
    static void extract(Path archive, Map<String, Path> wanted) throws IOException {
        InputFiles.requireRegularFile(archive);
        Map<String, Path> remaining = new HashMap<>(wanted);
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)), 1 << 16)) {
            byte[] header = new byte[BLOCK];
            while (!remaining.isEmpty()) {
                int n = in.readNBytes(header, 0, BLOCK);
                if (n == 0 || isZero(header)) {
                    break;
                }
                if (n < BLOCK) {
                    throw InvalidInputException.inFile(archive, "truncated tar header");
                }
                checkChecksum(archive, header);
                String name = text(header, 0, 100);
                if ("ustar".equals(text(header, 257, 6).trim()) && header[345] != 0) {
                    name = text(header, 345, 155) + "/" + name;
                }
                long size = octal(archive, header, 124, 12);
                byte type = header[156];
                Path target = remaining.remove(name);
                if (target != null && (type == '0' || type == 0)) {
                    copy(archive, in, target, size);
                    in.skipNBytes(padding(size));
                } else {
                    if (target != null) {
                        throw InvalidInputException.inFile(archive, "entry " + InvalidInputException.printable(name)
                                + " is not a regular file");
                    }
                    in.skipNBytes(size + padding(size));
                }
            }
        } catch (EOFException | ZipException e) {
            throw InvalidInputException.inFile(archive, "corrupt or truncated archive ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
        if (!remaining.isEmpty()) {
            throw InvalidInputException.inFile(archive, "archive lacks " + new TreeSet<>(remaining.keySet()));
        }
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static void copy(Path archive, InputStream in, Path target, long size) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(target)) {
            for (long left = size; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw InvalidInputException.inFile(archive, "truncated inside entry for " + target.getFileName());
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void checkChecksum(Path archive, byte[] header) {
        long stored = octal(archive, header, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : Byte.toUnsignedInt(header[i]);
        }
        if (sum != stored) {
            throw InvalidInputException.inFile(archive, "tar header checksum mismatch");
        }
    }

    /** A NUL-terminated field. */
    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** An octal number field, padded with spaces or NULs. */
    private static long octal(Path archive, byte[] header, int offset, int length) {
        String digits = text(header, offset, length).trim();
        if (digits.isEmpty() || digits.length() > 11 || !digits.chars().allMatch(c -> c >= '0' && c <= '7')) {
            throw InvalidInputException.inFile(archive, "bad octal field in tar header: '"
                    + InvalidInputException.printable(digits) + "'");
        }
        return Long.parseLong(digits, 8);
    }
}
