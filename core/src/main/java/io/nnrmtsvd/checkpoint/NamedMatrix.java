package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.io.FileFormat;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.MatrixFiles;
import io.nnrmtsvd.io.Printable;
import io.nnrmtsvd.io.SafetensorsFile;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.io.TensorNames;
import io.nnrmtsvd.linalg.DMatrix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One matrix of a file, read whole in double precision, with its name.
 *
 * @param name the tensor's name, or the file name for a one-matrix file
 * @param matrix rows = outputs
 */
public record NamedMatrix(String name, DMatrix matrix) {
    /**
     * The matrices of a {@link InputKind#MATRIX} file (one, named after the file) or of a
     * {@code .safetensors} model: every 2-D floating-point tensor in natural name order, or only
     * the tensor named {@code tensor}.
     *
     * @param tensor the one tensor to read, or null for all; only for {@code .safetensors} files
     * @throws InvalidInputException if the file is malformed, the tensor is missing or not a
     *     floating-point matrix, or there is nothing to read
     */
    public static List<NamedMatrix> readAll(Path file, String tensor) {
        if (FileFormat.detect(file) != FileFormat.SAFETENSORS) {
            if (tensor != null) {
                throw new IllegalArgumentException("--tensor applies to .safetensors files only");
            }
            return List.of(new NamedMatrix(file.getFileName().toString(), MatrixFiles.read(file)));
        }
        List<NamedMatrix> result = new ArrayList<>();
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            List<TensorInfo> chosen = new ArrayList<>();
            for (TensorInfo t : st.tensors()) {
                if (tensor == null ? t.shape().length == 2 && t.dtype().isAnalysable() : t.name().equals(tensor)) {
                    chosen.add(t);
                }
            }
            if (tensor != null && chosen.isEmpty()) {
                throw new InvalidInputException(file + ": no tensor named '" + Printable.name(tensor) + "'");
            }
            if (chosen.isEmpty()) {
                throw new InvalidInputException(file + ": no 2-D floating-point tensor to analyse");
            }
            chosen.sort((a, b) -> TensorNames.NATURAL.compare(a.name(), b.name()));
            for (TensorInfo t : chosen) {
                if (t.shape().length != 2 || !t.dtype().isAnalysable()) {
                    throw new InvalidInputException(file + ": tensor " + Printable.name(t.name()) + " is " + t.dtype() + " "
                            + Arrays.toString(t.shape()) + ", not a 2-D floating-point matrix");
                }
                int r = Math.toIntExact(t.shape()[0]);
                int c = Math.toIntExact(t.shape()[1]);
                result.add(new NamedMatrix(t.name(), DMatrix.wrap(r, c, st.readDoubles(t.name()))));
            }
        } catch (IOException e) {
            throw InvalidInputException.unreadable(file, e);
        }
        return result;
    }
}
