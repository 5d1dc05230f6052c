package io.nnrmtsvd.codec;

import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.nn.EpochRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An epoch record as JSON: {@code epoch, train_loss, test_loss, test_accuracy, train_accuracy}
 * (only when measured), {@code seconds, parameters, widths}.
 */
public final class EpochRecordJson {
    private EpochRecordJson() {
    }

    public static Map<String, Object> toJson(EpochRecord r) {
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

    /** @throws IllegalArgumentException for a missing field or one of the wrong kind */
    public static EpochRecord fromJson(Object json) {
        Map<String, Object> m = JsonFields.object(json, "an epoch record");
        return new EpochRecord(Math.toIntExact(JsonFields.integer(m, "epoch")), JsonFields.number(m, "train_loss"),
                JsonFields.number(m, "test_loss"), JsonFields.number(m, "test_accuracy"),
                m.containsKey("train_accuracy") ? JsonFields.number(m, "train_accuracy") : Double.NaN,
                JsonFields.number(m, "seconds"), JsonFields.integer(m, "parameters"), JsonFields.text(m, "widths"));
    }

    /** Reads a list of what {@link #toJson} wrote, e.g. a run's {@code epochs}; {@code what} names it in errors. */
    public static List<EpochRecord> listFromJson(Object json, String what) {
        return JsonFields.array(json, what).stream().map(EpochRecordJson::fromJson).toList();
    }
}
