package io.nnrmtsvd.codec;

import io.nnrmtsvd.checkpoint.CheckpointCompressor;
import io.nnrmtsvd.checkpoint.CompressedTensor;
import io.nnrmtsvd.checkpoint.TensorResult;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.prune.PruneEvent;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code compress} did, as JSON: for an rmtsvd model and for a checkpoint. */
public final class CompressionJson {
    private CompressionJson() {
    }

    /**
     * Accuracy on a data set before and after, when it was measured.
     *
     * @param dataset the data set's name
     * @param before test accuracy of the input
     * @param after test accuracy of the output
     */
    public record Accuracy(String dataset, double before, double after) {
    }

    /**
     * An rmtsvd model: {@code model, out, algorithm, widths_before, widths_after,
     * parameters_before, parameters_after, bema, layers} (as {@link PruneEventJson#layer}), and the
     * accuracy when measured.
     *
     * @param accuracy null when not measured
     */
    public static Map<String, Object> model(Path model, Path out, PruneConfig config, PruneEvent event,
                                            Accuracy accuracy) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", model.toString());
        doc.put("out", out.toString());
        doc.put("algorithm", config.algorithm().cliName());
        doc.put("widths_before", event.widthsBefore());
        doc.put("widths_after", event.widthsAfter());
        doc.put("parameters_before", event.parametersBefore());
        doc.put("parameters_after", event.parametersAfter());
        doc.put("bema", BemaJson.toJson(event.bema()));
        List<Object> rows = new ArrayList<>();
        event.layers().forEach(r -> rows.add(PruneEventJson.layer(r)));
        doc.put("layers", rows);
        putAccuracy(doc, accuracy);
        return doc;
    }

    /**
     * A checkpoint: {@code input, out, dense, bema, layers} (one per tensor in natural name
     * order, see {@link #tensor}), parameter, tensor-byte and file-byte counts before and after,
     * the {@code files} written, and the accuracy when measured.
     *
     * @param accuracy null when not measured
     */
    public static Map<String, Object> checkpoint(Path input, Path out, boolean dense, PruneConfig config,
                                                 CheckpointCompressor.Result result, Accuracy accuracy) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("input", input.toString());
        doc.put("out", out.toString());
        doc.put("dense", dense);
        doc.put("bema", BemaJson.toJson(config.bema()));
        doc.put("layers", result.byName().stream().map(CompressionJson::tensor).toList());
        doc.put("parameters_before", result.parametersBefore());
        doc.put("parameters_after", result.parametersAfter());
        doc.put("tensor_bytes_before", result.tensorBytesBefore());
        doc.put("tensor_bytes_after", result.tensorBytesAfter());
        doc.put("file_bytes_before", result.fileBytesBefore());
        doc.put("file_bytes_after", result.fileBytesAfter());
        doc.put("files", result.files().stream().map(Object::toString).toList());
        putAccuracy(doc, accuracy);
        return doc;
    }

    /**
     * One tensor: {@code name, dtype, shape, action, reason, rank, signal}, for an analysed tensor
     * {@code p, spikes, fit_error, good_fit}, then parameter and byte counts before and after,
     * {@code energy_kept} and {@code relative_error}.
     */
    public static Map<String, Object> tensor(CompressedTensor r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", r.tensor().name());
        row.put("dtype", r.tensor().dtype().name());
        row.put("shape", r.tensor().shape());
        row.put("action", r.action().label());
        row.put("reason", r.reason());
        row.put("rank", r.rank());
        row.put("signal", r.signal());
        if (r.fit() != null) {
            row.put("p", r.fit().p());
            row.put("spikes", r.fit().spikes());
            row.put("fit_error", r.fit().fitError());
            row.put("good_fit", r.fit().goodFit());
        }
        row.put("parameters_before", r.parametersBefore());
        row.put("parameters_after", r.parametersAfter());
        row.put("bytes_before", r.bytesBefore());
        row.put("bytes_after", r.bytesAfter());
        row.put("energy_kept", r.energyKept());
        row.put("relative_error", r.relativeError());
        return row;
    }

    /**
     * One tensor as the report's table shows it beside {@code spectrum}'s rows: an analysed tensor's
     * keys of {@link SpectrumRowJson#row(String, SpectrumAnalysis)}, a copied one's {@code name} and
     * {@code reason}; then {@code dtype, shape, status} ({@code analysed} or {@code skipped}), and
     * {@code action} and, when analysed, {@code rank} (kept).
     *
     * @param analysis the tensor's analysis; null when it was copied unanalysed
     */
    public static Map<String, Object> spectrumRow(CompressedTensor r, SpectrumAnalysis analysis) {
        Map<String, Object> row;
        if (analysis == null) {
            row = new LinkedHashMap<>();
            row.put("name", r.tensor().name());
            row.put("reason", r.reason());
        } else {
            row = SpectrumRowJson.row(r.tensor().name(), analysis);
        }
        row.put("dtype", r.tensor().dtype().name());
        row.put("shape", r.tensor().shape());
        row.put("status", analysis == null ? TensorResult.SKIPPED : TensorResult.ANALYSED);
        row.put("action", r.action().label());
        if (analysis != null) {
            row.put("rank", r.rank());
        }
        return row;
    }

    private static void putAccuracy(Map<String, Object> doc, Accuracy accuracy) {
        if (accuracy != null) {
            doc.put("dataset", accuracy.dataset());
            doc.put("test_accuracy_before", accuracy.before());
            doc.put("test_accuracy_after", accuracy.after());
        }
    }
}
