package io.nnrmtsvd.run;

import io.nnrmtsvd.checkpoint.CheckpointCompressor;
import io.nnrmtsvd.checkpoint.CompressedTensor;
import io.nnrmtsvd.codec.CompressionJson;
import io.nnrmtsvd.io.TensorNames;
import io.nnrmtsvd.rmt.RawEigenvalues;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What {@code compress} on a checkpoint keeps for its report, as a listener of the compression that
 * passes every event on: a row per tensor ({@link CompressionJson#spectrumRow}) and, for each
 * tensor analysed, its eigenvalues in the run directory ({@link EigenvalueFiles}, named by the row),
 * written as the tensor is analysed so that no spectrum is held longer than one tensor.
 */
public final class CompressionSpectra implements CheckpointCompressor.Listener {
    private final Path runDir;
    private final CheckpointCompressor.Listener next;
    private final List<Map<String, Object>> rows = new ArrayList<>();

    /**
     * @param runDir the run directory the eigenvalues go into
     * @param next hears every event after this one
     */
    public CompressionSpectra(Path runDir, CheckpointCompressor.Listener next) {
        this.runDir = runDir;
        this.next = next;
    }

    /** @throws UncheckedIOException if the eigenvalues cannot be written */
    @Override
    public void analysed(CompressedTensor tensor, SpectrumAnalysis analysis, int done, int total) {
        Map<String, Object> row = CompressionJson.spectrumRow(tensor, analysis);
        if (analysis != null) {
            String name = tensor.tensor().name();
            try {
                row.put(EigenvalueFiles.ROW_KEY, EigenvalueFiles.write(runDir, name,
                        RawEigenvalues.of(analysis.spectrum())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the eigenvalues of " + name + " into " + runDir + ": "
                        + e.getMessage(), e);
            }
        }
        rows.add(row);
        next.analysed(tensor, analysis, done, total);
    }

    @Override
    public void written(String name, int done, int total) {
        next.written(name, done, total);
    }

    /** The rows so far, in natural name order ({@link TensorNames#NATURAL}). */
    public List<Map<String, Object>> rows() {
        List<Map<String, Object>> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(r -> (String) r.get("name"), TensorNames.NATURAL));
        return sorted;
    }
}
