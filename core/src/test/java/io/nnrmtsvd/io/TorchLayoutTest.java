package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Views and archive layouts built here: random strided views of random storages read against a
 * gather computed independently from the strides; the same state dict in all three zip layouts
 * and with a comment; and a big-endian archive.
 */
class TorchLayoutTest {
    private static final long SEED = 0x70_2C_4AL;

    @TempDir
    Path dir;

    /** Element {@code i} (C order) of the view, gathered by the definition of strides. */
    private static double[] reference(double[] storage, long offset, long[] shape, long[] strides) {
        int count = (int) TensorInfo.elementCount(shape);
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            long at = offset;
            long rest = i;
            for (int d = shape.length - 1; d >= 0; d--) {
                at += (rest % shape[d]) * strides[d];
                rest /= shape[d];
            }
            out[i] = storage[(int) at];
        }
        return out;
    }

    /** A random view that PyTorch could make: a permutation of a C-order block, sliced with steps. */
    private static long[][] randomView(SplittableRandom rng, int numel) {
        int rank = 1 + rng.nextInt(5);
        long[] full = new long[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            full[d] = 1 + rng.nextInt(5);
            count *= full[d];
        }
        long[] cStrides = new long[rank];
        long s = 1;
        for (int d = rank - 1; d >= 0; d--) {
            cStrides[d] = s;
            s *= full[d];
        }
        long offset = rng.nextInt((int) Math.max(1, numel - count + 1));
        long[] shape = new long[rank];
        long[] strides = new long[rank];
        for (int d = 0; d < rank; d++) {
            long step = 1 + rng.nextInt(2);
            long start = rng.nextInt((int) full[d]);
            shape[d] = (full[d] - start + step - 1) / step;
            strides[d] = cStrides[d] * step;
            offset += start * cStrides[d];
        }
        for (int d = rank - 1; d > 0; d--) { // permute the dimensions
            int e = rng.nextInt(d + 1);
            long t = shape[d];
            shape[d] = shape[e];
            shape[e] = t;
            t = strides[d];
            strides[d] = strides[e];
            strides[e] = t;
        }
        return new long[][] {shape, strides, {offset}};
    }

    @Test
    void randomViewsReadAsTheirStridesSay() throws IOException {
        SplittableRandom rng = new SplittableRandom(SEED);
        int numel = 5 * 5 * 5 * 5 * 5 + 7;
        for (int round = 0; round < 20; round++) {
            double[] storage = new double[numel];
            ByteBuffer f64 = ByteBuffer.allocate(8 * numel).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer f16 = ByteBuffer.allocate(2 * numel).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < numel; i++) {
                storage[i] = HalfFloats.f16ToFloat(HalfFloats.floatToF16((float) rng.nextGaussian()));
                f64.putDouble(storage[i]);
                f16.putShort(HalfFloats.floatToF16((float) storage[i]));
            }
            List<TorchArchives.Tensor> tensors = new ArrayList<>();
            List<double[]> expected = new ArrayList<>();
            for (int v = 0; v < 10; v++) {
                long[][] view = randomView(rng, numel);
                boolean half = v % 2 == 0;
                tensors.add(new TorchArchives.Tensor("v" + v, half ? "HalfStorage" : "DoubleStorage", half ? "h" : "d",
                        half ? f16.array() : f64.array(), half ? 2 : 8, view[2][0], view[0], view[1]));
                expected.add(reference(storage, view[2][0], view[0], view[1]));
            }
            Path file = Files.write(dir.resolve("views" + round + ".pt"),
                    TorchArchives.stateDict(tensors, TorchArchives.Layout.TORCH));
            try (TorchFile f = TorchFile.open(file)) {
                for (int v = 0; v < tensors.size(); v++) {
                    String name = "v" + v;
                    assertArrayEquals(expected.get(v), f.readDoubles(name), f.layout(name).toString());
                    float[] floats = f.readFloats(name);
                    for (int i = 0; i < floats.length; i++) {
                        assertEquals((float) expected.get(v)[i], floats[i]);
                    }
                }
            }
        }
    }

    private static final float[] VALUES = {1, -2.5f, 3.25f, 0x1p-20f, 5, 6};

    private List<TorchArchives.Tensor> tensors() {
        return List.of(TorchArchives.f32("a", "0", VALUES, 2, 3), TorchArchives.f32("b", "1", new float[] {7}));
    }

    @Test
    void everyZipLayoutReadsAlike() throws IOException {
        for (TorchArchives.Layout layout : TorchArchives.Layout.values()) {
            Path file = Files.write(dir.resolve(layout + ".pt"), TorchArchives.stateDict(tensors(), layout));
            try (TorchFile f = TorchFile.open(file)) {
                assertArrayEquals(VALUES, f.readFloats("a"), layout.name());
                assertArrayEquals(new float[] {7}, f.readFloats("b"), layout.name());
                assertEquals("archive", f.archiveName());
            }
        }
    }

    @Test
    void anArchiveCommentIsAllowed() throws IOException {
        byte[] zip = TorchArchives.stateDict(tensors(), TorchArchives.Layout.TORCH);
        byte[] comment = "written by a test; PK\u0005\u0006 inside".getBytes(StandardCharsets.ISO_8859_1);
        byte[] withComment = Arrays.copyOf(zip, zip.length + comment.length);
        System.arraycopy(comment, 0, withComment, zip.length, comment.length);
        withComment[zip.length - 2] = (byte) comment.length;
        Path file = Files.write(dir.resolve("comment.pt"), withComment);
        try (TorchFile f = TorchFile.open(file)) {
            assertArrayEquals(VALUES, f.readFloats("a"));
        }
    }

    @Test
    void aBigEndianArchiveIsReadInItsOrder() throws IOException {
        ByteBuffer be = ByteBuffer.allocate(4 * VALUES.length).order(ByteOrder.BIG_ENDIAN);
        for (float v : VALUES) {
            be.putFloat(v);
        }
        ByteBuffer longs = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putLong(-2).putLong(1L << 40);
        List<TorchArchives.Tensor> tensors = List.of(
                new TorchArchives.Tensor("a", "FloatStorage", "0", be.array(), 4, 0, new long[] {3, 2},
                        new long[] {1, 3}),
                new TorchArchives.Tensor("n", "LongStorage", "1", longs.array(), 8, 0, new long[] {2}, new long[] {1}));
        List<TorchArchives.Entry> entries = List.of(
                new TorchArchives.Entry("archive/data.pkl", TorchArchives.stateDictPickle(tensors)),
                new TorchArchives.Entry("archive/byteorder", "big".getBytes(StandardCharsets.US_ASCII)),
                new TorchArchives.Entry("archive/data/0", be.array()),
                new TorchArchives.Entry("archive/data/1", longs.array()));
        Path file = Files.write(dir.resolve("big.pt"), TorchArchives.zip(entries, TorchArchives.Layout.TORCH));
        try (TorchFile f = TorchFile.open(file)) {
            assertEquals(ByteOrder.BIG_ENDIAN, f.byteOrder());
            assertArrayEquals(new float[] {1, 0x1p-20f, -2.5f, 5, 3.25f, 6}, f.readFloats("a")); // transposed
            assertArrayEquals(new long[] {-2, 1L << 40}, TorchFileTest.integers(f.readBytes("n"), Dtype.I64));
        }
    }
}
