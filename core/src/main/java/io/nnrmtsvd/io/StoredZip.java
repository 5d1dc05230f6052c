package io.nnrmtsvd.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of contents of a zip archive whose entries are stored uncompressed, as
 * {@code torch.save} writes them, validated so that every entry's data can then be read by range.
 *
 * <p>Reading finds the end-of-central-directory record (and the zip64 end record and locator when
 * present, as PyTorch always writes them) and requires: one disk; the central directory to end
 * exactly where the end records begin; the declared entry count to fit in the directory's size
 * (checked before anything is allocated per entry) and to match the records found; every entry
 * stored (method 0), unencrypted, with equal compressed and uncompressed sizes, a strictly UTF-8
 * name that is unique, and a well-formed extra field (its zip64 block supplies sizes and offsets
 * when the 32-bit fields are saturated); a local header at the entry's offset that carries the same
 * name and method and either the same sizes and CRC or, with bit 3 of the flags, zeros and a data
 * descriptor after the data that agrees with the central directory; and entries (local header,
 * data, descriptor) that lie before the central directory without overlapping one another.
 *
 * <p>The directory is read through a 64 KiB buffer and each local header with one positional
 * read, so memory is a few hundred bytes per entry plus its name, whatever the sizes declared.
 * CRC-32 values are recorded but not checked here: checking means reading the data, which the
 * caller does for the entries it reads in full.
 */
final class StoredZip {
    /** One entry: its data is the {@code size} bytes from {@code dataStart} of the file. */
    record Entry(String name, long headerOffset, long dataStart, long size, long crc, long extentEnd) {
        long dataEnd() {
            return dataStart + size;
        }
    }

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int ZIP64_END_SIGNATURE = 0x06064b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int DESCRIPTOR_SIGNATURE = 0x08074b50;
    private static final int END_BYTES = 22;
    private static final int ZIP64_LOCATOR_BYTES = 20;
    private static final int ZIP64_END_BYTES = 56;
    private static final int CENTRAL_BYTES = 46;
    private static final int LOCAL_BYTES = 30;
    private static final int MAX_COMMENT = 0xffff;
    private static final long U32_SATURATED = 0xffffffffL;
    private static final int U16_SATURATED = 0xffff;
    private static final int ZIP64_EXTRA_ID = 0x0001;

    private final Map<String, Entry> entries;

