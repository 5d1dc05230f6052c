package io.nnrmtsvd.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes {@code torch.save}-style zip archives in tests: stored entries, written in one of three
 * layouts, and state dicts of tensors with chosen layouts built on {@link PickleBuilder}.
 */
final class TorchArchives {
    /** How the zip structure is written. */
    enum Layout {
        /**
         * As PyTorch writes it: local headers with zero sizes and bit 3 set, data aligned to 64 bytes
         * with an "FB" padding block, a data descriptor after each entry, and the zip64 end record
         * and locator before an end record holding the real values.
         */
        TORCH,
        /** The classic layout: sizes and CRC in the local headers, no descriptors, no zip64. */
        PLAIN,
        /** Every size and offset saturated in the 32-bit fields and given in zip64 extra blocks. */
        ZIP64
    }

    /** One zip entry. */
    record Entry(String name, byte[] data) {
    }

    /** A tensor to save: a view of storage {@code key} holding {@code data} (raw bytes, little-endian). */
    record Tensor(String name, String storageType, String key, byte[] data, int itemSize, long offset, long[] shape,
            long[] strides) {
    }

    private TorchArchives() {
    }

    static long crc(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return c.getValue();
    }

    /** A zip archive of stored entries. */
    static byte[] zip(List<Entry> entries, Layout layout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Long> offsets = new ArrayList<>();
        for (Entry e : entries) {
            offsets.add((long) out.size());
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            long crc = crc(e.data());
            int size = e.data().length;
            byte[] extra = switch (layout) {
                case TORCH -> padding(out.size() + 30 + name.length);
                case PLAIN -> new byte[0];
                case ZIP64 -> le(20).putShort((short) 1).putShort((short) 16).putLong(size).putLong(size).array();
            };
            ByteBuffer h = le(30).putInt(0x04034b50).putShort((short) 45)
                    .putShort((short) (layout == Layout.TORCH ? 0x0808 : 0x0800)).putShort((short) 0).putInt(0);
            switch (layout) {
                case TORCH -> h.putInt(0).putInt(0).putInt(0);
                case PLAIN -> h.putInt((int) crc).putInt(size).putInt(size);
                case ZIP64 -> h.putInt((int) crc).putInt(-1).putInt(-1);
            }
            h.putShort((short) name.length).putShort((short) extra.length);
            out.writeBytes(h.array());
            out.writeBytes(name);
            out.writeBytes(extra);
            out.writeBytes(e.data());
            if (layout == Layout.TORCH) {
                out.writeBytes(le(16).putInt(0x08074b50).putInt((int) crc).putInt(size).putInt(size).array());
            }
        }
        long directoryOffset = out.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            int size = e.data().length;
            boolean wide = layout == Layout.ZIP64;
            byte[] extra = wide ? le(28).putShort((short) 1).putShort((short) 24).putLong(size).putLong(size)
                    .putLong(offsets.get(i)).array() : new byte[0];
            ByteBuffer c = le(46).putInt(0x02014b50).putShort((short) 45).putShort((short) 45)
                    .putShort((short) (layout == Layout.TORCH ? 0x0808 : 0x0800)).putShort((short) 0).putInt(0)
                    .putInt((int) crc(e.data())).putInt(wide ? -1 : size).putInt(wide ? -1 : size)
                    .putShort((short) name.length).putShort((short) extra.length).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0)
                    .putInt(wide ? -1 : (int) (long) offsets.get(i));
            out.writeBytes(c.array());
            out.writeBytes(name);
            out.writeBytes(extra);
        }
        long directorySize = out.size() - directoryOffset;
        if (layout != Layout.PLAIN) {
            long zip64End = out.size();
            out.writeBytes(le(56).putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0)
                    .putInt(0).putLong(entries.size()).putLong(entries.size()).putLong(directorySize)
                    .putLong(directoryOffset).array());
            out.writeBytes(le(20).putInt(0x07064b50).putInt(0).putLong(zip64End).putInt(1).array());
        }
        boolean wide = layout == Layout.ZIP64;
        out.writeBytes(le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) (wide ? 0xffff : entries.size())).putShort((short) (wide ? 0xffff : entries.size()))
                .putInt(wide ? -1 : (int) directorySize).putInt(wide ? -1 : (int) directoryOffset).putShort((short) 0)
                .array());
        return out.toByteArray();
    }

    /** An "FB" extra block that moves the data from {@code dataAt} to the next multiple of 64. */
    private static byte[] padding(long dataAt) {
        long pad = (64 - (dataAt + 4) % 64) % 64;
        ByteBuffer b = le(4 + (int) pad).putShort((short) 0x4246).putShort((short) pad);
        for (int i = 0; i < pad; i++) {
            b.put((byte) 'Z');
        }
        return b.array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The pickle of an OrderedDict of {@code tensors}, as torch.save writes it with protocol 2. */
    static byte[] stateDictPickle(List<Tensor> tensors) {
        PickleBuilder p = new PickleBuilder().proto(2).global("collections", "OrderedDict").emptyTuple().reduce();
        if (!tensors.isEmpty()) {
            p.mark();
            for (Tensor t : tensors) {
                p.string(t.name()).tensor(t.storageType(), t.key(), t.data().length / t.itemSize(), t.offset(),
                        t.shape(), t.strides());
            }
            p.setItems();
        }
        return p.stop().bytes();
    }

    /** A complete archive named {@code archive} holding {@code pickle} and the tensors' storages. */
    static byte[] archive(String archive, byte[] pickle, List<Tensor> tensors, Layout layout) {
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(archive + "/data.pkl", pickle));
        Map<String, byte[]> storages = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            storages.putIfAbsent(t.key(), t.data());
        }
        storages.forEach((key, data) -> entries.add(new Entry(archive + "/data/" + key, data)));
        entries.add(new Entry(archive + "/version", "3\n".getBytes(StandardCharsets.US_ASCII)));
        return zip(entries, layout);
    }

    /** A complete torch.save-style file of an OrderedDict of {@code tensors}. */
    static byte[] stateDict(List<Tensor> tensors, Layout layout) {
        return archive("archive", stateDictPickle(tensors), tensors, layout);
    }

    /** A contiguous float32 tensor with its own storage. */
    static Tensor f32(String name, String key, float[] values, long... shape) {
        ByteBuffer b = le(4 * values.length);
        for (float v : values) {
            b.putFloat(v);
        }
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return new Tensor(name, "FloatStorage", key, b.array(), 4, 0, shape, strides);
    }

    /**
     * {@code zip} (written {@link Layout#PLAIN}) with one more central-directory entry, named
     * {@code name}, whose local header is at {@code offset} and whose data is {@code data}: for
     * archives whose entries overlap.
     */
    static byte[] withCentralEntry(byte[] zip, String name, long offset, byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        int count = in.getShort(end + 10) & 0xffff;
        int directorySize = in.getInt(end + 12);
        int directoryOffset = in.getInt(end + 16);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(zip, 0, directoryOffset + directorySize);
        out.writeBytes(le(46).putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0x0800)
                .putShort((short) 0).putInt(0).putInt((int) crc(data)).putInt(data.length).putInt(data.length)
                .putShort((short) n.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putInt(0).putInt((int) offset).array());
        out.writeBytes(n);
        out.writeBytes(le(22).putInt(0x06054b50).putInt(0).putShort((short) (count + 1))
                .putShort((short) (count + 1)).putInt(directorySize + 46 + n.length).putInt(directoryOffset)
                .putShort((short) 0).array());
        return out.toByteArray();
    }
}
