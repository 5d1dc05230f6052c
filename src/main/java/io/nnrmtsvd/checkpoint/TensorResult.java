package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.report.SpectrumJson;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What happened to one tensor of a checkpoint analysis: analysed, with its spectrum analysis, or
 * skipped, with the reason.
 *
 * @param tensor the tensor's header entry
 * @param analysis the analysis; {@code null} when skipped
 * @param reason why it was skipped; empty when analysed
 * @param seconds wall time of reading and analysing it
 */
public record TensorResult(TensorInfo tensor, SpectrumAnalysis analysis, String reason, double seconds) {
    /** Status of an analysed tensor. */
    public static final String ANALYSED = "analysed";
    /** Status of a skipped tensor. */
    public static final String SKIPPED = "skipped";

    /** A skipped tensor. */
    static TensorResult skipped(TensorInfo tensor, String reason) {
        return new TensorResult(tensor, null, reason, 0);
    }

    /** {@link #ANALYSED} or {@link #SKIPPED}. */
    public String status() {
        return analysis == null ? SKIPPED : ANALYSED;
    }

    /**
     * The row as JSON: for an analysed tensor the keys of {@link SpectrumJson#row} followed by
     * dtype, shape, status and seconds; for a skipped one name, dtype, shape, status and reason.
     */
    public Map<String, Object> json() {
        Map<String, Object> row;
        if (analysis == null) {
            row = new LinkedHashMap<>();
            row.put("name", tensor.name());
        } else {
            row = SpectrumJson.row(tensor.name(), analysis);
        }
        row.put("dtype", tensor.dtype().name());
        row.put("shape", tensor.shape());
        row.put("status", status());
        if (analysis == null) {
            row.put("reason", reason);
        } else {
            row.put("seconds", seconds);
        }
        return row;
    }
}
