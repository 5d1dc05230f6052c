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
            for (String entry : new String[] {"model/data.pkl", "model/data/0", "model/version"}) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(new byte[] {(byte) 0x80, 2, '}', '.'});
                zip.closeEntry();
            }
        }
        return file;
    }

    @Test
    void aPyTorchFileWhereAnRmtsvdModelIsWantedIsNamedWithHowToConvertIt() throws IOException {
        Path pt = torchSave("model.pt");
        CliRun sweep = CliRun.of("sweep", pt.toString(), "--no-report");
        assertBadInput(sweep);
        assertEquals("rmtsvd: " + pt + ": this is a PyTorch file (torch.save), not an rmtsvd model (.safetensors); "
                + "convert its state dict to .safetensors: in Python, safetensors.torch.save_file("
                + "torch.load('model.pt', weights_only=True), 'model.safetensors')", sweep.err().strip());
    }

    @Test
    void otherFormatsAreNamedToo() throws IOException {
        Path legacy = Files.write(dir.resolve("old.pt"), new byte[] {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c,
                (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19, 0x2e});
        CliRun old = CliRun.of("spectrum", legacy.toString());
        assertBadInput(old);
        assertEquals("rmtsvd: " + legacy + ": this is a PyTorch file in the pickle format of torch.save before "
                + "PyTorch 1.6, not a matrix (.npy, .csv), a model or checkpoint (.safetensors or PyTorch torch.save), "
                + "or a checkpoint directory; convert its state dict to .safetensors: in Python, "
                + "safetensors.torch.save_file(torch.load('old.pt', weights_only=True), 'model.safetensors')",
                old.err().strip());
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
