package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads files written by PyTorch (torch/make_torch_fixtures.py) and compares every tensor with
 * what PyTorch itself reported in torch/expected.json: dtype, shape, strides, storage offset,
 * contiguity and every value in C order.
 */
class TorchFileTest {
    static Path fixture(String name) {
        return SafetensorsInteropTest.resource("torch/" + name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> expected(String file) throws IOException {
        String text = Files.readString(fixture("expected.json"), StandardCharsets.UTF_8);
        return (Map<String, Map<String, Object>>) Json.parseObject(text, "expected.json").get(file);
    }

    /** Checks every tensor of {@code file} against PyTorch's description of it. */
    @SuppressWarnings("unchecked")
    static void assertAsPyTorchReadIt(TorchFile f, Map<String, Map<String, Object>> expected) {
        assertEquals(expected.keySet(), f.tensors().stream().map(TensorInfo::name).collect(
                java.util.stream.Collectors.toSet()));
        for (Map.Entry<String, Map<String, Object>> e : expected.entrySet()) {
            String name = e.getKey();
            Map<String, Object> want = e.getValue();
            TensorInfo info = f.tensor(name);
            TorchTensor layout = f.layout(name);
            assertEquals(want.get("dtype"), info.dtype().name(), name);
            assertArrayEquals(longs(want.get("shape")), info.shape(), name);
            assertArrayEquals(longs(want.get("shape")), layout.shape(), name);
            assertEquals(want.get("contiguous"), layout.contiguous(), name);
            assertEquals(((Number) want.get("storage_offset")).longValue(), layout.storageOffset(), name);
            long count = info.elementCount();
            if (count > 1 && Arrays.stream(info.shape()).allMatch(d -> d > 1)) {
                assertArrayEquals(longs(want.get("strides")), layout.strides(), name);
            }
            assertEquals(count * info.dtype().byteSize(), info.byteLength(), name);
            List<Number> values = (List<Number>) want.get("values");
            assertEquals(count, values.size(), name);
            if (info.dtype().isAnalysable()) {
                double[] doubles = f.readDoubles(name);
                float[] floats = f.readFloats(name);
                for (int i = 0; i < count; i++) {
                    double v = values.get(i).doubleValue();
                    assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits(doubles[i]), name + "[" + i + "]");
                    assertEquals((float) v, floats[i], name + "[" + i + "]");
                }
            } else {
                long[] ints = integers(f.readBytes(name), info.dtype());
                for (int i = 0; i < count; i++) {
                    assertEquals(values.get(i).longValue(), ints[i], name + "[" + i + "]");
                }
            }
        }
    }

    private static long[] longs(Object list) {
        return ((List<?>) list).stream().mapToLong(v -> ((Number) v).longValue()).toArray();
    }

    /** Little-endian integers (or bools) of {@code dtype}. */
    static long[] integers(byte[] bytes, Dtype dtype) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[bytes.length / dtype.byteSize()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case I64 -> b.getLong();
                case I32 -> b.getInt();
                case I16 -> b.getShort();
                case I8 -> b.get();
                case U8, BOOL -> b.get() & 0xff;
                default -> throw new AssertionError(dtype);
            };
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dtypes.pt", "views.pt", "checkpoint.pth", "nested_p4.pt", "params.pt"})
    void readsEveryTensorAsPyTorchDoes(String file) throws IOException {
        try (TorchFile f = TorchFile.open(fixture(file))) {
            assertAsPyTorchReadIt(f, expected(file));
            assertEquals(ByteOrder.LITTLE_ENDIAN, f.byteOrder());
            assertEquals(Files.size(fixture(file)), f.fileBytes());
        }
    }

    @Test
    void keepsThePickleOrderAndTheArchiveName() throws IOException {
        try (TorchFile f = TorchFile.open(fixture("dtypes.pt"))) {
            assertEquals(List.of("w.f32", "w.f16", "w.bf16", "w.f64", "conv.weight", "scalar", "empty", "steps", "i32",
                    "i16", "i8", "u8", "mask"), f.tensors().stream().map(TensorInfo::name).toList());
            assertEquals("dtypes", f.archiveName());
            assertEquals(3, f.formatVersion());
            assertEquals("", f.stateDictKey());
            assertArrayEquals(new long[] {4, 3, 3, 3}, f.tensor("conv.weight").shape());
            assertArrayEquals(new long[0], f.tensor("scalar").shape());
            assertEquals(0, f.readFloats("empty").length);
        }
    }

    @Test
    void theBytesOfAContiguousTensorAreAtItsRange() throws IOException {
        byte[] file = Files.readAllBytes(fixture("dtypes.pt"));
        try (TorchFile f = TorchFile.open(fixture("dtypes.pt"))) {
            for (TensorInfo t : f.tensors()) {
                assertArrayEquals(Arrays.copyOfRange(file, (int) t.begin(), (int) t.end()), f.readBytes(t.name()),
                        t.name());
            }
        }
    }

    @Test
    void viewsOfOneStorageShareItsEntry() throws IOException {
        try (TorchFile f = TorchFile.open(fixture("views.pt"))) {
            String base = f.layout("whole").storageKey();
            for (String view : List.of("transposed", "stepped", "narrowed", "permuted", "column")) {
                assertEquals(base, f.layout(view).storageKey(), view);
            }
            assertEquals(f.layout("tied.a"), renamed(f.layout("tied.b"), "tied.a"));
            assertEquals(f.layout("tied.a").storageKey(), f.layout("tied.flat").storageKey());
            assertFalse(f.layout("transposed").contiguous());
            assertTrue(f.layout("narrowed").contiguous());
            assertEquals(5, f.layout("narrowed").storageOffset());
            assertArrayEquals(new long[] {0, 0}, f.layout("broadcast").strides());
            assertEquals(3, f.layout("broadcast").storageOffset());
        }
    }

    private static TorchTensor renamed(TorchTensor t, String name) {
        return new TorchTensor(name, t.dtype(), t.shape(), t.storageKey(), t.storageOffset(), t.strides());
    }

    @Test
    void aTrainingCheckpointGivesItsStateDict() throws IOException {
        try (TorchFile f = TorchFile.open(fixture("checkpoint.pth"))) {
            assertEquals("state_dict", f.stateDictKey());
            assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                    "1.num_batches_tracked", "3.weight", "3.bias"), f.tensors().stream().map(TensorInfo::name).toList());
            assertEquals(Dtype.I64, f.tensor("1.num_batches_tracked").dtype());
        }
    }

    @Test
    void nestedDictsAndListsAreNamedByTheirPath() throws IOException {
        try (TorchFile f = TorchFile.open(fixture("nested_p4.pt"))) {
            assertEquals(List.of("encoder.w", "encoder.layers.0", "encoder.layers.1", "decoder.b"),
                    f.tensors().stream().map(TensorInfo::name).toList());
        }
    }

    @Test
    void askingForWhatIsNotThereIsOneLine() throws IOException {
        try (TorchFile f = TorchFile.open(fixture("dtypes.pt"))) {
            InvalidInputException missing = assertThrows(InvalidInputException.class, () -> f.readFloats("nope\n"));
            assertEquals(fixture("dtypes.pt") + ": no tensor named \"nope\\u000a\"", missing.getMessage());
            InvalidInputException ints = assertThrows(InvalidInputException.class, () -> f.readDoubles("steps"));
            assertTrue(ints.getMessage().contains("has dtype I64, which is unsupported for analysis"), ints.getMessage());
            assertFalse(f.contains("nope"));
            assertTrue(f.contains("steps"));
        }
    }

    @Test
    void aMissingFileIsUnreadable() {
        Path missing = Path.of("no-such-dir", "model.pt");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchFile.open(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }
}
