package io.nnrmtsvd.cli;

import io.nnrmtsvd.experiment.PrunedTraining;
import picocli.CommandLine.Option;

/** When training prunes: shared by {@code train} and {@code experiment overfit}. */
final class ScheduleOptions {
    @Option(names = "--prune-every", paramLabel = "N", description = "Prune every N epochs (default: ${DEFAULT-VALUE}).")
    int pruneEvery = 1;

    @Option(names = "--prune-from", paramLabel = "E",
            description = "First prune after E trained epochs; 0 is before the first (default: ${DEFAULT-VALUE}).")
    int pruneFrom;

    @Option(names = "--prune-until", paramLabel = "E",
            description = "No prune after more than E trained epochs (default: no limit).")
    int pruneUntil = Integer.MAX_VALUE;

    /** Options whose first prune is after {@code from} trained epochs unless --prune-from says otherwise. */
    static ScheduleOptions from(int from) {
        ScheduleOptions o = new ScheduleOptions();
        o.pruneFrom = from;
        return o;
    }

    /** The schedule. */
    PrunedTraining.Schedule schedule() {
        return new PrunedTraining.Schedule(pruneFrom, pruneEvery, pruneUntil);
    }
}
