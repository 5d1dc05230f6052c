package io.nnrmtsvd.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes pickle opcodes one by one, to build the pickles of {@code torch.save} archives in tests,
 * valid ones and ones with chosen flaws. Methods are named after the opcodes they write; see the
 * pickle module's documentation of the protocol for their meaning.
 */
final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBuilder raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    PickleBuilder raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    PickleBuilder proto(int version) {
        return raw(0x80, version);
    }

    PickleBuilder stop() {
        return raw('.');
    }

    PickleBuilder mark() {
        return raw('(');
    }

    PickleBuilder emptyDict() {
        return raw('}');
    }

    PickleBuilder emptyList() {
        return raw(']');
    }

    PickleBuilder emptyTuple() {
        return raw(')');
    }

    PickleBuilder tuple() {
        return raw('t');
    }

    PickleBuilder tuple(int n) {
        return raw(0x84 + n);
    }

    PickleBuilder setItem() {
        return raw('s');
    }

    PickleBuilder setItems() {
        return raw('u');
    }

    PickleBuilder append() {
        return raw('a');
    }

    PickleBuilder appends() {
        return raw('e');
    }

    PickleBuilder reduce() {
        return raw('R');
    }

    PickleBuilder build() {
        return raw('b');
    }

    PickleBuilder binPersId() {
        return raw('Q');
    }

    PickleBuilder none() {
        return raw('N');
    }

    PickleBuilder bool(boolean value) {
        return raw(value ? 0x88 : 0x89);
    }

    PickleBuilder binFloat(double value) {
        long bits = Double.doubleToRawLongBits(value);
        raw('G');
        for (int i = 7; i >= 0; i--) {
            out.write((int) (bits >>> (8 * i)));
        }
        return this;
    }

    /** BINUNICODE with a 4-byte length. */
    PickleBuilder string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return raw('X').u32(b.length).raw(b);
    }

    /** SHORT_BINUNICODE (protocol 4). */
    PickleBuilder shortString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return raw(0x8c, b.length).raw(b);
    }

    /** The shortest integer opcode, as Python's pickler chooses. */
    PickleBuilder integer(long v) {
        if (v >= 0 && v < 256) {
            return raw('K', (int) v);
        }
        if (v >= 0 && v < 65536) {
            return raw('M', (int) v & 0xff, (int) v >>> 8);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return raw('J').u32(v);
        }
        int n = 8;
        while (n > 1 && (v >> (8 * (n - 1) - 1)) == (v >> 63)) {
            n--;
        }
        raw(0x8a, n);
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    PickleBuilder global(String module, String name) {
        return raw('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    PickleBuilder stackGlobal(String module, String name) {
        return shortString(module).shortString(name).raw(0x93);
    }

    PickleBuilder put(int index) {
        return index < 256 ? raw('q', index) : raw('r').u32(index);
    }

    PickleBuilder get(int index) {
        return index < 256 ? raw('h', index) : raw('j').u32(index);
    }

    PickleBuilder memoize() {
        return raw(0x94);
    }

    /** A 4-byte little-endian unsigned value. */
    PickleBuilder u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    /** A tuple of ints (the size or stride of a tensor). */
    PickleBuilder ints(long[] values) {
        if (values.length == 0) {
            return emptyTuple();
        }
        if (values.length > 3) {
            mark();
        }
        for (long v : values) {
            integer(v);
        }
        return values.length > 3 ? tuple() : tuple(values.length);
    }

    /**
     * {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}, the storage
     * being the persistent id {@code ('storage', torch.<storageType>, key, 'cpu', numel)}.
     */
    PickleBuilder tensor(String storageType, String key, long numel, long offset, long[] shape, long[] strides) {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        mark().string("storage").global("torch", storageType).string(key).string("cpu").integer(numel).tuple()
                .binPersId();
        integer(offset).ints(shape).ints(strides).bool(false);
        global("collections", "OrderedDict").emptyTuple().reduce();
        return tuple().reduce();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    int size() {
        return out.size();
    }
}
