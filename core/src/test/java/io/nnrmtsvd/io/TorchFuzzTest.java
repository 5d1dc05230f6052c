package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link TorchFile}: byte-level mutations of files written by PyTorch and here, and inputs
 * built with chosen flaws — state dicts whose storages run past their entries, whose offsets,
 * dimensions or declared sizes are wrong or huge, with 5-D and 65-D tensors, broadcast and
 * interleaved views, missing entries, unknown globals, clashing names or storage types; pickles
 * mutated and then wrapped in a correct archive (so that the unpickler, not the CRC, meets them);
 * and zip archives with one header field overwritten by a boundary value. See {@link FuzzHarness}
 * for what each input must satisfy. An accepted file must also agree with an independent reading:
 * every tensor's values must be those of its storage entry as {@link java.util.zip.ZipFile} reads
 * it, gathered by the definition of strides, and every contiguous tensor must read back as the
 * bytes at its range in the file.
 */
class TorchFuzzTest {
    private static final long SEED = 0x70_2C_4F_2AL;
    private static final int INPUTS_PER_CLASS = 3_000;

    private static final List<String> TOKENS = List.of("PK\u0001\u0002", "PK\u0003\u0004", "PK\u0005\u0006",
            "PK\u0006\u0006", "PK\u0006\u0007", "PK\u0007\b", "c", "R", "Q", "(", "t", ".", "}", "]", ")", "u", "s", "b",
            "a", "e", "N", "h\u0000", "q\u0001", "K\u0005", "X\u0001\u0000\u0000\u0000", "Xzzzz", "cos\nsystem\n",
            "ctorch\nFloatStorage\n", "ctorch._utils\n_rebuild_tensor_v2\n", "ccollections\nOrderedDict\n",
            "ctorch\nLongStorage\n", "(((((((((((", "archive/data/", "data.pkl", "FB", "\u0000\u0000\u0000\u0000");

    /** A storage type the fuzzer draws from, with its element size. */
    private record StorageType(String name, int itemSize) {
    }

    private static final StorageType[] TYPES = {new StorageType("FloatStorage", 4), new StorageType("DoubleStorage", 8),
        new StorageType("HalfStorage", 2), new StorageType("BFloat16Storage", 2), new StorageType("LongStorage", 8),
        new StorageType("IntStorage", 4), new StorageType("ShortStorage", 2), new StorageType("CharStorage", 1),
        new StorageType("ByteStorage", 1), new StorageType("BoolStorage", 1), new StorageType("ComplexFloatStorage", 8)};

    @TempDir
    Path dir;

    /** Everything a loader would take from a file: the tensors, their layouts and their values. */
    private record Parsed(String archive, List<TensorInfo> tensors, Map<String, TorchTensor> layouts,
            Map<String, Object> values, ByteOrder order) {
    }

    private static Parsed parse(Path file) throws IOException {
        try (TorchFile f = TorchFile.open(file)) {
            Map<String, TorchTensor> layouts = new LinkedHashMap<>();
            Map<String, Object> values = new LinkedHashMap<>();
            for (TensorInfo t : f.tensors()) {
                layouts.put(t.name(), f.layout(t.name()));
                values.put(t.name(), t.dtype().isAnalysable() ? f.readDoubles(t.name()) : f.readBytes(t.name()));
            }
            return new Parsed(f.archiveName(), f.tensors(), layouts, values, f.byteOrder());
        }
    }

