package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the PyTorch reader refuses, each with one line naming the file and the problem: malicious
 * pickles (which must not run: each payload would create a file, and the file must not appear),
 * other formats, and archives and pickles with one flaw each.
 */
class TorchRefusalTest {
    private static final String EXECUTED = "nothing was executed";

    @TempDir
    Path dir;

    /** Writes {@code bytes}, opens them, and returns the one-line message of the refusal. */
    private String refusal(byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve("model.pt"), bytes);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchFile.open(file).close());
        String message = e.getMessage();
        assertTrue(message.startsWith(file + ": "), message);
        assertFalse(message.contains("\n") || message.contains("\r"), message);
        return message;
    }

    private void assertRefused(byte[] bytes, String phrase) throws IOException {
        String message = refusal(bytes);
        assertTrue(message.contains(phrase), () -> "expected \"" + phrase + "\" in: " + message);
    }

    private static byte[] withPickle(byte[] pickle, List<TorchArchives.Tensor> tensors) {
        return TorchArchives.archive("archive", pickle, tensors, TorchArchives.Layout.TORCH);
    }

    private static byte[] withPickle(byte[] pickle) {
        return withPickle(pickle, List.of());
    }

    private static final TorchArchives.Tensor W = TorchArchives.f32("w", "0", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

    /** A state dict whose second value is what {@code payload} writes (it must leave one value). */
    private static byte[] stateDictWith(Consumer<PickleBuilder> payload) {
        PickleBuilder p = new PickleBuilder().proto(2).global("collections", "OrderedDict").emptyTuple().reduce()
                .mark().string("w").tensor("FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {3, 1})
                .string("x");
        payload.accept(p);
        return withPickle(p.setItems().stop().bytes(), List.of(W));
    }

    // ---- malicious pickles written by PyTorch itself

    /**
     * Python 3 writes the globals of protocol 2 under their Python 2 names where they differ
     * (builtins as __builtin__, subprocess as commands) and maps them back when loading; the
     * message names the global as the file does.
     */
    @ParameterizedTest
    @ValueSource(strings = {"os_system:posix.system", "builtins_eval:__builtin__.eval",
        "subprocess_popen:commands.Popen"})
    void maliciousFilesWrittenByPyTorchAreRefusedAndNothingRuns(String kindAndGlobal) throws IOException {
        String kind = kindAndGlobal.split(":")[0];
        Path marker = Path.of("/tmp/nnrmtsvd-torch-pwned-" + kind);
        Files.deleteIfExists(marker);
        Path file = TorchFileTest.fixture("evil_" + kind + ".pt");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ShardedCheckpoint.open(file));
        assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(file + ": evil_" + kind + "/data.pkl, byte ")
                + "\\d+" + java.util.regex.Pattern.quote(": the pickle names the global " + kindAndGlobal.split(":")[1]
                + "; only tensors and dicts are read (collections.OrderedDict, torch._utils._rebuild_tensor_v2 and"
                + " _rebuild_parameter, torch storage types); " + EXECUTED)), e.getMessage());
        assertFalse(Files.exists(marker), "the payload ran");
    }

    // ---- malicious pickles built here, proved live by Python's own pickle module

    /** {@code {"x": <callable>(*args)}} with a callable named by a global: plain pickle, no torch. */
    private static byte[] payload(String module, String name, Consumer<PickleBuilder> args) {
        PickleBuilder p = new PickleBuilder().proto(2).emptyDict().string("x").global(module, name);
        args.accept(p);
        return withPickle(p.reduce().setItem().stop().bytes());
    }

    private List<byte[]> livePayloads(Path marker) {
        String path = marker.toString();
        return List.of(
                payload("os", "system", p -> p.string("touch '" + path + "'").tuple(1)),
                payload("builtins", "eval", p -> p.string("open(r'" + path + "', 'w').close()").tuple(1)),
                payload("subprocess", "call", p -> p.emptyList().mark().string("touch").string(path).appends().tuple(1)));
    }

    @Test
    void payloadsNamingOsSystemEvalAndSubprocessAreRefusedAndNothingRuns() throws Exception {
        Path marker = dir.resolve("pwned");
        List<String> globals = List.of("os.system", "builtins.eval", "subprocess.call");
        List<byte[]> payloads = livePayloads(marker);
        for (int i = 0; i < payloads.size(); i++) {
            String message = refusal(payloads.get(i));
            assertTrue(message.endsWith("names the global " + globals.get(i) + "; only tensors and dicts are read"
                    + " (collections.OrderedDict, torch._utils._rebuild_tensor_v2 and _rebuild_parameter, torch storage"
                    + " types); " + EXECUTED), message);
            assertFalse(Files.exists(marker), globals.get(i) + " ran");
        }
        // the same bytes run under Python's pickle: the refusal above is what stopped them
        for (int i = 0; i < payloads.size(); i++) {
            Path file = Files.write(dir.resolve("live" + i + ".pt"), payloads.get(i));
            assertTrue(unpickledByPython(file), "python3 failed to unpickle " + globals.get(i));
            assertTrue(Files.exists(marker), globals.get(i) + " did not run under Python");
            Files.delete(marker);
        }
    }

    /** Unpickles the archive's data.pkl with Python's pickle module; skips the test without python3. */
    private static boolean unpickledByPython(Path file) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", "import pickle, sys, zipfile\n"
                    + "pickle.loads(zipfile.ZipFile(sys.argv[1]).read('archive/data.pkl'))", file.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 is not available: " + e.getMessage());
            return false;
        }
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void callsThatAreNotRebuildsAreRefused() throws IOException {
        assertRefused(stateDictWith(p -> p.string("os.system").string("touch x").tuple(1).reduce()),
                "REDUCE calls a str, which is not a known rebuild function; " + EXECUTED);
        assertRefused(stateDictWith(p -> p.global("torch", "FloatStorage").emptyTuple().reduce()),
                "the storage type torch.FloatStorage is called; torch.save only names storage types in persistent"
                        + " ids; " + EXECUTED);
        assertRefused(stateDictWith(p -> p.global("collections", "OrderedDict").string("a").tuple(1).reduce()),
                "collections.OrderedDict is called with 1 arguments");
        assertRefused(stateDictWith(p -> p.global("torch._utils", "_rebuild_tensor_v2").string("a").tuple(1).reduce()),
                "_rebuild_tensor_v2 is called with 1 arguments, not 6 or 7");
        assertRefused(stateDictWith(p -> p.global("torch._utils", "_rebuild_tensor_v2").emptyList().reduce()),
                "with a list instead of an argument tuple");
        assertRefused(stateDictWith(p -> p.emptyDict().emptyDict().reduce()),
                "REDUCE calls a dict");
        assertRefused(stateDictWith(p -> p.stackGlobal("nt", "system")), "names the global nt.system");
        assertRefused(stateDictWith(p -> p.stackGlobal("torch", "load")), "names the global torch.load");
        assertRefused(stateDictWith(p -> p.emptyList().integer(1).build()), "BUILD sets the state of a list");
    }

    @Test
    void opcodesThatCreateObjectsWithoutAGlobalAreRefused() throws IOException {
        // INST names its class inline, OBJ and NEWOBJ call a class off the stack, EXT1 looks one up
        assertRefused(stateDictWith(p -> p.mark().string("touch x").raw('i')
                .raw("os\nsystem\n".getBytes(StandardCharsets.US_ASCII))), "opcode INST (0x69)");
        assertRefused(stateDictWith(p -> p.mark().emptyDict().raw('o')), "opcode OBJ (0x6f)");
        assertRefused(stateDictWith(p -> p.emptyDict().emptyTuple().raw(0x81)), "opcode NEWOBJ (0x81)");
        assertRefused(stateDictWith(p -> p.raw(0x82, 1)), "opcode EXT1 (0x82), which torch.save does not write for"
                + " tensors and dicts; it was refused and " + EXECUTED);
        assertRefused(stateDictWith(p -> p.raw('P').raw("x\n".getBytes(StandardCharsets.US_ASCII))),
                "opcode PERSID (0x50)");
        assertRefused(stateDictWith(p -> p.raw(0xf0)), "opcode 0xf0 (not a pickle opcode)");
    }

    // ---- other formats

    @Test
    void otherFormatsAreNamed() throws IOException {
        assertRefused(new PickleBuilder().proto(2).raw(0x8a, 10).raw(new byte[10]).stop().bytes(),
                "a bare pickle stream, as torch.save wrote before PyTorch 1.6");
        assertRefused(TorchArchives.zip(List.of(new TorchArchives.Entry("m/data.pkl", new byte[] {'.'}),
                new TorchArchives.Entry("m/code/__torch__/m.py", new byte[1]),
                new TorchArchives.Entry("m/constants.pkl", new byte[1])), TorchArchives.Layout.TORCH),
                "a TorchScript archive (torch.jit.save), not a torch.save file");
        assertRefused(TorchArchives.zip(List.of(new TorchArchives.Entry("m/other.txt", new byte[1])),
                TorchArchives.Layout.PLAIN), "a zip archive without an <archive>/data.pkl entry");
        assertRefused("{\"a\": 1}".getBytes(StandardCharsets.UTF_8), "not a PyTorch zip archive");
        assertRefused(new byte[0], "not a PyTorch zip archive");
        byte[] valid = TorchArchives.stateDict(List.of(W), TorchArchives.Layout.TORCH);
        assertRefused(java.util.Arrays.copyOf(valid, valid.length - 30),
                "a zip archive without its end-of-central-directory record (truncated?)");
    }

    @Test
    void aCompressedEntryIsRefused() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(TorchArchives.stateDictPickle(List.of()));
            zip.closeEntry();
        }
        assertRefused(bytes.toByteArray(), "zip entry \"archive/data.pkl\" is compressed (method 8)");
    }

    @Test
    void theRealBroadcastFileIsRefused() throws IOException {
        Path file = TorchFileTest.fixture("broadcast.pt");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchFile.open(file));
        assertEquals(file + ": tensor \"ones\": its view (offset 0, shape [5], strides [0]) has 5 elements, more than"
                + " its storage's 1 (a broadcast view, which is not read)", e.getMessage());
    }

    // ---- pickles with one flaw

    private static byte[] tensorFile(long numel, long offset, long[] shape, long[] strides, int dataBytes) {
        byte[] pickle = new PickleBuilder().proto(2).emptyDict().string("t")
                .tensor("FloatStorage", "0", numel, offset, shape, strides).setItem().stop().bytes();
        TorchArchives.Tensor t = new TorchArchives.Tensor("t", "FloatStorage", "0", new byte[dataBytes], 4, offset,
                shape, strides);
        return withPickle(pickle, List.of(t));
    }

    @Test
    void viewsOutsideTheirStorageAreRefused() throws IOException {
        assertRefused(tensorFile(6, 1, new long[] {2, 3}, new long[] {3, 1}, 24),
                "tensor \"t\": its view (offset 1, shape [2, 3], strides [3, 1]) reaches element 6 of a storage of 6"
                        + " elements");
        assertRefused(tensorFile(6, 0, new long[] {2, 3}, new long[] {1, 1}, 24),
                "interleaves its elements out of storage order, which is not read");
        assertRefused(tensorFile(6, 0, new long[] {1L << 20, 1L << 20}, new long[] {1, 1}, 24),
                "reaches element 2097150 of a storage of 6 elements");
        assertRefused(tensorFile(6, 0, new long[] {1L << 32, 1L << 32, 2}, new long[] {0, 0, 0}, 24),
                "has more than 2^63 elements");
        assertRefused(tensorFile(6, 0, new long[] {2, 3}, new long[] {Long.MAX_VALUE, 1}, 24),
                "reach beyond element 2^63");
        assertRefused(tensorFile(6, 0, new long[] {2, 3}, new long[] {3, 1}, 20),
                "storage \"0\" (torch.FloatStorage of 6 elements) needs 24 bytes but its entry holds 20");
        assertRefused(tensorFile(1L << 62, 0, new long[] {2, 3}, new long[] {3, 1}, 24),
                "needs more than 2^63 bytes but its entry holds 24");
        assertRefused(tensorFile(6, 0, new long[65], new long[65], 24), "its size has 65 dimensions, more than 64");
        assertRefused(tensorFile(6, 0, new long[] {2, 3}, new long[] {3}, 24),
                "its size has 2 dimensions but its stride 1");
        assertRefused(tensorFile(6, -1, new long[] {2, 3}, new long[] {3, 1}, 24),
                "its storage offset is not a non-negative int");
    }

    @Test
    void storagesMustExistAndAgree() throws IOException {
        byte[] pickle = new PickleBuilder().proto(2).emptyDict().string("t")
                .tensor("FloatStorage", "7", 6, 0, new long[] {6}, new long[] {1}).setItem().stop().bytes();
        assertRefused(withPickle(pickle), "storage \"7\" (torch.FloatStorage of 6 elements) has no zip entry"
                + " archive/data/7");
        byte[] twice = new PickleBuilder().proto(2).emptyDict().mark()
                .string("a").tensor("FloatStorage", "0", 6, 0, new long[] {6}, new long[] {1})
                .string("b").tensor("HalfStorage", "0", 12, 0, new long[] {6}, new long[] {1})
                .setItems().stop().bytes();
        assertRefused(withPickle(twice, List.of(W)), "storage \"0\" is named as torch.FloatStorage of 6 elements and as"
                + " torch.HalfStorage of 12");
        assertRefused(stateDictWith(p -> p.mark().string("storage").global("torch", "FloatStorage").string("0")
                .string("cpu").integer(6).string("extra").tuple().binPersId()),
                "a persistent id is not a ('storage', type, key, location, size) tuple");
        assertRefused(stateDictWith(p -> p.mark().string("storage").global("collections", "OrderedDict").string("0")
                .string("cpu").integer(6).tuple().binPersId()),
                "a persistent id's storage type is a global collections.OrderedDict, not a torch storage type");
    }

    @Test
    void theStateDictMustBeADictOfUniquelyNamedTensors() throws IOException {
        assertRefused(withPickle(new PickleBuilder().proto(2).emptyList().stop().bytes()),
                ": the pickle holds a list, not a dict of tensors");
        byte[] clash = new PickleBuilder().proto(2).emptyDict().mark()
                .string("a.b").tensor("FloatStorage", "0", 6, 0, new long[] {6}, new long[] {1})
                .string("a").emptyDict().string("b").tensor("FloatStorage", "0", 6, 0, new long[] {6}, new long[] {1})
                .setItem().setItems().stop().bytes();
        assertRefused(withPickle(clash, List.of(W)), "two tensors are named \"a.b\"");
        byte[] floatKey = new PickleBuilder().proto(2).emptyDict().binFloat(1.5)
                .tensor("FloatStorage", "0", 6, 0, new long[] {6}, new long[] {1}).setItem().stop().bytes();
        assertRefused(withPickle(floatKey, List.of(W)), "a float key under \"\" of the state dict cannot name a tensor");
        assertRefused(withPickle(new PickleBuilder().proto(2).emptyDict().emptyList().integer(1).setItem().stop()
                .bytes()), "a dict key is a list; only strings, numbers, bools and None are read as keys");
        PickleBuilder deep = new PickleBuilder().proto(2).emptyDict();
        for (int i = 0; i < 40; i++) {
            deep.string("k").emptyDict();
        }
        deep.string("t").tensor("FloatStorage", "0", 6, 0, new long[] {6}, new long[] {1}).setItem();
        for (int i = 0; i < 40; i++) {
            deep.setItem();
        }
        assertRefused(withPickle(deep.stop().bytes(), List.of(W)), "the state dict is nested more than 32 deep");
    }

    @Test
    void malformedPicklesAreRefused() throws IOException {
        assertRefused(withPickle(new PickleBuilder().proto(2).emptyDict().bytes()),
                "data.pkl, byte 3: the pickle ends without a STOP opcode (truncated?)");
        assertRefused(withPickle(new PickleBuilder().proto(2).emptyDict().stop().raw(0).bytes()),
                "the pickle has 1 bytes after its STOP opcode");
        assertRefused(withPickle(new PickleBuilder().proto(2).emptyDict().emptyDict().stop().bytes()),
                "STOP leaves 2 values on the stack");
        assertRefused(withPickle(new PickleBuilder().proto(1).emptyDict().stop().bytes()), "pickle protocol 1 is not read");
        assertRefused(withPickle(new PickleBuilder().proto(2).emptyDict().put(1).stop().bytes()),
                "memo index 1 skips ahead of the 0 values memoized so far");
        assertRefused(withPickle(new PickleBuilder().proto(2).get(0).stop().bytes()), "memo index 0 was never memoized");
        assertRefused(withPickle(new PickleBuilder().proto(2).setItem().stop().bytes()), "the stack holds 0");
        assertRefused(withPickle(new PickleBuilder().proto(2).tuple().stop().bytes()), "needs a MARK but there is none");
        assertRefused(withPickle(new PickleBuilder().proto(2).raw('X').u32(0xfffffff0L).stop().bytes()),
                "a string of 4294967280 bytes; at most 16777216 are read");
        assertRefused(withPickle(new PickleBuilder().proto(2).raw('X').u32(1000).stop().bytes()),
                "a string of 1000 bytes runs past the end of the pickle");
        assertRefused(withPickle(new PickleBuilder().proto(2).raw(0x8c, 2, 0xc3, 0x28).stop().bytes()),
                "a string is not valid UTF-8");
        assertRefused(withPickle(new PickleBuilder().proto(2).raw(0x8b).u32(1 << 20).stop().bytes()),
                "an integer of 1048576 bytes; at most 256 are read");
        assertRefused(withPickle(new PickleBuilder().proto(4).raw(0x95).raw(new byte[] {-1, -1, -1, -1, -1, -1, -1, 127})
                .stop().bytes()), "a frame of 9223372036854775807 bytes runs past the end of the pickle");
        assertRefused(withPickle(new PickleBuilder().proto(2).raw('c').raw("a".repeat(300).getBytes(
                StandardCharsets.US_ASCII)).stop().bytes()), "the module of a GLOBAL is longer than 256 bytes");
        PickleBuilder marks = new PickleBuilder().proto(2);
        for (int i = 0; i < 1001; i++) {
            marks.mark();
        }
        assertRefused(withPickle(marks.stop().bytes()), "MARKs are nested more than 1000 deep");
    }

    @Test
    void aPickleBuildingFarMoreThanItsSizeIsRefused() throws IOException {
        PickleBuilder p = new PickleBuilder().proto(2).emptyList();
        for (int i = 0; i < 200_000; i++) {
            p.emptyDict().append(); // 2 bytes of pickle, a LinkedHashMap of about 100 bytes
        }
        assertRefused(withPickle(p.stop().bytes()), "the pickle builds more than 32 bytes of values per byte of pickle");
    }

    // ---- zip archives with one flaw

    private static byte[] valid(TorchArchives.Layout layout) {
        return TorchArchives.stateDict(List.of(W), layout);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static final byte[] CENTRAL = {'P', 'K', 1, 2};
    private static final byte[] LOCAL = {'P', 'K', 3, 4};

    @Test
    void zipFlawsAreRefused() throws IOException {
        byte[] crc = valid(TorchArchives.Layout.PLAIN);
        crc[indexOf(crc, "cpu".getBytes(StandardCharsets.US_ASCII), 0) + 2] ^= 1; // the location: still parses
        assertRefused(crc, "archive/data.pkl fails its CRC-32 check (corrupted?)");

        byte[] method = valid(TorchArchives.Layout.PLAIN);
        int local = indexOf(method, LOCAL, 0);
        method[local + 8] = 8; // the local header says deflated, the central directory stored
        assertRefused(method, "its local header at byte 0 names a different entry or method");

        byte[] encrypted = valid(TorchArchives.Layout.TORCH);
        encrypted[indexOf(encrypted, CENTRAL, 0) + 8] |= 1;
        assertRefused(encrypted, "zip entry \"archive/data.pkl\" is encrypted");

        byte[] descriptor = valid(TorchArchives.Layout.TORCH);
        int signature = indexOf(descriptor, new byte[] {'P', 'K', 7, 8}, 0);
        descriptor[signature + 8] ^= 1; // the size in the first data descriptor
        assertRefused(descriptor, "no data descriptor agreeing with the central directory");

        byte[] elsewhere = valid(TorchArchives.Layout.PLAIN);
        int second = indexOf(elsewhere, CENTRAL, indexOf(elsewhere, CENTRAL, 0) + 4);
        elsewhere[second + 42] = 0; // the second entry's local header offset now points at the first
        elsewhere[second + 43] = 0;
        assertRefused(elsewhere, "names a different entry or method");

        byte[] count = valid(TorchArchives.Layout.PLAIN);
        count[count.length - 12] = 100; // 100 entries declared in a directory that can hold 3
        count[count.length - 14] = 100;
        assertRefused(count, "the end record declares 100 entries, more than its");

        byte[] offset = valid(TorchArchives.Layout.PLAIN);
        offset[offset.length - 6] += 1; // the central directory's offset
        assertRefused(offset, "does not end where the end record begins");

        byte[] zip64 = valid(TorchArchives.Layout.TORCH);
        zip64[zip64.length - 22 - 20 - 56 + 24] += 1; // the entry counts of the zip64 end record
        zip64[zip64.length - 22 - 20 - 56 + 32] += 1;
        assertRefused(zip64, "the end record and the zip64 end record disagree");
    }

    @Test
    void anEntryHiddenInsideAnotherIsRefused() throws IOException {
        // entry "archive/data/1" is a complete local header and data inside the data of "archive/data/0"
        byte[] inner = TorchArchives.zip(List.of(new TorchArchives.Entry("archive/data/1", new byte[8])),
                TorchArchives.Layout.PLAIN);
        int innerLength = indexOf(inner, CENTRAL, 0);
        byte[] outer = java.util.Arrays.copyOf(inner, innerLength);
        List<TorchArchives.Entry> entries = List.of(
                new TorchArchives.Entry("archive/data.pkl", TorchArchives.stateDictPickle(List.of())),
                new TorchArchives.Entry("archive/data/0", outer));
        byte[] zip = TorchArchives.zip(entries, TorchArchives.Layout.PLAIN);
        int hidden = indexOf(zip, LOCAL, indexOf(zip, LOCAL, 4) + 4);
        byte[] withAlias = TorchArchives.withCentralEntry(zip, "archive/data/1", hidden, new byte[8]);
        assertRefused(withAlias, "zip entries \"archive/data/0\" and \"archive/data/1\" overlap");
    }

    @Test
    void duplicateEntryNamesAreRefused() throws IOException {
        List<TorchArchives.Entry> entries = new ArrayList<>();
        entries.add(new TorchArchives.Entry("archive/data.pkl", TorchArchives.stateDictPickle(List.of())));
        entries.add(new TorchArchives.Entry("archive/data.pkl", TorchArchives.stateDictPickle(List.of())));
        assertRefused(TorchArchives.zip(entries, TorchArchives.Layout.TORCH),
                "two zip entries are named \"archive/data.pkl\"");
    }

    @Test
    void aBadByteOrderRecordIsRefused() throws IOException {
        List<TorchArchives.Entry> entries = List.of(
                new TorchArchives.Entry("archive/data.pkl", TorchArchives.stateDictPickle(List.of())),
                new TorchArchives.Entry("archive/byteorder", "middle".getBytes(StandardCharsets.US_ASCII)));
        assertRefused(TorchArchives.zip(entries, TorchArchives.Layout.TORCH),
                "archive/byteorder holds \"middle\", not \"little\" or \"big\"");
    }

    @Test
    void aBadVersionRecordIsRefused() throws IOException {
        List<TorchArchives.Entry> entries = List.of(
                new TorchArchives.Entry("archive/data.pkl", TorchArchives.stateDictPickle(List.of())),
                new TorchArchives.Entry("archive/version", "3.1\n".getBytes(StandardCharsets.US_ASCII)));
        assertRefused(TorchArchives.zip(entries, TorchArchives.Layout.TORCH),
                "archive/version holds \"3.1\\u000a\", not a version number");
        List<TorchArchives.Entry> tooLong = List.of(
                new TorchArchives.Entry("archive/data.pkl", TorchArchives.stateDictPickle(List.of())),
                new TorchArchives.Entry("archive/version", new byte[65]));
        assertRefused(TorchArchives.zip(tooLong, TorchArchives.Layout.TORCH),
                "archive/version holds 65 bytes; at most 64 are expected");
    }

    @Test
    void aCorruptedStorageIsCaughtWhenReadWhole() throws IOException {
        byte[] bytes = valid(TorchArchives.Layout.PLAIN);
        int data = indexOf(bytes, "archive/data/0".getBytes(StandardCharsets.US_ASCII), 0) + 14;
        bytes[data] ^= 1;
        Path file = Files.write(dir.resolve("model.pt"), bytes);
        try (TorchFile f = TorchFile.open(file)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> f.readFloats("w"));
            assertEquals(file + ": storage entry archive/data/0 of tensor \"w\" fails its CRC-32 check (corrupted?)",
                    e.getMessage());
        }
    }
}
