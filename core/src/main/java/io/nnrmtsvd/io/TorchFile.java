package io.nnrmtsvd.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * An open {@code torch.save} file in the zip format of PyTorch 1.6 and later
 * ({@code pytorch_model.bin}, {@code *.pt}, {@code *.pth}) holding a state dict: the archive and
 * its pickle are validated when the file is opened, tensor data is read on demand, one tensor at
 * a time, by range from its storage entry.
 *
 * <p>The format: a zip archive of stored (uncompressed) entries {@code <archive>/data.pkl}, a
 * pickle whose tensors refer by persistent id to storages {@code <archive>/data/<key>} (raw
 * elements in the byte order of {@code <archive>/byteorder}, little-endian when that entry is
 * absent), and {@code <archive>/version}, a decimal number (not needed to read a state dict; checked
 * for form when present). Opening validates the zip structure ({@link StoredZip}),
 * reads the pickle with a restricted unpickler that executes nothing and refuses any global but
 * those torch.save writes for tensors and dicts ({@link RestrictedUnpickler}), checks the
 * pickle's CRC-32, finds the state dict ({@link StateDictTensors}), and checks that every storage
 * entry exists and holds exactly the elements its persistent id declares and that every tensor's
 * view lies inside its storage ({@link StridedReads}). Every problem is one
 * {@link InvalidInputException} naming the file.
 *
 * <p>Reads are positional, so one open file may be read from several threads.
 */
public final class TorchFile implements TensorFile {
    /** The largest version or byteorder record read. */
    private static final int MAX_RECORD_BYTES = 64;

    private final Path path;
    private final FileChannel channel;
    private final String archive;
    private final ByteOrder byteOrder;
    private final int formatVersion;
    private final String stateDictKey;
    private final Map<String, TorchTensor> layouts;
    private final Map<String, TensorInfo> infos;
    private final Map<String, StoredZip.Entry> storages;

    private TorchFile(Path path, FileChannel channel, String archive, ByteOrder byteOrder, int formatVersion,
            String stateDictKey, Map<String, TorchTensor> layouts, Map<String, TensorInfo> infos,
            Map<String, StoredZip.Entry> storages) {
        this.path = path;
        this.channel = channel;
        this.archive = archive;
        this.byteOrder = byteOrder;
        this.formatVersion = formatVersion;
        this.stateDictKey = stateDictKey;
        this.layouts = Collections.unmodifiableMap(layouts);
        this.infos = Collections.unmodifiableMap(infos);
        this.storages = storages;
    }

    /**
     * Opens {@code path} and validates it.
     *
     * @throws InvalidInputException if the file cannot be read, is not a torch.save zip archive
     *     holding a dict of tensors, or names anything else in its pickle
     */
    public static TorchFile open(Path path) {
        return BinaryReads.open(path, TorchFile::read);
    }

    private static TorchFile read(Path path, FileChannel channel) throws IOException {
        StoredZip zip = StoredZip.read(path, channel);
        String archive = archiveName(path, zip);
        ByteOrder order = byteOrder(path, channel, zip, archive);
        int version = formatVersion(path, channel, zip, archive);
        StoredZip.Entry pickle = zip.entry(archive + "/data.pkl");
        RangeInput in = new RangeInput(channel, path, pickle.name(), pickle.dataStart(), pickle.dataEnd(), true);
        RestrictedUnpickler.Result result = RestrictedUnpickler.read(path, pickle.name(), in);
        in.flushCrc();
        if (in.crc() != pickle.crc()) {
            throw InvalidInputException.inFile(path, pickle.name() + " fails its CRC-32 check (corrupted?)");
        }
        Map<String, StoredZip.Entry> storages = storageEntries(path, zip, archive, result.storages());
        StateDictTensors.Found found = StateDictTensors.find(path, result.value(), pickle.size());
        Map<String, TorchTensor> layouts = new LinkedHashMap<>();
        Map<String, TensorInfo> infos = new LinkedHashMap<>();
        for (Map.Entry<String, Pickled.Tensor> e : found.tensors().entrySet()) {
            String name = e.getKey();
            Pickled.Tensor t = e.getValue();
            Pickled.Storage s = t.storage();
            String problem = StridedReads.problem(t.offset(), t.shape(), t.strides(), s.numel());
            if (problem != null) {
                throw InvalidInputException.inFile(path, "tensor \"" + InvalidInputException.printable(name) + "\": "
                        + problem);
            }
            TorchTensor layout = new TorchTensor(name, s.dtype(), t.shape(), s.key(), t.offset(), t.strides());
            layouts.put(name, layout);
            long size = s.dtype().byteSize();
            long begin = storages.get(s.key()).dataStart() + t.offset() * size;
            long count = layout.elementCount();
            infos.put(name, new TensorInfo(name, s.dtype(), t.shape(), begin, begin + count * size));
        }
        return new TorchFile(path, channel, archive, order, version, found.key(), layouts, infos, storages);
    }

