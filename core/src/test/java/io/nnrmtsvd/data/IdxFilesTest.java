package io.nnrmtsvd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.SpecialFiles;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {
    @TempDir
    Path dir;

    /** Writes images and labels of a small synthetic data set; returns the pixels. */
    static byte[] writeSynthetic(Path images, Path labels, int count, byte[] labelValues, boolean gzipped)
            throws IOException {
        byte[] pixels = new byte[count * 4 * 3];
        new SplittableRandom(count).nextBytes(pixels);
        byte[] imageFile = IdxFixtures.idx(0x803, new int[] {count, 4, 3}, pixels);
        byte[] labelFile = IdxFixtures.idx(0x801, new int[] {labelValues.length}, labelValues);
        Files.write(images, gzipped ? IdxFixtures.gzip(imageFile) : imageFile);
        Files.write(labels, gzipped ? IdxFixtures.gzip(labelFile) : labelFile);
        return pixels;
    }

    private Path file(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    private void assertRejected(Path f, boolean images, String expected) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> {
                    if (images) {
                        IdxFiles.readImages(f);
                    } else {
                        IdxFiles.readLabels(f);
                    }
                });
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + e.getMessage());
    }

    @Test
    void readsRawAndGzippedFilesWhateverTheirNames() throws IOException {
        byte[] pixels = new byte[2 * 3 * 5];
        new SplittableRandom(1).nextBytes(pixels);
        byte[] content = IdxFixtures.idx(0x803, new int[] {2, 3, 5}, pixels);
        for (Path f : new Path[] {file("raw", content), file("packed", IdxFixtures.gzip(content)), file("odd.gz", content)}) {
            IdxFiles.Images images = IdxFiles.readImages(f);
            assertEquals(2, images.count());
            assertEquals(3, images.rows());
            assertEquals(5, images.cols());
            assertArrayEquals(pixels, images.pixels());
        }
        assertArrayEquals(new byte[] {7, 0, 9}, IdxFiles.readLabels(file("l.gz", IdxFixtures.gzip(IdxFixtures.idx(0x801, new int[] {3},
                new byte[] {7, 0, 9})))));
        assertEquals(0, IdxFiles.readLabels(file("none", IdxFixtures.idx(0x801, new int[] {0}, new byte[0]))).length);
    }

    @Test
    void rejectsWrongMagicNumbersAndDimensions() throws IOException {
        byte[] labels = IdxFixtures.idx(0x801, new int[] {2}, new byte[2]);
        assertRejected(file("labels", labels), true, "magic number 0x00000801 is not 0x00000803 (IDX images");
        assertRejected(file("floats", IdxFixtures.idx(0xd03, new int[] {1, 1, 1}, new byte[4])), true,
                "magic number 0x00000d03 is not 0x00000803");
        assertRejected(file("text", "hello, world\n".getBytes()), false, "is not 0x00000801");
        assertRejected(file("short", new byte[] {0, 0, 8, 3, 0, 0}), true,
                "truncated: the file ends inside the 16-byte IDX header");
        assertRejected(file("negative", IdxFixtures.idx(0x803, new int[] {-1, 28, 28}, new byte[0])), true, "dimension 0 is -1");
        assertRejected(file("zero", IdxFixtures.idx(0x803, new int[] {1, 0, 28}, new byte[0])), true, "dimension 1 is 0");
        assertRejected(file("huge", IdxFixtures.idx(0x803, new int[] {1 << 30, 28, 28}, new byte[0])), true,
                "dimensions are too large");
    }

    @Test
    void rejectsDataOfTheWrongLength() throws IOException {
        byte[] content = IdxFixtures.idx(0x803, new int[] {2, 2, 2}, new byte[8]);
        assertRejected(file("cut", Arrays.copyOf(content, content.length - 1)), true,
                "the dimensions need 8 bytes of data but the file holds 7 (truncated)");
        assertRejected(file("long", Arrays.copyOf(content, content.length + 3)), true, "holds 11 (trailing data)");
        assertRejected(file("cut.gz", IdxFixtures.gzip(Arrays.copyOf(content, content.length - 1))), true,
                "truncated: the dimensions need 8 bytes of data but the decompressed file holds 7");
        assertRejected(file("long.gz", IdxFixtures.gzip(Arrays.copyOf(content, content.length + 1))), true,
                "trailing data after the 8 bytes");
        byte[] packed = IdxFixtures.gzip(content);
        assertRejected(file("broken.gz", Arrays.copyOf(packed, packed.length - 12)), true, "corrupt or truncated gzip");
    }

    @Test
    void scalesPixelsAndChecksLabels() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels.gz");
        byte[] pixels = writeSynthetic(images, labels, 3, new byte[] {0, 9, 4}, false);
        pixels[0] = 0;
        pixels[1] = (byte) 255;
        pixels[2] = 51;
        Files.write(images, IdxFixtures.idx(0x803, new int[] {3, 4, 3}, pixels));
        LabeledImages set = LabeledImages.fromIdx(images, labels, 10);
        assertEquals(3, set.count());
        assertEquals(12, set.features());
        assertEquals(10, set.numClasses());
        assertArrayEquals(new int[] {0, 9, 4}, set.labels());
        assertEquals(9, set.label(1));
        FloatBuffer buffer = set.pixels();
        assertTrue(buffer.isDirect());
        assertEquals(36, buffer.capacity());
        assertEquals(0f, buffer.get(0));
        assertEquals(1f, buffer.get(1));
        assertEquals(0.2f, buffer.get(2));
        for (int i = 0; i < pixels.length; i++) {
            assertEquals((pixels[i] & 0xff) / 255f, buffer.get(i));
        }
    }

    @Test
    void rejectsMismatchedCountsAndOutOfRangeLabels() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        writeSynthetic(images, labels, 3, new byte[] {1, 2}, true);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> LabeledImages.fromIdx(images, labels, 10));
        assertEquals(images + " holds 3 images but " + labels + " holds 2 labels", e.getMessage());
        writeSynthetic(images, labels, 2, new byte[] {1, 10}, true);
        e = assertThrows(InvalidInputException.class, () -> LabeledImages.fromIdx(images, labels, 10));
        assertEquals(labels + ": label 10 of image 1 is outside 0..9", e.getMessage());
    }

    @Test
    void refusesANamedPipeWithinASecond() throws Exception {
        Path pipe = SpecialFiles.fifo(dir.resolve("train-images-idx3-ubyte.gz"));
        SpecialFiles.assertRefusedQuickly(pipe, () -> IdxFiles.readImages(pipe));
        SpecialFiles.assertRefusedQuickly(pipe, () -> IdxFiles.readLabels(pipe));
    }
}
