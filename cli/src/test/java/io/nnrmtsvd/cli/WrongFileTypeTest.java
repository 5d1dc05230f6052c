package io.nnrmtsvd.cli;

import static io.nnrmtsvd.cli.CliFixtures.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.NpyFiles;
import io.nnrmtsvd.linalg.DMatrix;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file of another program given where rmtsvd wants its own: one line that says what it is and what to do. */
class WrongFileTypeTest {
    @TempDir
    Path dir;

    /** The layout of a torch.save file: a zip archive whose first entry is its pickle. */
    private Path torchSave(String name) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, "model/data.pkl", new byte[] {(byte) 0x80, 2, '}', '.'}); // an empty dict
            stored(zip, "model/version", new byte[] {'3', '\n'});
        }
        return file;
    }

    /** An uncompressed entry, as torch.save writes them. */
    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    @Test
    void aPyTorchFileIsReadBySpectrumAndNamedWithHowToConvertItElsewhere() throws IOException {
        Path pt = torchSave("model.pt");
        String convert = "convert its state dict to .safetensors: in Python, safetensors.torch.save_file("
                + "torch.load('model.pt', weights_only=True), 'model.safetensors')";
        CliRun compress = CliRun.of("compress", pt.toString(), "--out", dir.resolve("o.safetensors").toString());
        assertBadInput(compress);
        assertTrue(compress.err().contains("is a PyTorch checkpoint, and this needs safetensors"), compress.err());
        CliRun spectrum = CliRun.of("spectrum", pt.toString(), "--no-report");
        assertBadInput(spectrum);
        assertEquals("rmtsvd: " + pt + ": holds no tensors", spectrum.err().strip());
        CliRun sweep = CliRun.of("sweep", pt.toString(), "--no-report");
        assertBadInput(sweep);
        assertEquals("rmtsvd: " + pt + ": this is a PyTorch file (torch.save), not an rmtsvd model (.safetensors); "
                + "rmtsvd spectrum reads it as a checkpoint; for the other commands " + convert, sweep.err().strip());
    }

    @Test
    void otherFormatsAreNamedToo() throws IOException {
        Path legacy = Files.write(dir.resolve("old.pt"), new byte[] {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c,
                (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19, 0x2e});
        assertTrue(CliRun.of("spectrum", legacy.toString()).err().contains("this is a PyTorch file in the pickle "
                + "format of torch.save before PyTorch 1.6"));
        Path gguf = Files.write(dir.resolve("m.gguf"), new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0});
        CliRun run = CliRun.of("spectrum", gguf.toString());
        assertBadInput(run);
        assertTrue(run.err().contains("this is a GGUF file (llama.cpp)"), run.err());
    }

    @Test
    void aMatrixGivenToCompressIsSentToSpectrum() throws IOException {
        Path npy = dir.resolve("w.npy");
        NpyFiles.writeFloat64(npy, DMatrix.wrap(2, 2, new double[] {1, 2, 3, 4}));
        CliRun run = CliRun.of("compress", npy.toString(), "--out", dir.resolve("o.safetensors").toString());
        assertBadInput(run);
        assertEquals("rmtsvd: " + npy + ": this is a NumPy .npy array, not a model or checkpoint (a .safetensors file "
                + "or a directory); 'rmtsvd spectrum' reads single matrices", run.err().strip());
    }
}
