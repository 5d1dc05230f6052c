package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.io.CheckpointFormat;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.SafetensorsFile;
import io.nnrmtsvd.nn.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

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

    /**
     * The kind of {@code input}.
     *
     * @param checkpoint read a {@code .safetensors} rmtsvd model as a checkpoint too
     * @throws InvalidInputException if a {@code .safetensors} file cannot be read
     */
    public static InputKind of(Path input, boolean checkpoint) {
        if (Files.isDirectory(input)) {
            return CHECKPOINT;
        }
        if (!Files.isRegularFile(input)) {
            return MATRIX; // its reader says what else it is
        }
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (CheckpointFormat.of(input) == CheckpointFormat.PYTORCH) {
            return CHECKPOINT;
        }
        if (!name.endsWith(".safetensors")) {
            return MATRIX;
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
