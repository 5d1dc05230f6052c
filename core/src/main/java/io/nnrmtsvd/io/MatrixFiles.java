package io.nnrmtsvd.io;

import io.nnrmtsvd.linalg.DMatrix;
import java.nio.file.Path;

/** Reads one matrix from a file, choosing the reader by the file's content ({@link FileFormat}). */
public final class MatrixFiles {
    /** What a matrix file may be, in refusals. */
    public static final String ACCEPTED = "a matrix (.npy, .csv, .tsv or .txt)";

    private MatrixFiles() {
    }

    /**
     * Reads {@code path}: a {@code .npy} array with {@link NpyFiles#read}, a text table
     * ({@code .csv}, {@code .tsv}, {@code .txt}) with {@link CsvFiles#read}. A safetensors file holds
     * many tensors, so its callers open it with {@link SafetensorsFile#open} and pick one.
     *
     * @throws InvalidInputException for other formats, saying what the file is and how to convert
     *     it, and as the chosen reader does
     */
    public static DMatrix read(Path path) {
        FileFormat format = FileFormat.detect(path);
        return switch (format) {
            case NPY -> NpyFiles.read(path);
            case TEXT -> CsvFiles.read(path);
            case SAFETENSORS -> throw InvalidInputException.inFile(path,
                    "a safetensors file holds several tensors; name the tensor to use");
            default -> throw format.refusal(path, ACCEPTED);
        };
    }
}
