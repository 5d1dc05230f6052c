package io.nnrmtsvd.codec;

import io.nnrmtsvd.experiment.RankSweep;
import io.nnrmtsvd.rmt.BemaFit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A rank sweep of one layer as JSON. */
public final class SweepJson {
    private SweepJson() {
    }

    /**
     * {@code model, dataset, layer, rows, cols, full_accuracy, predicted_rank, fit_error, bema}
     * (the settings of the prediction) and {@code points}, each {@code rank, test_accuracy,
     * test_loss}.
     */
    public static Map<String, Object> document(Path model, String dataset, int layer, int rows, int cols,
                                               double fullAccuracy, BemaFit predicted, List<RankSweep.Point> points) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", model.toString());
        doc.put("dataset", dataset);
        doc.put("layer", layer);
        doc.put("rows", rows);
        doc.put("cols", cols);
        doc.put("full_accuracy", fullAccuracy);
        doc.put("predicted_rank", predicted.spikes());
        doc.put("fit_error", predicted.fitError());
        doc.put("bema", BemaJson.toJson(predicted.settings()));
        List<Object> rowsJson = new ArrayList<>();
        for (RankSweep.Point p : points) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rank", p.rank());
            row.put("test_accuracy", p.accuracy());
            row.put("test_loss", p.loss());
            rowsJson.add(row);
        }
        doc.put("points", rowsJson);
        return doc;
    }
}
