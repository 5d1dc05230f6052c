package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.io.FileFormat;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.SafetensorsFile;
import io.nnrmtsvd.nn.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a file given to {@code spectrum} or {@code compress} holds, which decides how it is read. */
public enum InputKind {
    /** One matrix in a {@code .npy}, {@code .csv}, {@code .tsv} or {@code .txt} file. */
    MATRIX,
    /** A {@code .safetensors} model written by rmtsvd: only {@code layers.{i}.weight / bias} tensors. */
    MODEL,
    /**
     * A checkpoint of another program: a directory (see {@link io.nnrmtsvd.io.ShardedCheckpoint}), a
     * {@code .safetensors} file that is not an rmtsvd model, or a PyTorch {@code torch.save} file.
     */
    CHECKPOINT;

    /** What an input may be, in refusals. */
    public static final String ACCEPTED = "a matrix (.npy, .csv), a .safetensors model or checkpoint, a PyTorch "
            + "state dict (.bin, .pt), or a checkpoint directory";

    /**
     * The kind of {@code input}, told by its content ({@link FileFormat}).
     *
     * @param checkpoint read a {@code .safetensors} rmtsvd model as a checkpoint too
     * @throws InvalidInputException if the input is missing, a special file, of another format
     *     (saying what it is and how to convert it), or a safetensors file that cannot be read
     */
    public static InputKind of(Path input, boolean checkpoint) {
        if (Files.isDirectory(input)) {
            return CHECKPOINT;
        }
        FileFormat format = FileFormat.detect(input);
        if (format == FileFormat.NPY || format == FileFormat.TEXT) {
            return MATRIX;
        }
        if (format == FileFormat.PYTORCH) {
            return CHECKPOINT;
        }
        if (format != FileFormat.SAFETENSORS) {
            throw format.refusal(input, ACCEPTED);
        }
        if (checkpoint) {
            return CHECKPOINT;
        }
        try (SafetensorsFile st = SafetensorsFile.open(input)) {
            return ModelFiles.isModel(st) ? MODEL : CHECKPOINT;
        } catch (IOException e) {
            throw InvalidInputException.unreadable(input, e);
        }
    }
}
