package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixtures in resources/io/nnrmtsvd/io/npy were written by numpy (make_npy_fixtures.py beside them). */
class NpyFilesTest {
    @TempDir
    Path dir;

    /** The matrix every fixture holds: (4 i + j) / 8, 3 x 4. */
    private static DMatrix expected() {
        double[] v = new double[12];
        for (int k = 0; k < 12; k++) {
            v[k] = k / 8.0;
        }
        return DMatrix.wrap(3, 4, v);
    }

    private static Path fixture(String name) {
        return SafetensorsInteropTest.resource("npy/" + name);
    }

    /** A version 1.0 file with the given header dict (padded as numpy does) and data. */
    private static byte[] npy(String dict, byte[] data) {
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        return b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data).array();
    }

    private String rejection(byte[] content) throws IOException {
        Path file = dir.resolve("bad.npy");
        Files.write(file, content);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpyFiles.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e.getMessage();
    }

    private void assertRejected(byte[] content, String expected) throws IOException {
        String message = rejection(content);
        assertTrue(message.contains(expected), () -> "expected \"" + expected + "\" in: " + message);
    }

    @Test
    void readsEveryDtypeOrderAndVersionNumpyWrites() {
        for (String name : new String[] {"c_le_f8.npy", "c_be_f8.npy", "fortran_le_f8.npy", "fortran_be_f4.npy",
            "c_le_f4.npy", "c_le_f2.npy", "v2_le_f8.npy", "v3_le_f4.npy"}) {
            assertEquals(expected(), NpyFiles.read(fixture(name)), name);
        }
    }

    @Test
    void writesTheSameBytesAsNumpy() throws IOException {
        Path ours = dir.resolve("ours.npy");
        NpyFiles.writeFloat64(ours, expected());
        assertArrayEquals(Files.readAllBytes(fixture("c_le_f8.npy")), Files.readAllBytes(ours));
        NpyFiles.writeFloat32(ours, expected());
        assertArrayEquals(Files.readAllBytes(fixture("c_le_f4.npy")), Files.readAllBytes(ours));
        NpyFiles.writeFloat64(ours, new double[] {0, 1, 2});
        assertArrayEquals(Files.readAllBytes(fixture("vector_f8.npy")), Files.readAllBytes(ours));
    }

    @Test
    void roundTripsRandomMatrices() throws IOException {
        SplittableRandom rng = new SplittableRandom(17);
        DMatrix m = DMatrix.wrap(37, 3, rng.doubles(37 * 3).toArray());
        Path file = dir.resolve("m.npy");
        NpyFiles.writeFloat64(file, m);
        assertEquals(m, NpyFiles.read(file));
        NpyFiles.writeFloat32(file, m);
        DMatrix narrowed = NpyFiles.read(file);
        for (int k = 0; k < m.data().length; k++) {
            assertEquals((float) m.data()[k], narrowed.data()[k]);
        }
        DMatrix empty = DMatrix.zeros(0, 5);
        NpyFiles.writeFloat64(file, empty);
        assertEquals(empty, NpyFiles.read(file));
    }

    @Test
    void rejectsWrongShapesAndDtypes() throws IOException {
        assertRejected(Files.readAllBytes(fixture("vector_f8.npy")), "expected a 2-D array, but the shape is [3]");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1), }", new byte[8]),
                "expected a 2-D array, but the shape is [1, 1, 1]");
        assertRejected(Files.readAllBytes(fixture("int32.npy")), "unsupported dtype '<i4'");
        assertRejected(npy("{'descr': '|O', 'fortran_order': False, 'shape': (1, 1), }", new byte[8]),
                "unsupported dtype '|O'");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
                new byte[8]), "is too large for one matrix");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999, 1), }",
                new byte[8]), "dimension 99999999999999999999 is too large");
    }

    @Test
    void rejectsDataOfTheWrongLength() throws IOException {
        byte[] whole = Files.readAllBytes(fixture("c_le_f8.npy"));
        assertRejected(Arrays.copyOf(whole, whole.length - 1),
                "needs 96 bytes of data but the file holds 95 (truncated)");
        assertRejected(Arrays.copyOf(whole, whole.length + 8), "holds 104 (trailing data)");
        assertRejected(Arrays.copyOf(whole, 40), "truncated: header length is 118 bytes");
        assertRejected(Arrays.copyOf(whole, 7), "not a .npy file: only 7 bytes");
    }

    @Test
    void rejectsBadMagicVersionsAndHeaders() throws IOException {
        byte[] whole = Files.readAllBytes(fixture("c_le_f8.npy"));
        byte[] magic = whole.clone();
        magic[1] = 'n';
        assertRejected(magic, "bad magic string");
        byte[] version = whole.clone();
        version[6] = 4;
        assertRejected(version, "unsupported .npy format version 4.0");
        byte[] d8 = new byte[8];
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), 'x': 1}", d8),
                "unexpected key 'x'");
        assertRejected(npy("{'descr': '<f8', 'descr': '<f8', 'shape': (1, 1)}", d8), "duplicate key 'descr'");
        assertRejected(npy("{'descr': '<f8', 'shape': (1, 1)}", d8), "missing key 'fortran_order'");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': 0, 'shape': (1, 1)}", d8), "expected True or False");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1 1)}", d8), "expected ',' or ')'");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 1)}", d8),
                "expected a non-negative integer");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1)}", new byte[8]),
                "a one-element tuple needs a trailing comma");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1)} junk", d8),
                "unexpected text after the dict");
        assertRejected(npy("{'descr': '<f8, 'fortran_order': False, 'shape': (1, 1)}", d8), "malformed header");
        assertRejected(npy("__import__('os')", d8), "malformed header: expected '{' at character 0");
    }

    @Test
    void reportsMissingFiles() {
        Path missing = dir.resolve("none.npy");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MatrixFiles.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }
}
