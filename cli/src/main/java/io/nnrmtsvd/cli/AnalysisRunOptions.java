package io.nnrmtsvd.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * How {@code spectrum} runs over a checkpoint: jobs, memory budget, resuming. (Its {@code --run-dir},
 * shared with the other inputs, then receives each tensor's row in tensors.jsonl as it finishes.)
 */
final class AnalysisRunOptions {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,18}(?:\\.\\d{1,9})?)([kmg]?)");
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

    /** Bytes in a size like 1500000, 512k, 512m, 1.5g or 2G (binary units): digits, a point, one unit letter. */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long unit = m.group(2).isEmpty() ? 1 : 1L << (10 * ("kmg".indexOf(m.group(2)) + 1));
            double value = Double.parseDouble(m.group(1));
            if (value * unit >= 1 && value * unit < Long.MAX_VALUE) {
                return (long) (value * unit);
            }
        }
        throw new IllegalArgumentException("--max-memory: '" + text + "' is not a size like 512m or 2g");
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
