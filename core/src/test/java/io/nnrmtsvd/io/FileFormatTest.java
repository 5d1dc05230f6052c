package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFormatTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** A zip archive with these entry names, in order, as torch.save, torch.jit.save or numpy.savez lay them out. */
    private Path zip(String name, String... entries) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(new byte[] {(byte) 0x80, 2, '}', '.'});
                zip.closeEntry();
            }
        }
        return file;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void theFormatsRmtsvdReadsAreToldByContent() throws IOException {
        Path st = dir.resolve("weights.bin");
        SafetensorsWriter.write(st, Map.of(), List.of(
                SafetensorsWriter.Tensor.ofFloats("a", Dtype.F32, new long[] {2, 2}, new float[4])));
        assertEquals(FileFormat.SAFETENSORS, FileFormat.detect(st), "whatever the name");
        Path npy = dir.resolve("w.data");
        NpyFiles.writeFloat64(npy, DMatrix.wrap(1, 2, new double[] {1, 2}));
        assertEquals(FileFormat.NPY, FileFormat.detect(npy));
        assertEquals(FileFormat.TEXT, FileFormat.detect(write("m.CSV", "1,2\n".getBytes())), "text by its extension");
        assertEquals(FileFormat.TEXT, FileFormat.detect(write("m.tsv", "1\t2\n".getBytes())));
        assertEquals(FileFormat.UNKNOWN, FileFormat.detect(write("m.dat", "1,2\n".getBytes())));
        assertEquals(FileFormat.EMPTY, FileFormat.detect(write("e.npy", new byte[0])));
    }

    @Test
    void weightFormatsOfOtherProgramsAreNamed() throws IOException {
        assertEquals(FileFormat.PYTORCH, FileFormat.detect(zip("model.pt", "model/data.pkl", "model/data/0",
                "model/version")));
        assertEquals(FileFormat.PYTORCH, FileFormat.detect(zip("new.bin", "archive/.format_version",
                "archive/data.pkl")));
        assertEquals(FileFormat.TORCHSCRIPT, FileFormat.detect(zip("script.pt", "script/data/0", "script/data.pkl",
                "script/code/__torch__/m.py", "script/constants.pkl")));
        assertEquals(FileFormat.NPZ, FileFormat.detect(zip("w.npz", "a.npy", "b.npy")));
        assertEquals(FileFormat.ZIP, FileFormat.detect(zip("sheet.xlsx", "[Content_Types].xml")));
        assertEquals(FileFormat.PYTORCH_LEGACY, FileFormat.detect(write("old.pt", bytes(0x80, 0x02, 0x8a, 0x0a,
                0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e, 0x80, 0x02))));
        assertEquals(FileFormat.PICKLE, FileFormat.detect(write("obj.pkl", bytes(0x80, 0x04, 0x95, 0x10, 0, 0))));
        assertEquals(FileFormat.GGUF, FileFormat.detect(write("m.gguf", bytes('G', 'G', 'U', 'F', 3, 0, 0, 0))));
        assertEquals(FileFormat.ONNX, FileFormat.detect(write("m.onnx", bytes(0x08, 0x07, 0x12, 0x07, 'p', 'y', 't',
                'o', 'r', 'c', 'h', 0x1a, 0x03, '2', '.', '0'))));
        assertEquals(FileFormat.HDF5, FileFormat.detect(write("w.h5", bytes(0x89, 'H', 'D', 'F', '\r', '\n', 0x1a,
                '\n', 0))));
        assertEquals(FileFormat.GZIP, FileFormat.detect(write("w.csv.gz", bytes(0x1f, 0x8b, 8, 0))));
    }

    @Test
    void aRefusalSaysWhatTheFileIsAndWhatToDo() throws IOException {
        Path pt = zip("model.pt", "model/data.pkl");
        InvalidInputException e = FileFormat.detect(pt).refusal(pt, "a matrix");
        assertEquals(pt + ": this is a PyTorch file (torch.save), not a matrix; rmtsvd spectrum reads it as a "
                + "checkpoint; for the other commands convert its state dict to "
                + ".safetensors: in Python, safetensors.torch.save_file(torch.load('model.pt', weights_only=True), "
                + "'model.safetensors')", e.getMessage());
        Path junk = write("junk.safetensors", bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        InvalidInputException unknown = assertThrows(InvalidInputException.class,
                () -> FileFormat.require(junk, "a model", FileFormat.SAFETENSORS));
        assertEquals(junk + ": not a model: rmtsvd reads .safetensors, .npy and text tables (.csv, .tsv, .txt)",
                unknown.getMessage());
    }

    @Test
    void specialFilesAreRefusedUnopened() throws Exception {
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> FileFormat.detect(dir.resolve("none.npy")));
        assertEquals(dir.resolve("none.npy") + ": no such file", missing.getMessage());
        InvalidInputException directory = assertThrows(InvalidInputException.class, () -> FileFormat.detect(dir));
        assertTrue(directory.getMessage().endsWith("is a directory, not a regular file"), directory.getMessage());
        Path fifo = dir.resolve("pipe.npy");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        long start = System.nanoTime();
        InvalidInputException pipe = assertThrows(InvalidInputException.class, () -> FileFormat.detect(fifo));
        assertTrue(pipe.getMessage().endsWith("is a named pipe (FIFO), not a regular file"), pipe.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "no open that waits for a writer");
    }
}
