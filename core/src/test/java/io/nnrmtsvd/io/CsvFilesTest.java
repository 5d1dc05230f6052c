package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFilesTest {
    @TempDir
    Path dir;

    private DMatrix read(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return MatrixFiles.read(file);
    }

    private void assertRejected(String text, String expected) throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, text);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CsvFiles.read(file));
        assertEquals(file + ": " + expected, e.getMessage());
    }

    @Test
    void readsCommaAndWhitespaceSeparatedMatrices() throws IOException {
        DMatrix expected = DMatrix.wrap(2, 3, new double[] {1, -2.5, 3e-4, 0.5, 6, -7});
        assertEquals(expected, read("a.csv", "1,-2.5,3e-4\n.5, 6 ,-7\n"));
        assertEquals(expected, read("b.txt", "  1 -2.5\t3e-4\r\n\n0.5   6 -7"));
        assertEquals(expected, read("c.csv", "x,y,z\n# a comment\n1,-2.5,3e-4\n\n0.5,6,-7\n"));
        DMatrix special = read("d.csv", "nan,-inf,+Infinity\n");
        assertTrue(Double.isNaN(special.get(0, 0)));
        assertEquals(Double.NEGATIVE_INFINITY, special.get(0, 1));
        assertEquals(Double.POSITIVE_INFINITY, special.get(0, 2));
    }

    @Test
    void reportsTheLineOfEveryProblem() throws IOException {
        assertRejected("1,2,3\n4,5\n", "line 2 has 2 values but line 1 has 3");
        assertRejected("a,b\n1,2\nc,d\n", "line 3, column 1: 'c' is not a number");
        assertRejected("1,2\n3,\n", "line 2, column 2: empty field");
        assertRejected("1,2\n3,0x10\n", "line 2, column 2: '0x10' is not a number");
        assertRejected("1 2\n3 4d\n", "line 2, column 2: '4d' is not a number");
        assertRejected("1,a\n", "line 1, column 2: 'a' is not a number");
        assertRejected("x,y\n\n", "no numeric rows");
        assertRejected("", "no numeric rows");
    }

    @Test
    void rejectsTextThatIsNotUtf8() throws IOException {
        Path file = dir.resolve("latin1.csv");
        Files.write(file, new byte[] {'1', ',', '2', '\n', (byte) 0xe9, '\n'});
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CsvFiles.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not valid UTF-8 text"), e.getMessage());
    }

    @Test
    void dispatchesByContentAndTextByExtension() throws IOException {
        Path file = dir.resolve("m.bin");
        Files.write(file, new byte[] {2, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MatrixFiles.read(file));
        assertTrue(e.getMessage().contains("name the tensor to use"), e.getMessage());
        Path other = dir.resolve("m.xlsx");
        Files.write(other, new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        e = assertThrows(InvalidInputException.class, () -> MatrixFiles.read(other));
        assertEquals(other + ": this is a zip archive, not a matrix (.npy, .csv, .tsv or .txt); unpack it and give "
                + "rmtsvd the file inside", e.getMessage());
        assertEquals(DMatrix.wrap(1, 2, new double[] {1, 2}), read("M.CSV", "1,2"));
    }
}
