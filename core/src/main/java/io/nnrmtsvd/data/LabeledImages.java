package io.nnrmtsvd.data;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.linalg.OffHeapFloats;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * A set of labelled greyscale images ready for training: pixels scaled to [0, 1] in one direct
 * float buffer, image after image (image {@code i} occupies floats {@code [i * features, (i + 1)
 * * features)}, row-major), and one class label per image. Immutable apart from the pixel buffer,
 * which callers must not write.
 */
public final class LabeledImages {
    private final int rows;
    private final int cols;
    private final FloatBuffer pixels;
    private final int[] labels;
    private final int numClasses;

    private LabeledImages(int rows, int cols, FloatBuffer pixels, int[] labels, int numClasses) {
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
        this.labels = labels;
        this.numClasses = numClasses;
    }

    /**
     * Reads an IDX image file and its IDX label file (raw or gzip-compressed).
     *
     * @param numClasses labels must lie in {@code [0, numClasses)}
     * @throws InvalidInputException if either file is invalid, their counts differ, or a label is
     *     out of range
     */
    public static LabeledImages fromIdx(Path imageFile, Path labelFile, int numClasses) {
        IdxFiles.Images images = IdxFiles.readImages(imageFile);
        byte[] rawLabels = IdxFiles.readLabels(labelFile);
        if (rawLabels.length != images.count()) {
            throw new InvalidInputException(imageFile + " holds " + images.count() + " images but " + labelFile
                    + " holds " + rawLabels.length + " labels");
        }
        int[] labels = new int[rawLabels.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = Byte.toUnsignedInt(rawLabels[i]);
            if (labels[i] >= numClasses) {
                throw InvalidInputException.inFile(labelFile, "label " + labels[i] + " of image " + i
                        + " is outside 0.." + (numClasses - 1));
            }
        }
        byte[] bytes = images.pixels();
        if (bytes.length > Integer.MAX_VALUE / Float.BYTES) {
            throw InvalidInputException.inFile(imageFile, bytes.length + " pixels are too many for one float buffer");
        }
        FloatBuffer pixels = OffHeapFloats.allocate(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            pixels.put(i, Byte.toUnsignedInt(bytes[i]) / 255f);
        }
        return new LabeledImages(images.rows(), images.cols(), pixels, labels, numClasses);
    }

    /** Number of images. */
    public int count() {
        return labels.length;
    }

    /** Pixel rows per image. */
    public int rows() {
        return rows;
    }

    /** Pixel columns per image. */
    public int cols() {
        return cols;
    }

    /** Pixels per image: {@code rows * cols}. */
    public int features() {
        return rows * cols;
    }

    /** Number of classes; every label lies in {@code [0, numClasses)}. */
    public int numClasses() {
        return numClasses;
    }

    /**
     * All pixels, {@code count * features} floats in [0, 1]. A view sharing the memory (its own
     * position and limit); read-only by contract.
     */
    public FloatBuffer pixels() {
        return pixels.duplicate();
    }

    /** The label of image {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public String toString() {
        return "LabeledImages[" + count() + " images of " + rows + "x" + cols + ", " + numClasses + " classes]";
    }
}
