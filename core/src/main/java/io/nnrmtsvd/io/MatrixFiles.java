package io.nnrmtsvd.io;

import io.nnrmtsvd.linalg.DMatrix;
import java.nio.file.Path;
import java.util.Locale;

/** Reads one matrix from a file, choosing the format by the file name's extension. */
public final class MatrixFiles {
    private MatrixFiles() {
    }

    /**
     * Reads {@code path}: {@code .npy} with {@link NpyFiles#read}, {@code .csv}, {@code .tsv} and
     * {@code .txt} with {@link CsvFiles#read}. A safetensors file holds many tensors, so its
     * callers open it with {@link SafetensorsFile#open} and pick one.
     *
     * @throws InvalidInputException for other extensions, and as the chosen reader does
     */
    public static DMatrix read(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return NpyFiles.read(path);
        }
        if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) {
            return CsvFiles.read(path);
        }
        if (name.endsWith(".safetensors")) {
            throw InvalidInputException.inFile(path,
                    "a safetensors file holds several tensors; name the tensor to use");
        }
        throw InvalidInputException.inFile(path, "unknown matrix format: expected a .npy, .csv, .tsv or .txt file");
    }
}