    /**
     * The archive's top-level name: the folder holding its one {@code data.pkl}. An archive with
     * {@code code/} or {@code constants.pkl} beside it is TorchScript, whose pickle names classes.
     */
    private static String archiveName(Path path, StoredZip zip) {
        List<String> pickles = new ArrayList<>();
        for (String name : zip.entries().keySet()) {
            int slash = name.indexOf('/');
            if (slash > 0 && name.indexOf('/', slash + 1) < 0 && name.endsWith("/data.pkl")) {
                pickles.add(name.substring(0, slash));
            }
        }
        if (pickles.size() != 1) {
            throw InvalidInputException.inFile(path, pickles.isEmpty()
                    ? "a zip archive without an <archive>/data.pkl entry: not a torch.save file"
                    : "a zip archive with " + pickles.size() + " top-level data.pkl entries; torch.save writes one");
        }
        String archive = pickles.get(0);
        for (String name : zip.entries().keySet()) {
            if (name.equals(archive + "/constants.pkl") || name.startsWith(archive + "/code/")) {
                throw InvalidInputException.inFile(path, "a TorchScript archive (torch.jit.save), not a torch.save file;"
                        + " only state dicts are read");
            }
        }
        return archive;
    }

    private static ByteOrder byteOrder(Path path, FileChannel channel, StoredZip zip, String archive)
            throws IOException {
        StoredZip.Entry entry = zip.entry(archive + "/byteorder");
        if (entry == null) {
            return ByteOrder.LITTLE_ENDIAN; // PyTorch before 2.1 wrote none, and only little-endian files
        }
        String text = record(path, channel, entry);
        return switch (text) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw InvalidInputException.inFile(path, entry.name() + " holds \""
                    + InvalidInputException.printable(text) + "\", not \"little\" or \"big\"");
        };
    }

    /** The number in the version record, or -1 without one. */
    private static int formatVersion(Path path, FileChannel channel, StoredZip zip, String archive)
            throws IOException {
        StoredZip.Entry entry = zip.entry(archive + "/version");
        if (entry == null) {
            return -1;
        }
        String text = record(path, channel, entry);
        if (!text.matches("[0-9]{1,9}\\n?")) {
            throw InvalidInputException.inFile(path, entry.name() + " holds \"" + InvalidInputException.printable(text)
                    + "\", not a version number");
        }
        return Integer.parseInt(text.strip());
    }

    /** A short text record, CRC-checked. */
    private static String record(Path path, FileChannel channel, StoredZip.Entry entry) throws IOException {
        if (entry.size() > MAX_RECORD_BYTES) {
            throw InvalidInputException.inFile(path, entry.name() + " holds " + entry.size() + " bytes; at most "
                    + MAX_RECORD_BYTES + " are expected");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) entry.size());
        BinaryReads.readFully(channel, path, bytes, entry.dataStart());
        CRC32 crc = new CRC32();
        crc.update(bytes.array());
        if (crc.getValue() != entry.crc()) {
            throw InvalidInputException.inFile(path, entry.name() + " fails its CRC-32 check (corrupted?)");
        }
        return new String(bytes.array(), StandardCharsets.ISO_8859_1);
    }

    /** The entry of every storage the pickle names, each holding exactly its declared elements. */
    private static Map<String, StoredZip.Entry> storageEntries(Path path, StoredZip zip, String archive,
            Map<String, Pickled.Storage> storages) {
        Map<String, StoredZip.Entry> entries = new LinkedHashMap<>();
        for (Pickled.Storage s : storages.values()) {
            String name = archive + "/data/" + s.key();
            StoredZip.Entry entry = zip.entry(name);
            if (entry == null) {
                throw InvalidInputException.inFile(path, where(s) + " has no zip entry "
                        + InvalidInputException.printable(name));
            }
            long size = s.dtype().byteSize();
            if (s.numel() > Long.MAX_VALUE / size || s.numel() * size != entry.size()) {
                throw InvalidInputException.inFile(path, where(s) + " needs " + (s.numel() > Long.MAX_VALUE / size
                        ? "more than 2^63" : Long.toString(s.numel() * size)) + " bytes but its entry holds "
                        + entry.size());
            }
            entries.put(s.key(), entry);
        }
        return entries;
    }

    private static String where(Pickled.Storage s) {
        return "storage \"" + InvalidInputException.printable(s.key()) + "\" (" + s.type().qualifiedName() + " of "
                + s.numel() + " elements)";
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** The archive's top-level folder name ({@code archive} for recent PyTorch, the file's stem before). */
    public String archiveName() {
        return archive;
    }

    /** The number in the archive's version record (3 for PyTorch 1.6 to 2.x), or -1 if it has none. */
    public int formatVersion() {
        return formatVersion;
    }

    /** The byte order of the storages: from the byteorder record, little-endian without one. */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /**
     * Where the state dict was found in the pickled dict: "" for the dict itself, else the key
     * ({@code state_dict}, {@code model_state_dict}, {@code model} or {@code module}).
     */
    public String stateDictKey() {
        return stateDictKey;
    }

    /**
     * All tensors in the order the pickle names them. {@link TensorInfo#begin()} is the file offset of
     * the first element and {@link TensorInfo#byteLength()} the tensor's C-order size in bytes; for
     * a contiguous tensor (see {@link #layout}) these are exactly where its bytes are.
     */
    public List<TensorInfo> tensors() {
        return List.copyOf(infos.values());
    }

    /**
     * The tensor called {@code name}.
     *
     * @throws InvalidInputException if there is none
     */
    public TensorInfo tensor(String name) {
        TensorInfo t = infos.get(name);
        if (t == null) {
            throw InvalidInputException.inFile(path, "no tensor named \"" + InvalidInputException.printable(name) + "\"");
        }
        return t;
    }

    /** Whether a tensor of this name exists. */
    public boolean contains(String name) {
        return infos.containsKey(name);
    }

    /**
     * Where the tensor's elements are: its storage, offset and strides.
     *
     * @throws InvalidInputException if there is no such tensor
     */
    public TorchTensor layout(String name) {
        tensor(name);
        return layouts.get(name);
    }

    /** Size of the file in bytes. */
    /** None: a {@code torch.save} archive has no string metadata. */
    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    public long fileBytes() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw InvalidInputException.unreadable(path, e);
        }
    }

    /**
     * The values of a floating-point tensor in C order, converted to float: F16 and BF16 exactly,
     * F64 rounded to nearest. A non-contiguous view is gathered from its storage.
     *
     * @throws InvalidInputException if there is no such tensor, its dtype is not F64, F32, F16 or
     *     BF16, it has more elements than a Java array holds, or the file has become unreadable
     */
    public float[] readFloats(String name) {
        TorchTensor t = analysable(name);
        float[] out = new float[arrayLength(t)];
        Dtype dtype = t.dtype();
        read(t, (chunk, from, count) -> BinaryReads.decodeFloats(dtype, chunk, out, from, count),
                (i, window, p) -> out[i] = (float) StridedReads.valueAt(dtype, window, p));
        return out;
    }

    /**
     * The values of a floating-point tensor in C order, converted exactly to double.
     *
     * @throws InvalidInputException as for {@link #readFloats(String)}
     */
    public double[] readDoubles(String name) {
        TorchTensor t = analysable(name);
        double[] out = new double[arrayLength(t)];
        Dtype dtype = t.dtype();
        read(t, (chunk, from, count) -> BinaryReads.decodeDoubles(dtype, chunk, out, from, count),
                (i, window, p) -> out[i] = StridedReads.valueAt(dtype, window, p));
        return out;
    }

    /**
     * The elements of any tensor in C order as little-endian bytes (swapped if the file is
     * big-endian), e.g. to copy an integer tensor into a safetensors file.
     *
     * @throws InvalidInputException if there is no such tensor, it has more bytes than a Java array
     *     holds, or the file has become unreadable
     */
    public byte[] readBytes(String name) {
        TorchTensor t = layout(name);
        int size = t.dtype().byteSize();
        long count = t.elementCount();
        if (count > (Integer.MAX_VALUE - 8) / size) {
            throw InvalidInputException.inFile(path, "tensor \"" + InvalidInputException.printable(name) + "\" has "
                    + count * size + " bytes, too many for one array");
        }
        byte[] out = new byte[(int) count * size];
        int unit = t.dtype() == Dtype.C64 ? 4 : size; // bytes per number: a complex64 is two floats
        boolean swap = byteOrder == ByteOrder.BIG_ENDIAN && unit > 1;
        StridedReads.ElementSink copy = (i, window, p) -> {
            int o = i * size;
            for (int b = 0; b < size; b++) {
                out[o + b] = window.get(swap ? p + (b / unit) * unit + unit - 1 - b % unit : p + b);
            }
        };
        read(t, (chunk, from, n) -> {
            for (int k = 0; k < n; k++) {
                copy.put(from + k, chunk, chunk.position() + k * size);
            }
            chunk.position(chunk.position() + n * size);
        }, copy);
        return out;
    }

    private TorchTensor analysable(String name) {
        TorchTensor t = layout(name);
        if (!t.dtype().isAnalysable()) {
            throw InvalidInputException.inFile(path, "tensor \"" + InvalidInputException.printable(name) + "\" has dtype "
                    + t.dtype() + ", which is unsupported for analysis (only F64, F32, F16 and BF16 are)");
        }
        return t;
    }

    private int arrayLength(TorchTensor t) {
        long count = t.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw InvalidInputException.inFile(path, "tensor \"" + InvalidInputException.printable(t.name()) + "\" has "
                    + count + " elements, too many for one array");
        }
        return (int) count;
    }

    /**
     * Reads the tensor's elements: a contiguous one in chunks (checking the storage's CRC-32 when it
     * covers the whole storage), any other element by element through {@link StridedReads}.
     */
    private void read(TorchTensor t, BinaryReads.ChunkDecoder chunks, StridedReads.ElementSink elements) {
        StoredZip.Entry entry = storages.get(t.storageKey());
        int size = t.dtype().byteSize();
        int count = (int) t.elementCount();
        try {
            if (!t.contiguous()) {
                StridedReads.read(channel, path, entry.dataStart(), size, byteOrder, t.storageOffset(), t.shape(),
                        t.strides(), count, elements);
                return;
            }
            boolean whole = t.storageOffset() == 0 && (long) count * size == entry.size();
            CRC32 crc = whole ? new CRC32() : null;
            BinaryReads.ChunkDecoder decoder = !whole ? chunks : (chunk, from, n) -> {
                crc.update(chunk.duplicate());
                chunks.decode(chunk, from, n);
            };
            BinaryReads.readChunks(channel, path, entry.dataStart() + t.storageOffset() * size, count, size, byteOrder,
                    decoder);
            if (whole && crc.getValue() != entry.crc()) {
                throw InvalidInputException.inFile(path, "storage entry " + InvalidInputException.printable(entry.name())
                        + " of tensor \"" + InvalidInputException.printable(t.name()) + "\" fails its CRC-32 check"
                        + " (corrupted?)");
            }
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
        return "TorchFile[" + path + ", " + infos.size() + " tensors]";
    }
}
