package io.nnrmtsvd.cli;

import io.nnrmtsvd.nn.EpochRecord;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** How an epoch record is printed: as a log line and as a JSON object. */
final class EpochJson {
    private EpochJson() {
    }

    static Map<String, Object> of(EpochRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", r.epoch());
        m.put("train_loss", r.trainLoss());
        m.put("test_loss", r.testLoss());
        m.put("test_accuracy", r.testAccuracy());
        if (!Double.isNaN(r.trainAccuracy())) {
            m.put("train_accuracy", r.trainAccuracy());
        }
        m.put("seconds", r.seconds());
        m.put("parameters", r.parameters());
        m.put("widths", r.widths());
        return m;
    }

    static String line(EpochRecord r, int epochs) {
        String train = Double.isNaN(r.trainAccuracy()) ? ""
                : String.format(Locale.ROOT, "  train accuracy %.2f%%", 100 * r.trainAccuracy());
        return String.format(Locale.ROOT,
                "epoch %d/%d  train loss %.4f  test loss %.4f  test accuracy %.2f%%%s  %.2f s  %s",
                r.epoch(), epochs, r.trainLoss(), r.testLoss(), 100 * r.testAccuracy(), train, r.seconds(),
                r.widths());
    }
}
