package io.nnrmtsvd.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * What a file is, told by its first bytes: the formats rmtsvd reads and the weight formats of other
 * programs that people give it by mistake, so that a refusal can say what the file is and how to
 * convert it. Only text tables (CSV, TSV, plain text), which have no signature, are told by their
 * extension. Detection reads at most {@value #HEAD_BYTES} bytes and opens only regular files. Which
 * formats a command takes is the caller's to say; a PyTorch file, for one, is a checkpoint that
 * {@code spectrum} reads and that an rmtsvd model can never be.
 */
public enum FileFormat {
    SAFETENSORS("a safetensors file", ""),
    NPY("a NumPy .npy array", ""),
    TEXT("a text table", ""),
    PYTORCH("a PyTorch file (torch.save)", "rmtsvd spectrum reads it as a checkpoint; for the other commands "
            + "convert its state dict to .safetensors: in Python, "
            + "safetensors.torch.save_file(torch.load(FILE, weights_only=True), 'model.safetensors')"),
    PYTORCH_LEGACY("a PyTorch file in the pickle format of torch.save before PyTorch 1.6",
            "convert its state dict to .safetensors: in Python, "
            + "safetensors.torch.save_file(torch.load(FILE, weights_only=True), 'model.safetensors')"),
    TORCHSCRIPT("a TorchScript archive (torch.jit.save)", "convert its weights to .safetensors: in Python, "
            + "safetensors.torch.save_file(torch.jit.load(FILE).state_dict(), 'model.safetensors')"),
    NPZ("a NumPy .npz archive of arrays", "save the matrix you mean as .npy: in Python, "
            + "numpy.save('w.npy', numpy.load(FILE)['NAME'])"),
    PICKLE("a Python pickle", "rmtsvd never unpickles arbitrary objects; save the arrays as .npy "
            + "(numpy.save) or the tensors as .safetensors"),
    GGUF("a GGUF file (llama.cpp)", "its tensors are usually quantised; give rmtsvd the original "
            + "checkpoint's .safetensors files"),
    ONNX("an ONNX model", "give rmtsvd the original model's weights as .safetensors, or save a "
            + "weight with numpy.save('w.npy', onnx.numpy_helper.to_array(TENSOR))"),
    HDF5("an HDF5 file (e.g. Keras .h5 weights)", "save each weight matrix as .npy (numpy.save)"),
    GZIP("a gzip-compressed file", "decompress it first (gunzip)"),
    ZIP("a zip archive", "unpack it and give rmtsvd the file inside"),
    EMPTY("an empty file", "nothing to read"),
    UNKNOWN("a file of no format rmtsvd knows", "rmtsvd reads .safetensors, .npy and text tables "
            + "(.csv, .tsv, .txt)");

    /** Bytes read from the start of a file. */
    static final int HEAD_BYTES = 1024;
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /** Legacy torch.save: a protocol-2 pickle of its magic number 0x1950a86a20f9469cfc6c. */
    private static final byte[] TORCH_LEGACY_MAGIC = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc,
            (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};
    private static final int ZIP_LOCAL_HEADER = 30;

    private final String description;
    private final String conversion;

    FileFormat(String description, String conversion) {
        this.description = description;
        this.conversion = conversion;
    }

    /** E.g. "a PyTorch file (torch.save)". */
    public String description() {
        return description;
    }

    /**
     * The format of the regular file {@code path}.
     *
     * @throws InvalidInputException if it is missing, not a regular file (a directory, a named pipe,
     *     a device: nothing is opened), or cannot be read
     */
    public static FileFormat detect(Path path) {
        FileKind kind = FileKind.of(path, true);
        if (kind == FileKind.MISSING) {
            throw InvalidInputException.inFile(path, "no such file");
        }
        if (kind != FileKind.REGULAR_FILE) {
            throw InvalidInputException.inFile(path, "is " + kind.words() + ", not a regular file");
        }
        ByteBuffer head = ByteBuffer.allocate(HEAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long size;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            size = channel.size();
            while (head.hasRemaining() && channel.read(head) >= 0) {
                // reads until the buffer is full or the file ends
            }
        } catch (IOException e) {
            throw InvalidInputException.unreadable(path, e);
        }
        head.flip();
        return of(head, size, path.getFileName() == null ? "" : path.getFileName().toString());
    }

    /** The format of a file of {@code size} bytes that starts with {@code head} and is named {@code name}. */
    static FileFormat of(ByteBuffer head, long size, String name) {
        if (size == 0) {
            return EMPTY;
        }
        if (startsWith(head, NPY_MAGIC)) {
            return NPY;
        }
        if (startsWith(head, TORCH_LEGACY_MAGIC)) {
            return PYTORCH_LEGACY;
        }
        if (head.limit() >= 4 && head.getInt(0) == 0x04034b50) {
            return zip(head);
        }
        if (head.limit() >= 4 && head.getInt(0) == 0x06054b50) {
            return ZIP;
        }
        if (startsWith(head, new byte[] {'G', 'G', 'U', 'F'})) {
            return GGUF;
        }
        if (startsWith(head, HDF5_MAGIC)) {
            return HDF5;
        }
        if (head.limit() >= 2 && (head.get(0) & 0xff) == 0x1f && (head.get(1) & 0xff) == 0x8b) {
            return GZIP;
        }
        if (head.limit() >= 2 && (head.get(0) & 0xff) == 0x80 && head.get(1) >= 2 && head.get(1) <= 5) {
            return PICKLE;
        }
        if (safetensors(head, size)) {
            return SAFETENSORS;
        }
        if (onnx(head)) {
            return ONNX;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv") || lower.endsWith(".tsv") || lower.endsWith(".txt")) {
            return TEXT;
        }
        return UNKNOWN;
    }

    /**
     * The refusal of a file of this format where {@code accepted} was expected: what the file is,
     * and what to do with it.
     *
     * @param accepted e.g. "a .npy or .csv matrix, or a .safetensors model or checkpoint"
     */
    public InvalidInputException refusal(Path path, String accepted) {
        String what = this == UNKNOWN ? "not " + accepted + ": " + conversion
                : "this is " + description + ", not " + accepted
                + (conversion.isEmpty() ? "" : "; " + conversion.replace("FILE", "'" + path.getFileName() + "'"));
        return InvalidInputException.inFile(path, what);
    }

    /** The refusal of {@code path} if its format is not one of {@code wanted}; its format otherwise. */
    public static FileFormat require(Path path, String accepted, FileFormat... wanted) {
        FileFormat format = detect(path);
        for (FileFormat w : wanted) {
            if (format == w) {
                return format;
            }
        }
        throw format.refusal(path, accepted);
    }

    private static FileFormat zip(ByteBuffer head) {
        if (head.limit() < ZIP_LOCAL_HEADER) {
            return ZIP;
        }
        int nameLength = head.getShort(26) & 0xffff;
        int length = Math.min(nameLength, head.limit() - ZIP_LOCAL_HEADER);
        byte[] bytes = new byte[length];
        head.get(ZIP_LOCAL_HEADER, bytes);
        String first = new String(bytes, StandardCharsets.UTF_8);
        if (first.endsWith(".npy")) {
            return NPZ;
        }
        int slash = first.indexOf('/');
        if (slash > 0) {
            String entry = first.substring(slash + 1);
            // torch.save writes its pickle first; torch.jit.save starts with tensor data or code
            if (entry.equals("data.pkl") || entry.equals(".format_version") || entry.equals("byteorder")) {
                return PYTORCH;
            }
            if (entry.startsWith("data/") || entry.startsWith("code/") || entry.equals("constants.pkl")
                    || entry.startsWith("extra/")) {
                return TORCHSCRIPT;
            }
        }
        return ZIP;
    }

    /** An 8-byte little-endian header length that fits the file, then a JSON object. */
    private static boolean safetensors(ByteBuffer head, long size) {
        if (head.limit() < 10) {
            return false;
        }
        long headerLength = head.getLong(0);
        return headerLength >= 2 && headerLength <= size - 8 && head.get(8) == '{';
    }

    /**
     * A protobuf ModelProto as ONNX writes it: field 1 (ir_version, a small varint), then one of the
     * model's other fields (producer name or version, domain, model version, doc string, graph, opsets).
     */
    private static boolean onnx(ByteBuffer head) {
        if (head.limit() < 4 || head.get(0) != 0x08 || head.get(1) < 1 || head.get(1) > 30) {
            return false;
        }
        int tag = head.get(2) & 0xff;
        return tag == 0x12 || tag == 0x1a || tag == 0x22 || tag == 0x28 || tag == 0x32 || tag == 0x3a || tag == 0x42;
    }

    private static boolean startsWith(ByteBuffer head, byte[] prefix) {
        if (head.limit() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (head.get(i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
