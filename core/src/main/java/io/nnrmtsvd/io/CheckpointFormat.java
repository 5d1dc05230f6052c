package io.nnrmtsvd.io;

import java.nio.file.Path;
import java.util.List;

/** The two file formats a checkpoint's shards come in, each with its file names and index. */
public enum CheckpointFormat {
    /** Safetensors files, indexed by {@code model.safetensors.index.json}. */
    SAFETENSORS("model.safetensors.index.json", null, List.of(".safetensors")),
    /** PyTorch {@code torch.save} archives, indexed by {@code pytorch_model.bin.index.json}. */
    PYTORCH("pytorch_model.bin.index.json", "pytorch_model.bin", List.of(".bin", ".pt", ".pth"));

    private final String indexFile;
    private final String defaultFile;
    private final List<String> suffixes;

    CheckpointFormat(String indexFile, String defaultFile, List<String> suffixes) {
        this.indexFile = indexFile;
        this.defaultFile = defaultFile;
        this.suffixes = suffixes;
    }

    /** The index of a sharded checkpoint in this format. */
    public String indexFile() {
        return indexFile;
    }

    /** The file a directory without an index is read from, if the format names one (else null). */
    public String defaultFile() {
        return defaultFile;
    }

    /** Whether {@code name} is a shard's file name in this format (a name in the checkpoint's directory). */
    boolean isShardName(String name) {
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.startsWith(".")) {
            return false;
        }
        for (String suffix : suffixes) { // no allocation: an index may name thousands of shards
            if (name.regionMatches(true, name.length() - suffix.length(), suffix, 0, suffix.length())) {
                return true;
            }
        }
        return false;
    }

    /** The file endings of this format, for messages, e.g. ".bin, .pt or .pth". */
    String endings() {
        return suffixes.size() == 1 ? suffixes.get(0)
                : String.join(", ", suffixes.subList(0, suffixes.size() - 1)) + " or " + suffixes.get(suffixes.size() - 1);
    }

    /** Opens one file in this format. */
    TensorFile open(Path file) {
        return this == SAFETENSORS ? SafetensorsFile.open(file) : TorchFile.open(file);
    }

    /**
     * The format of one file: by its name when it ends as one format's files do, else by its content
     * ({@link FileFormat}); anything else is read as safetensors, whose reader names what is wrong.
     */
    public static CheckpointFormat of(Path file) {
        InputFiles.requireRegularFile(file);
        for (CheckpointFormat format : values()) {
            if (format.isShardName(file.getFileName().toString())) {
                return format;
            }
        }
        return FileFormat.detect(file) == FileFormat.PYTORCH ? PYTORCH : SAFETENSORS;
    }
}