    private StoredZip(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** Entries by name, in central-directory order. Unmodifiable. */
    Map<String, Entry> entries() {
        return entries;
    }

    /** The entry called {@code name}, or null. */
    Entry entry(String name) {
        return entries.get(name);
    }

    /** Where the central directory is, as the end records give it. */
    private record Directory(long offset, long size, long count) {
    }

    /**
     * Reads and validates the archive's table of contents.
     *
     * @throws InvalidInputException naming {@code file} if it is not such an archive
     * @throws IOException if reading fails
     */
    static StoredZip read(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        int tailLength = (int) Math.min(size, END_BYTES + MAX_COMMENT + ZIP64_LOCATOR_BYTES);
        ByteBuffer tail = ByteBuffer.allocate(tailLength).order(ByteOrder.LITTLE_ENDIAN);
        BinaryReads.readFully(channel, file, tail, size - tailLength);
        long tailStart = size - tailLength;
        int at = findEnd(tail, size, tailStart);
        if (at < 0) {
            throw notAZip(file, channel, size);
        }
        Directory dir = directory(file, channel, tail, tailStart, at);
        return new StoredZip(readDirectory(file, channel, dir));
    }

    /** The position in {@code tail} of the end record whose comment runs exactly to the end of the file. */
    private static int findEnd(ByteBuffer tail, long size, long tailStart) {
        for (int i = tail.limit() - END_BYTES; i >= 0; i--) {
            if (tail.getInt(i) == END_SIGNATURE && tailStart + i + END_BYTES + (tail.getShort(i + 20) & 0xffff) == size) {
                return i;
            }
        }
        return -1;
    }

    private static InvalidInputException notAZip(Path file, FileChannel channel, long size) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(4, size));
        BinaryReads.readFully(channel, file, head, 0);
        byte[] b = head.array();
        if (b.length >= 2 && (b[0] & 0xff) == 0x80 && b[1] >= 2 && b[1] <= 5) {
            return InvalidInputException.inFile(file, "a bare pickle stream, as torch.save wrote before PyTorch 1.6"
                    + " (or with _use_new_zipfile_serialization=False); only the zip format is read: load and"
                    + " re-save it with a newer PyTorch");
        }
        if (b.length == 4 && ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() == LOCAL_SIGNATURE) {
            return InvalidInputException.inFile(file, "a zip archive without its end-of-central-directory record"
                    + " (truncated?)");
        }
        return InvalidInputException.inFile(file, "not a PyTorch zip archive (no end-of-central-directory record"
                + " in its last " + Math.min(size, END_BYTES + MAX_COMMENT) + " bytes)");
    }

    private static Directory directory(Path file, FileChannel channel, ByteBuffer tail, long tailStart, int at)
            throws IOException {
        long endPosition = tailStart + at;
        int disk = tail.getShort(at + 4) & 0xffff;
        int directoryDisk = tail.getShort(at + 6) & 0xffff;
        long countHere = tail.getShort(at + 8) & 0xffff;
        long count = tail.getShort(at + 10) & 0xffff;
        long dirSize = tail.getInt(at + 12) & U32_SATURATED;
        long dirOffset = tail.getInt(at + 16) & U32_SATURATED;
        boolean hasLocator = at >= ZIP64_LOCATOR_BYTES && tail.getInt(at - ZIP64_LOCATOR_BYTES) == ZIP64_LOCATOR_SIGNATURE;
        if (!hasLocator) {
            if (disk != 0 || directoryDisk != 0 || countHere != count) {
                throw InvalidInputException.inFile(file, "a multi-disk zip archive (disk " + disk + ", directory on disk "
                        + directoryDisk + "), which is not read");
            }
            checkDirectoryEnds(file, dirOffset, dirSize, endPosition);
            return new Directory(dirOffset, dirSize, count);
        }
        int loc = at - ZIP64_LOCATOR_BYTES;
        long locatorPosition = tailStart + loc;
        long zip64Disk = tail.getInt(loc + 4) & U32_SATURATED;
        long zip64Offset = tail.getLong(loc + 8);
        long disks = tail.getInt(loc + 16) & U32_SATURATED;
        if (zip64Disk != 0 || disks > 1) {
            throw InvalidInputException.inFile(file, "a multi-disk zip64 archive (" + disks + " disks), which is not read");
        }
        if (zip64Offset < 0 || zip64Offset > locatorPosition - ZIP64_END_BYTES) {
            throw InvalidInputException.inFile(file, "the zip64 locator points to byte " + Long.toUnsignedString(zip64Offset)
                    + ", not to a zip64 end record before it at byte " + locatorPosition);
        }
        ByteBuffer record = ByteBuffer.allocate(ZIP64_END_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        BinaryReads.readFully(channel, file, record, zip64Offset);
        long recordSize = record.getLong(4);
        if (record.getInt(0) != ZIP64_END_SIGNATURE || recordSize < ZIP64_END_BYTES - 12
                || recordSize != locatorPosition - zip64Offset - 12) {
            throw InvalidInputException.inFile(file, "no valid zip64 end record at byte " + zip64Offset
                    + " (signature or size wrong, or it does not end where the locator begins)");
        }
        long disk64 = record.getInt(16) & U32_SATURATED;
        long directoryDisk64 = record.getInt(20) & U32_SATURATED;
        long countHere64 = record.getLong(24);
        long count64 = record.getLong(32);
        long dirSize64 = record.getLong(40);
        long dirOffset64 = record.getLong(48);
        if (disk64 != 0 || directoryDisk64 != 0 || countHere64 != count64) {
            throw InvalidInputException.inFile(file, "a multi-disk zip64 archive, which is not read");
        }
        if (!agrees(disk, 0, U16_SATURATED) || !agrees(directoryDisk, 0, U16_SATURATED)
                || !agrees(count, count64, U16_SATURATED) || !agrees(countHere, count64, U16_SATURATED)
                || !agrees(dirSize, dirSize64, U32_SATURATED) || !agrees(dirOffset, dirOffset64, U32_SATURATED)) {
            throw InvalidInputException.inFile(file, "the end record and the zip64 end record disagree (entries "
                    + count + " vs " + count64 + ", directory size " + dirSize + " vs " + dirSize64 + ", offset "
                    + dirOffset + " vs " + dirOffset64 + ")");
        }
        checkDirectoryEnds(file, dirOffset64, dirSize64, zip64Offset);
        return new Directory(dirOffset64, dirSize64, count64);
    }

    /** A 16- or 32-bit end-record field agrees with its zip64 value if equal to it or saturated. */
    private static boolean agrees(long field, long value64, long saturated) {
        return field == value64 || field == saturated;
    }

    private static void checkDirectoryEnds(Path file, long offset, long size, long endRecord) {
        if (offset < 0 || size < 0 || offset > endRecord || size != endRecord - offset) {
            throw InvalidInputException.inFile(file, "the central directory (" + Long.toUnsignedString(size)
                    + " bytes at byte " + Long.toUnsignedString(offset) + ") does not end where the end record begins,"
                    + " at byte " + endRecord);
        }
    }

    private static Map<String, Entry> readDirectory(Path file, FileChannel channel, Directory dir) throws IOException {
        if (dir.count() < 0 || dir.count() > dir.size() / CENTRAL_BYTES) {
            throw InvalidInputException.inFile(file, "the end record declares " + Long.toUnsignedString(dir.count())
                    + " entries, more than its " + dir.size() + "-byte central directory can hold");
        }
        RangeInput in = new RangeInput(channel, file, "the central directory", dir.offset(), dir.offset() + dir.size(),
                false);
        Map<String, Entry> entries = new LinkedHashMap<>();
        ByteBuffer local = ByteBuffer.allocate(LOCAL_BYTES + 2 * U16_SATURATED).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < dir.count(); i++) {
            Entry e = readEntry(file, channel, in, dir.offset(), i, local);
            if (entries.putIfAbsent(e.name(), e) != null) {
                throw InvalidInputException.inFile(file, "two zip entries are named \""
                        + InvalidInputException.printable(e.name()) + "\"");
            }
        }
        if (in.remaining() != 0) {
            throw InvalidInputException.inFile(file, "the central directory has " + in.remaining()
                    + " bytes after its " + dir.count() + " declared entries");
        }
        checkNoOverlap(file, entries.values());
        return entries;
    }

    private static String where(String name) {
        return "zip entry \"" + InvalidInputException.printable(name) + "\"";
    }

    private static Entry readEntry(Path file, FileChannel channel, RangeInput in, long directoryOffset, long index,
            ByteBuffer local) throws IOException {
        long at = in.offset();
        if (in.s32() != CENTRAL_SIGNATURE) {
            throw InvalidInputException.inFile(file, "central directory entry " + index + " (byte " + (directoryOffset + at)
                    + ") has no valid signature");
        }
        in.skip(4); // version made by, version needed
        int flags = in.u16();
        int method = in.u16();
        in.skip(4); // time, date
        long crc = in.u32();
        long compressed = in.u32();
        long size = in.u32();
        int nameLength = in.u16();
        int extraLength = in.u16();
        int commentLength = in.u16();
        int disk = in.u16();
        in.skip(6); // internal and external attributes
        long offset = in.u32();
        byte[] nameBytes = in.bytes(nameLength);
        String name = decodeName(file, nameBytes, index);
        boolean zip64 = size == U32_SATURATED || compressed == U32_SATURATED || offset == U32_SATURATED
                || disk == U16_SATURATED;
        if (!zip64) {
            checkExtra(file, in, extraLength, name);
        } else {
            byte[] extra = in.bytes(extraLength);
            long[] wide = zip64Fields(file, extra, 0, extra.length, name, size == U32_SATURATED,
                    compressed == U32_SATURATED, offset == U32_SATURATED, disk == U16_SATURATED);
            size = wide[0] >= 0 ? wide[0] : size;
            compressed = wide[1] >= 0 ? wide[1] : compressed;
            offset = wide[2] >= 0 ? wide[2] : offset;
            disk = wide[3] >= 0 ? (int) Math.min(wide[3], Integer.MAX_VALUE) : disk;
        }
        in.skip(commentLength);
        if ((flags & 0x41) != 0) {
            throw InvalidInputException.inFile(file, where(name) + " is encrypted");
        }
        if (method != 0) {
            throw InvalidInputException.inFile(file, where(name) + " is compressed (method " + method + "); torch.save"
                    + " stores entries uncompressed and only such archives are read");
        }
        if (disk != 0) {
            throw InvalidInputException.inFile(file, where(name) + " starts on disk " + disk + ", in a multi-disk archive");
        }
        if (compressed != size || size < 0) {
            throw InvalidInputException.inFile(file, where(name) + " is stored but its compressed size "
                    + Long.toUnsignedString(compressed) + " differs from its size " + Long.toUnsignedString(size));
        }
        if (offset < 0 || offset > directoryOffset - LOCAL_BYTES) {
            throw InvalidInputException.inFile(file, where(name) + ": its local header at byte "
                    + Long.toUnsignedString(offset) + " does not lie before the central directory at byte "
                    + directoryOffset);
        }
        return checkLocal(file, channel, local, name, nameBytes, method, crc, size, offset, directoryOffset, zip64);
    }

    private static String decodeName(Path file, byte[] nameBytes, long index) {
        boolean ascii = true;
        for (byte b : nameBytes) {
            ascii &= b >= 0;
        }
        if (ascii) {
            return new String(nameBytes, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(nameBytes)).toString();
        } catch (CharacterCodingException e) {
            throw InvalidInputException.inFile(file, "the name of zip entry " + index + " is not valid UTF-8");
        }
    }

    /** Checks that an extra field of {@code length} bytes is a sequence of blocks that exactly fills it. */
    private static void checkExtra(Path file, RangeInput in, int length, String name) {
        int left = length;
        while (left > 0) {
            if (left < 4) {
                throw InvalidInputException.inFile(file, where(name) + " has a malformed extra field");
            }
            in.skip(2);
            int blockLength = in.u16();
            left -= 4;
            if (blockLength > left) {
                throw InvalidInputException.inFile(file, where(name) + " has an extra-field block that runs past the"
                        + " field");
            }
            in.skip(blockLength);
            left -= blockLength;
        }
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int at) {
        return u16(b, at) | (long) u16(b, at + 2) << 16;
    }

    private static long s64(byte[] b, int at) {
        return u32(b, at) | u32(b, at + 4) << 32;
    }

    /**
     * The zip64 values of the extra field {@code b[from, from + length)}, -1 where absent: size,
     * compressed size, offset, disk. The field must be a sequence of (id, length, data) blocks that
     * exactly fills it; the zip64 block holds, in order, the values whose 32- or 16-bit fields are
     * saturated.
     */
    private static long[] zip64Fields(Path file, byte[] b, int from, int length, String name,
            boolean... saturated) {
        long[] out = {-1, -1, -1, -1};
        boolean found = false;
        int at = from;
        int end = from + length;
        while (at < end) {
            if (end - at < 4) {
                throw InvalidInputException.inFile(file, where(name) + " has a malformed extra field");
            }
            int id = u16(b, at);
            int blockLength = u16(b, at + 2);
            at += 4;
            if (blockLength > end - at) {
                throw InvalidInputException.inFile(file, where(name) + " has an extra-field block that runs past the"
                        + " field");
            }
            int next = at + blockLength;
            if (id == ZIP64_EXTRA_ID && !found) {
                found = true;
                for (int k = 0; k < 4; k++) {
                    if (!saturated[k]) {
                        continue;
                    }
                    int width = k == 3 ? 4 : 8;
                    if (at + width > next) {
                        throw InvalidInputException.inFile(file, where(name) + ": its zip64 extra block is too short for"
                                + " the saturated fields");
                    }
                    out[k] = width == 8 ? s64(b, at) : u32(b, at);
                    if (out[k] < 0) {
                        throw InvalidInputException.inFile(file, where(name) + ": its zip64 extra block holds a value"
                                + " beyond 2^63");
                    }
                    at += width;
                }
            }
            at = next;
        }
        return out;
    }

    /** Validates the local header against the central directory and works out where the data is. */
    private static Entry checkLocal(Path file, FileChannel channel, ByteBuffer local, String name, byte[] nameBytes,
            int method, long crc, long size, long offset, long directoryOffset, boolean zip64) throws IOException {
        local.clear().limit(LOCAL_BYTES);
        BinaryReads.readFully(channel, file, local, offset);
        if (local.getInt(0) != LOCAL_SIGNATURE) {
            throw InvalidInputException.inFile(file, where(name) + ": no local header at byte " + offset);
        }
        int flags = local.getShort(6) & 0xffff;
        int localMethod = local.getShort(8) & 0xffff;
        long localCrc = local.getInt(14) & U32_SATURATED;
        long localCompressed = local.getInt(18) & U32_SATURATED;
        long localSize = local.getInt(22) & U32_SATURATED;
        int nameLength = local.getShort(26) & 0xffff;
        int extraLength = local.getShort(28) & 0xffff;
        long dataStart = offset + LOCAL_BYTES + nameLength + extraLength;
        if (dataStart > directoryOffset) {
            throw InvalidInputException.inFile(file, where(name) + ": its local header at byte " + offset
                    + " runs into the central directory");
        }
        local.limit(LOCAL_BYTES + nameLength + extraLength).position(LOCAL_BYTES);
        BinaryReads.readFully(channel, file, local, offset + LOCAL_BYTES);
        if (localMethod != method || !Arrays.equals(nameBytes, 0, nameBytes.length, local.array(), LOCAL_BYTES,
                LOCAL_BYTES + nameLength)) {
            throw InvalidInputException.inFile(file, where(name) + ": its local header at byte " + offset
                    + " names a different entry or method");
        }
        if ((flags & 0x41) != 0) {
            throw InvalidInputException.inFile(file, where(name) + " is encrypted");
        }
        boolean descriptor = (flags & 0x08) != 0;
        boolean agrees;
        if (!descriptor) {
            long s = localSize;
            long c = localCompressed;
            if (s == U32_SATURATED || c == U32_SATURATED) {
                long[] wide = zip64Fields(file, local.array(), LOCAL_BYTES + nameLength, extraLength, name,
                        s == U32_SATURATED, c == U32_SATURATED, false, false);
                s = wide[0] >= 0 ? wide[0] : s;
                c = wide[1] >= 0 ? wide[1] : c;
            }
            agrees = localCrc == crc && s == size && c == size;
        } else {
            agrees = (localCrc == 0 || localCrc == crc)
                    && (localSize == 0 || localSize == size || localSize == U32_SATURATED)
                    && (localCompressed == 0 || localCompressed == size || localCompressed == U32_SATURATED);
        }
        if (!agrees) {
            throw InvalidInputException.inFile(file, where(name) + ": its local header disagrees with the central"
                    + " directory on the CRC or the sizes");
        }
        if (size > directoryOffset - dataStart) {
            throw InvalidInputException.inFile(file, where(name) + ": its " + size + " bytes of data at byte "
                    + dataStart + " run into the central directory at byte " + directoryOffset + " (truncated?)");
        }
        long dataEnd = dataStart + size;
        long extentEnd = descriptor ? dataEnd + descriptorLength(file, channel, local, name, crc, size, dataEnd,
                directoryOffset, zip64) : dataEnd;
        return new Entry(name, offset, dataStart, size, crc, extentEnd);
    }

    /**
     * The length of the data descriptor at {@code at}: an optional signature, the CRC, then both
     * sizes in 4 bytes each, or 8 for a zip64 entry; all must agree with the central directory.
     */
    private static int descriptorLength(Path file, FileChannel channel, ByteBuffer scratch, String name, long crc,
            long size, long at, long directoryOffset, boolean zip64) throws IOException {
        scratch.clear().limit((int) Math.min(24, directoryOffset - at));
        BinaryReads.readFully(channel, file, scratch, at);
        int n = scratch.limit();
        int skip = n >= 4 && scratch.getInt(0) == DESCRIPTOR_SIGNATURE ? 4 : 0;
        for (int w = 0; w < 2; w++) {
            int width = zip64 == (w == 0) ? 8 : 4;
            int length = skip + 4 + 2 * width;
            if (length > n || (scratch.getInt(skip) & U32_SATURATED) != crc) {
                continue;
            }
            long c = width == 8 ? scratch.getLong(skip + 4) : scratch.getInt(skip + 4) & U32_SATURATED;
            long s = width == 8 ? scratch.getLong(skip + 4 + width) : scratch.getInt(skip + 4 + width) & U32_SATURATED;
            if (c == size && s == size) {
                return length;
            }
        }
        throw InvalidInputException.inFile(file, where(name) + ": no data descriptor agreeing with the central directory at"
                + " byte " + at);
    }

    private static void checkNoOverlap(Path file, Iterable<Entry> entries) {
        List<Entry> byOffset = new ArrayList<>();
        entries.forEach(byOffset::add);
        byOffset.sort(Comparator.comparingLong(Entry::headerOffset));
        Entry previous = null;
        for (Entry e : byOffset) {
            if (previous != null && e.headerOffset() < previous.extentEnd()) {
                throw InvalidInputException.inFile(file, "zip entries \"" + InvalidInputException.printable(previous.name())
                        + "\" and \"" + InvalidInputException.printable(e.name()) + "\" overlap (bytes "
                        + previous.headerOffset() + "-" + previous.extentEnd() + " and " + e.headerOffset() + "-"
                        + e.extentEnd() + ")");
            }
            previous = e;
        }
    }
}
