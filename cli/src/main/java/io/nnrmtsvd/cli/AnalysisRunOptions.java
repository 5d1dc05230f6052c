package io.nnrmtsvd.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * How {@code spectrum} runs over a checkpoint: jobs, memory budget, resuming. (Its {@code --run-dir},
 * shared with the other inputs, then receives each tensor's row in tensors.jsonl as it finishes.)
 */
final class AnalysisRunOptions {
    /** Default --max-memory. */
    static final String DEFAULT_MAX_MEMORY = "2g";

    @Option(names = "--jobs", paramLabel = "N",
            description = "Checkpoints: tensors analysed at once; the BLAS threads are divided among them (default: "
                    + "one per BLAS thread, no more than the tensors nor than --max-memory holds of the largest).")
    Integer jobs;

    @Option(names = "--max-memory", paramLabel = "SIZE",
            description = "Checkpoints: memory the tensors analysed at once may take, e.g. 512m or 2g "
                    + "(default: " + DEFAULT_MAX_MEMORY + ").")
    String maxMemory;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Checkpoints: continue an interrupted run, skipping tensors already in RUN_DIR/tensors.jsonl.")
    Path resume;

    long maxMemoryBytes() {
        return parseSize(maxMemory == null ? DEFAULT_MAX_MEMORY : maxMemory);
    }

    /** Bytes in a size like 1500000, 512k, 512m or 2g (binary units). */
    static long parseSize(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (!t.isEmpty() && "kmg".indexOf(t.charAt(t.length() - 1)) >= 0) {
            unit = 1L << (10 * ("kmg".indexOf(t.charAt(t.length() - 1)) + 1));
            t = t.substring(0, t.length() - 1);
        }
        try {
            double value = Double.parseDouble(t);
            if (!(value > 0) || value * unit > Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (long) (value * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--max-memory: '" + text + "' is not a size like 512m or 2g");
        }
    }

    /** The names of the options given. */
    List<String> given() {
        List<String> names = new ArrayList<>();
        if (jobs != null) {
            names.add("--jobs");
        }
        if (maxMemory != null) {
            names.add("--max-memory");
        }
        if (resume != null) {
            names.add("--resume");
        }
        return names;
    }
}