    private static void check(Parsed p, byte[] input, Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (TensorInfo t : p.tensors()) {
                check(p, t, input, zip);
            }
        }
    }

    private static void check(Parsed p, TensorInfo t, byte[] input, ZipFile zip) throws IOException {
        TorchTensor layout = p.layouts().get(t.name());
        long count = t.elementCount();
        int size = t.dtype().byteSize();
        assertTrue(count >= 0, t::toString);
        assertEquals(layout.dtype(), t.dtype(), t::toString);
        assertArrayEquals(layout.shape(), t.shape(), t::toString);
        assertEquals(count * size, t.byteLength(), t::toString);
        Object v = p.values().get(t.name());
        byte[] bytes = v instanceof byte[] b ? b : null;
        double[] doubles = v instanceof double[] d ? d : null;
        assertEquals(t.dtype().isAnalysable() ? count : count * size, bytes == null ? doubles.length : bytes.length,
                t::toString);
        ZipEntry entry = zip.getEntry(p.archive() + "/data/" + layout.storageKey());
        assertTrue(entry != null, () -> "no storage entry for " + layout);
        byte[] storage;
        try (InputStream in = zip.getInputStream(entry)) {
            storage = in.readAllBytes();
        }
        byte[] expected = gather(storage, layout, p.order());
        if (bytes != null) {
            assertArrayEquals(expected, bytes, layout::toString);
        } else {
            assertArrayEquals(decode(expected, t.dtype()), doubles, layout::toString);
        }
        if (count > 0 && layout.contiguous() && p.order() == ByteOrder.LITTLE_ENDIAN) {
            assertTrue(t.begin() >= 0 && t.end() <= input.length, t::toString);
            assertArrayEquals(expected, Arrays.copyOfRange(input, (int) t.begin(), (int) t.end()), t::toString);
        }
    }

    /**
     * The view's elements in C order as little-endian bytes, element {@code i} taken from the
     * storage at the sum of its indices times the strides; fails if one lies outside the storage.
     */
    private static byte[] gather(byte[] storage, TorchTensor t, ByteOrder order) {
        int size = t.dtype().byteSize();
        int unit = t.dtype() == Dtype.C64 ? 4 : size;
        long[] shape = t.shape();
        long[] strides = t.strides();
        int count = (int) t.elementCount();
        byte[] out = new byte[count * size];
        for (int i = 0; i < count; i++) {
            long at = t.storageOffset();
            long rest = i;
            for (int d = shape.length - 1; d >= 0; d--) {
                at += (rest % shape[d]) * strides[d];
                rest /= shape[d];
            }
            long element = at;
            assertTrue(element >= 0 && (element + 1) * size <= storage.length,
                    () -> t + " reads element " + element + " of a " + storage.length + "-byte storage");
            for (int b = 0; b < size; b++) {
                int from = order == ByteOrder.BIG_ENDIAN ? (b / unit) * unit + unit - 1 - b % unit : b;
                out[i * size + b] = storage[(int) (at * size) + from];
            }
        }
        return out;
    }

    private static double[] decode(byte[] range, Dtype dtype) {
        ByteBuffer b = ByteBuffer.wrap(range).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[range.length / dtype.byteSize()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case F64 -> b.getDouble();
                case F32 -> b.getFloat();
                case F16 -> HalfFloats.f16ToFloat(b.getShort());
                case BF16 -> HalfFloats.bf16ToFloat(b.getShort());
                default -> throw new AssertionError(dtype);
            };
        }
        return out;
    }

    private List<byte[]> seeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (String fixture : List.of("dtypes.pt", "views.pt", "nested_p4.pt", "params.pt", "checkpoint.pth")) {
            seeds.add(Files.readAllBytes(TorchFileTest.fixture(fixture)));
        }
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int i = 0; i < 6; i++) {
            seeds.add(new StateDict(rng, new StringBuilder(), false).archive());
        }
        return seeds;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyInputParsesConsistentlyOrFailsCleanly(TestReporter reporter) throws Exception {
        Path file = dir.resolve("fuzz.pt");
        new FuzzHarness("torch", file).fuzz(reporter, SEED, seeds(), TOKENS, TorchFuzzTest::structured,
                INPUTS_PER_CLASS, TorchFuzzTest::parse, (p, input) -> check(p, input, file));
    }

    /**
     * Inputs far larger than the fuzz inputs, valid and not, aimed at each cost: large storages read
     * whole and strided, many tensors and zip entries, and pickles that build the most values per
     * byte (dict and list floods, short non-ASCII strings, BINGET and MEMOIZE floods, one tensor
     * named under many keys, nested reuse, long keys along deep paths, wide integers). The bound is
     * 4 bytes per byte of file plus 64 per byte of pickle plus {@link FuzzHarness#SLACK_BYTES}.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void largeInputsStayWithinTheBound(TestReporter reporter) throws IOException {
        Path file = dir.resolve("large.pt");
        FuzzHarness harness = new FuzzHarness("torch (large)", file);
        List<String> labels = new ArrayList<>();
        List<byte[]> pickles = new ArrayList<>();
        List<byte[]> inputs = new ArrayList<>();
        int n = 1 << 20;
        byte[] halves = new byte[2 * n];
        new SplittableRandom(SEED).nextBytes(halves);
        for (int i = 1; i < halves.length; i += 2) {
            halves[i] &= 0x3f; // finite float16 values
        }
        for (boolean transposed : new boolean[] {false, true}) {
            TorchArchives.Tensor t = new TorchArchives.Tensor("w", "HalfStorage", "0", halves, 2, 0,
                    new long[] {1024, 1024}, transposed ? new long[] {1, 1024} : new long[] {1024, 1});
            byte[] pickle = TorchArchives.stateDictPickle(List.of(t));
            add(labels, pickles, inputs, transposed ? "1M float16 transposed" : "1M float16", pickle,
                    TorchArchives.archive("archive", pickle, List.of(t), TorchArchives.Layout.TORCH));
        }
        List<TorchArchives.Tensor> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add(TorchArchives.f32("model.layers." + i + ".self_attn.q_proj.weight", Integer.toString(i),
                    new float[] {i, 1, 2, 3}, 2, 2));
        }
        byte[] manyPickle = TorchArchives.stateDictPickle(many);
        add(labels, pickles, inputs, "5000 tensors", manyPickle,
                TorchArchives.archive("archive", manyPickle, many, TorchArchives.Layout.TORCH));
        List<TorchArchives.Entry> entries = new ArrayList<>();
        entries.add(new TorchArchives.Entry("archive/data.pkl", TorchArchives.stateDictPickle(List.of())));
        for (int i = 0; i < 20_000; i++) {
            entries.add(new TorchArchives.Entry("archive/x/" + i, new byte[0]));
        }
        add(labels, pickles, inputs, "20000 zip entries", entries.get(0).data(),
                TorchArchives.zip(entries, TorchArchives.Layout.PLAIN));
        for (Map.Entry<String, PickleBuilder> e : floods().entrySet()) {
            byte[] pickle = e.getValue().bytes();
            add(labels, pickles, inputs, e.getKey(), pickle,
                    TorchArchives.archive("archive", pickle, List.of(TorchArchives.f32("w", "0", new float[] {1})),
                            TorchArchives.Layout.TORCH));
        }
        for (int i = 0; i < inputs.size(); i++) {
            long boundSize = inputs.get(i).length + 16L * pickles.get(i).length;
            harness.run(labels.get(i), inputs.get(i), boundSize, TorchFuzzTest::parse,
                    (p, input) -> check(p, input, file));
        }
        harness.finish(reporter, inputs.size());
    }

    private static void add(List<String> labels, List<byte[]> pickles, List<byte[]> inputs, String label,
            byte[] pickle, byte[] input) {
        labels.add(label);
        pickles.add(pickle);
        inputs.add(input);
    }

    /** Pickles that build as much as they can per byte, each about 1 MB or until refused. */
    private static Map<String, PickleBuilder> floods() {
        Map<String, PickleBuilder> floods = new LinkedHashMap<>();
        int ops = 200_000;
        PickleBuilder dicts = new PickleBuilder().proto(2).emptyList().string("k").put(0).none().put(1);
        for (int i = 0; i < ops; i++) {
            dicts.emptyDict().get(0).get(1).setItem().append();
        }
        floods.put("dicts in a list", dicts.stop());
        PickleBuilder lists = new PickleBuilder().proto(2).emptyList();
        for (int i = 0; i < ops; i++) {
            lists.emptyList().append();
        }
        floods.put("lists in a list", lists.stop());
        PickleBuilder accents = new PickleBuilder().proto(4).emptyDict();
        for (int i = 0; i < ops; i++) {
            accents.shortString("\u00e9").raw('0');
        }
        floods.put("short non-ASCII strings", accents.stop());
        PickleBuilder gets = new PickleBuilder().proto(2).emptyTuple().put(0).mark();
        for (int i = 0; i < 4 * ops; i++) {
            gets.get(0);
        }
        floods.put("BINGET flood into a tuple", gets.tuple().raw('0').emptyDict().stop());
        PickleBuilder memo = new PickleBuilder().proto(4).emptyDict();
        for (int i = 0; i < 4 * ops; i++) {
            memo.memoize();
        }
        floods.put("MEMOIZE flood", memo.stop());
        PickleBuilder ints = new PickleBuilder().proto(2).emptyDict();
        byte[] wide = new byte[255];
        Arrays.fill(wide, (byte) 0x7f);
        for (int i = 0; i < 4000; i++) {
            ints.raw(0x8a, 255).raw(wide).raw('0');
        }
        floods.put("255-byte integers", ints.stop());
        PickleBuilder names = new PickleBuilder().proto(4).emptyDict().shortString("w")
                .tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1}).put(0).setItem().mark();
        for (int i = 0; i < ops / 2; i++) {
            names.shortString(Integer.toString(i, 36)).get(0);
        }
        floods.put("one tensor under many names", names.setItems().stop());
        PickleBuilder nested = new PickleBuilder().proto(4).emptyDict().mark();
        nested.shortString("w").tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1}).put(0);
        for (int i = 1; i < 1000; i++) {
            nested.shortString(Integer.toString(i)).get(0);
        }
        nested.setItems().put(1).raw('0').emptyDict().mark();
        for (int i = 0; i < 1000; i++) {
            nested.shortString(Integer.toString(i)).get(1);
        }
        floods.put("a dict of tensors reused 1000 times", nested.setItems().stop());
        PickleBuilder deep = new PickleBuilder().proto(2).string("k".repeat(60_000)).put(0).raw('0').emptyDict();
        for (int i = 0; i < 30; i++) {
            deep.get(0).emptyDict();
        }
        deep.mark();
        for (int i = 0; i < 1000; i++) {
            deep.string(Integer.toString(i)).tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1});
        }
        deep.setItems();
        for (int i = 0; i < 30; i++) {
            deep.setItem();
        }
        floods.put("long keys along a deep path", deep.stop());
        return floods;
    }

    // ---- structured inputs

    private static byte[] structured(SplittableRandom rng, StringBuilder label) {
        return switch (rng.nextInt(4)) {
            case 0, 1 -> {
                label.append(" state-dict");
                yield new StateDict(rng, label, true).archive();
            }
            case 2 -> {
                label.append(" mutated-pickle");
                StateDict sd = new StateDict(rng, label, false);
                Mutator.Mutated m = new Mutator(TOKENS).mutate(sd.pickle(), rng);
                label.append(' ').append(m.label());
                yield sd.archive(m.bytes());
            }
            default -> {
                label.append(" zip-field");
                yield patchField(new StateDict(rng, label, false).archive(), rng, label);
            }
        };
    }

    /** One flaw in about this many choices, so that a fair share of inputs stay valid. */
    private static boolean flaw(SplittableRandom rng, StringBuilder label, boolean flaws, String what) {
        if (flaws && rng.nextInt(30) == 0) {
            label.append(' ').append(what);
            return true;
        }
        return false;
    }

    private static final long[] HUGE = {1L << 31, 1L << 32, 1L << 40, 1L << 62, Long.MAX_VALUE, Integer.MAX_VALUE};

    /** A random state dict: its storages, the tensors viewing them, and the flaws chosen. */
    private static final class StateDict {
        private final SplittableRandom rng;
        private final StringBuilder label;
        private final boolean flaws;
        private final TorchArchives.Layout layout;
        private final List<StorageType> types = new ArrayList<>();
        private final List<byte[]> data = new ArrayList<>();
        private final List<Long> numels = new ArrayList<>();
        private final List<TorchArchives.Entry> extraEntries = new ArrayList<>();
        private final byte[] pickle;
        private boolean missingEntry;
        private boolean noVersion;

        StateDict(SplittableRandom rng, StringBuilder label, boolean flaws) {
            this.rng = rng;
            this.label = label;
            this.flaws = flaws;
            this.layout = TorchArchives.Layout.values()[rng.nextInt(3)];
            int storages = 1 + rng.nextInt(3);
            for (int s = 0; s < storages; s++) {
                StorageType type = TYPES[rng.nextInt(TYPES.length)];
                int numel = rng.nextInt(65);
                byte[] bytes = new byte[numel * type.itemSize()];
                rng.nextBytes(bytes);
                types.add(type);
                data.add(bytes);
                numels.add((long) numel);
            }
            this.pickle = buildPickle();
            if (flaw(rng, label, flaws, "missing-entry")) {
                missingEntry = true;
            }
            if (flaw(rng, label, flaws, "byteorder")) {
                String[] orders = {"big", "little", "junk", "little\n", ""};
                extraEntries.add(new TorchArchives.Entry("archive/byteorder",
                        orders[rng.nextInt(orders.length)].getBytes(StandardCharsets.US_ASCII)));
            }
            if (flaw(rng, label, flaws, "extra-entry")) {
                extraEntries.add(new TorchArchives.Entry("archive/data/unused", new byte[rng.nextInt(20)]));
            }
            noVersion = flaw(rng, label, flaws, "no-version");
        }

        byte[] pickle() {
            return pickle;
        }

        private byte[] buildPickle() {
            PickleBuilder p = new PickleBuilder().proto(2);
            boolean wrapped = rng.nextInt(4) == 0;
            if (wrapped) {
                p.emptyDict().string("epoch").integer(3).setItem().string("state_dict");
            }
            p.global("collections", "OrderedDict").emptyTuple().reduce();
            int tensors = rng.nextInt(6);
            if (tensors > 0) {
                p.mark();
            }
            for (int i = 0; i < tensors; i++) {
                String name = "layers." + i + ".weight";
                if (i > 0 && flaw(rng, label, flaws, "duplicate-name")) {
                    name = "layers.0.weight";
                }
                if (rng.nextInt(5) == 0) {
                    p.string("block" + i).emptyDict().string("w");
                    tensor(p);
                    p.setItem();
                } else {
                    p.string(name);
                    tensor(p);
                }
            }
            if (tensors > 0) {
                p.setItems();
            }
            if (wrapped) {
                p.setItem();
            }
            if (flaw(rng, label, flaws, "unknown-global")) {
                String[][] globals = {{"os", "system"}, {"torch", "QInt8Storage"}, {"builtins", "getattr"},
                    {"torch._utils", "_rebuild_qtensor"}, {"numpy.core.multiarray", "scalar"}};
                String[] g = globals[rng.nextInt(globals.length)];
                p.string("x").global(g[0], g[1]).emptyTuple().reduce().setItem();
            }
            return p.stop().bytes();
        }

        private void tensor(PickleBuilder p) {
            int s = rng.nextInt(types.size());
            StorageType type = types.get(s);
            long numel = numels.get(s);
            if (flaw(rng, label, flaws, "dtype-conflict")) {
                type = TYPES[rng.nextInt(TYPES.length)];
            }
            long declared = numel;
            if (flaw(rng, label, flaws, "numel-mismatch")) {
                declared = rng.nextBoolean() ? numel + 1 + rng.nextInt(3) : HUGE[rng.nextInt(HUGE.length)];
            }
            long[][] view = view(numel);
            long[] shape = view[0];
            long[] strides = view[1];
            long offset = view[2][0];
            if (flaw(rng, label, flaws, "offset")) {
                offset = rng.nextBoolean() ? numel + rng.nextInt(3) : rng.nextBoolean() ? -1 : HUGE[rng.nextInt(HUGE.length)];
            }
            if (flaw(rng, label, flaws, "huge-dim") && shape.length > 0) {
                shape[rng.nextInt(shape.length)] = HUGE[rng.nextInt(HUGE.length)];
            }
            if (flaw(rng, label, flaws, "overflowing-shape")) {
                shape = new long[] {1L << 32, 1L << 32, 2};
                strides = new long[] {0, 0, 0};
            }
            if (flaw(rng, label, flaws, "rank-65")) {
                shape = new long[65];
                Arrays.fill(shape, 1);
                strides = new long[65];
            }
            if (flaw(rng, label, flaws, "broadcast") && shape.length > 0) {
                int d = rng.nextInt(shape.length);
                shape[d] = numel + 1 + rng.nextInt(4);
                strides[d] = 0;
            }
            if (flaw(rng, label, flaws, "interleave") && shape.length > 1) {
                Arrays.fill(strides, 1);
            }
            if (flaw(rng, label, flaws, "negative") && shape.length > 0) {
                (rng.nextBoolean() ? shape : strides)[rng.nextInt(shape.length)] = -1 - rng.nextInt(3);
            }
            if (flaw(rng, label, flaws, "rank-mismatch")) {
                strides = Arrays.copyOf(strides, strides.length + 1);
            }
            p.tensor(type.name(), Integer.toString(s), declared, offset, shape, strides);
        }

        /** A view PyTorch could make of a storage of {@code numel} elements, up to 5-D. */
        private long[][] view(long numel) {
            int rank = rng.nextInt(6);
            long[] shape = new long[rank];
            long count = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = 1 + rng.nextInt(3);
                count *= shape[d];
            }
            if (count > numel) {
                return new long[][] {{numel}, {1}, {0}};
            }
            long[] strides = new long[rank];
            long s = 1;
            for (int d = rank - 1; d >= 0; d--) {
                strides[d] = s;
                s *= shape[d];
            }
            long offset = rng.nextInt((int) (numel - count + 1));
            if (rank > 1 && rng.nextBoolean()) { // a transpose of two dimensions
                int a = rng.nextInt(rank);
                int b = rng.nextInt(rank);
                long t = shape[a];
                shape[a] = shape[b];
                shape[b] = t;
                t = strides[a];
                strides[a] = strides[b];
                strides[b] = t;
            }
            return new long[][] {shape, strides, {offset}};
        }

        byte[] archive() {
            return archive(pickle);
        }

        byte[] archive(byte[] withPickle) {
            List<TorchArchives.Entry> entries = new ArrayList<>();
            entries.add(new TorchArchives.Entry("archive/data.pkl", withPickle));
            for (int s = 0; s < data.size(); s++) {
                if (!(missingEntry && s == 0)) {
                    entries.add(new TorchArchives.Entry("archive/data/" + s, data.get(s)));
                }
            }
            entries.addAll(extraEntries);
            if (!noVersion) {
                entries.add(new TorchArchives.Entry("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII)));
            }
            return TorchArchives.zip(entries, layout);
        }
    }

    // ---- zip fields overwritten

    /** A header field: where it is after its record's signature, and how wide it is. */
    private record Field(byte[] signature, int offset, int width) {
    }

    private static final byte[] CENTRAL = {'P', 'K', 1, 2};
    private static final byte[] LOCAL = {'P', 'K', 3, 4};
    private static final byte[] END = {'P', 'K', 5, 6};
    private static final byte[] ZIP64_END = {'P', 'K', 6, 6};
    private static final byte[] LOCATOR = {'P', 'K', 6, 7};
    private static final byte[] DESCRIPTOR = {'P', 'K', 7, 8};
    private static final Field[] FIELDS = {
        new Field(CENTRAL, 8, 2), new Field(CENTRAL, 10, 2), new Field(CENTRAL, 16, 4), new Field(CENTRAL, 20, 4),
        new Field(CENTRAL, 24, 4), new Field(CENTRAL, 28, 2), new Field(CENTRAL, 30, 2), new Field(CENTRAL, 32, 2),
        new Field(CENTRAL, 34, 2), new Field(CENTRAL, 42, 4), new Field(LOCAL, 6, 2), new Field(LOCAL, 8, 2),
        new Field(LOCAL, 14, 4), new Field(LOCAL, 18, 4), new Field(LOCAL, 22, 4), new Field(LOCAL, 26, 2),
        new Field(LOCAL, 28, 2), new Field(END, 4, 2), new Field(END, 8, 2), new Field(END, 10, 2),
        new Field(END, 12, 4), new Field(END, 16, 4), new Field(END, 20, 2), new Field(ZIP64_END, 4, 8),
        new Field(ZIP64_END, 24, 8), new Field(ZIP64_END, 32, 8), new Field(ZIP64_END, 40, 8),
        new Field(ZIP64_END, 48, 8), new Field(LOCATOR, 8, 8), new Field(LOCATOR, 16, 4), new Field(DESCRIPTOR, 4, 4),
        new Field(DESCRIPTOR, 8, 4), new Field(DESCRIPTOR, 12, 4)};
    private static final long[] BOUNDARY = {0, 1, -1, 0x7f, 0xff, 0xffff, 0x7fffffff, 0xffffffffL, 1L << 32,
        Long.MAX_VALUE, Long.MIN_VALUE, 46, 1000};

    private static byte[] patchField(byte[] zip, SplittableRandom rng, StringBuilder label) {
        Field f = FIELDS[rng.nextInt(FIELDS.length)];
        List<Integer> records = new ArrayList<>();
        for (int i = 0; i + 4 <= zip.length; i++) {
            if (zip[i] == f.signature()[0] && zip[i + 1] == f.signature()[1] && zip[i + 2] == f.signature()[2]
                    && zip[i + 3] == f.signature()[3]) {
                records.add(i);
            }
        }
        if (records.isEmpty()) {
            label.append(" (no record)");
            return zip;
        }
        int at = records.get(rng.nextInt(records.size())) + f.offset();
        long value = rng.nextInt(4) == 0 ? BOUNDARY[rng.nextInt(BOUNDARY.length)] + rng.nextInt(3) - 1
                : BOUNDARY[rng.nextInt(BOUNDARY.length)];
        label.append(" PK").append(f.signature()[2]).append(f.signature()[3]).append('+').append(f.offset())
                .append('=').append(value);
        byte[] out = zip.clone();
        for (int i = 0; i < f.width() && at + i < out.length; i++) {
            out[at + i] = (byte) (value >>> (8 * i));
        }
        return out;
    }
}
