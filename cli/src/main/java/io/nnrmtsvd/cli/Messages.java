package io.nnrmtsvd.cli;

import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.prune.LayerReport;
import io.nnrmtsvd.prune.PruneEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The log lines commands print on stderr for an epoch and a prune. */
final class Messages {
    private Messages() {
    }

    /** {@code n} and the noun, plural unless n is 1: "1 epoch", "2 epochs". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** One line per epoch: losses, accuracies, time and widths. */
    static String epoch(EpochRecord r, int epochs) {
        String train = Double.isNaN(r.trainAccuracy()) ? ""
                : String.format(Locale.ROOT, "  train accuracy %.2f%%", 100 * r.trainAccuracy());
        return String.format(Locale.ROOT,
                "epoch %d/%d  train loss %.4f  test loss %.4f  test accuracy %.2f%%%s  %.2f s  %s",
                r.epoch(), epochs, r.trainLoss(), r.testLoss(), 100 * r.testAccuracy(), train, r.seconds(),
                r.widths());
    }

    /** A summary line and one line per layer. */
    static List<String> prune(PruneEvent e) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "prune before epoch %d: %s -> %s, %d -> %d parameters",
                e.epoch(), e.widthsBefore(), e.widthsAfter(), e.parametersBefore(), e.parametersAfter()));
        for (LayerReport r : e.layers()) {
            lines.add(String.format(Locale.ROOT,
                    "  layer %d (%dx%d): fit error %.4f, %s fit, spikes %d, k %d, %s, %d -> %d parameters%s",
                    r.index(), r.rows(), r.cols(), r.fitError(), r.goodFit() ? "good" : "bad",
                    r.spikes(), r.rank(), r.action(), r.parametersBefore(), r.parametersAfter(),
                    r.reason().isEmpty() ? "" : "; " + r.reason()));
        }
        return lines;
    }
}
