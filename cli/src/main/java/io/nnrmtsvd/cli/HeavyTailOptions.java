package io.nnrmtsvd.cli;

import io.nnrmtsvd.checkpoint.SpectrumSettings;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.HeavyTailSettings;
import io.nnrmtsvd.rmt.PowerLawFitter;
import picocli.CommandLine.Option;

/** The heavy-tailed fit's options and the randomisation test (SPEC section 9) of {@code spectrum}. */
final class HeavyTailOptions {
    @Option(names = "--power-law-floor", paramLabel = "X",
            description = "Eigenvalues of W^T W at or below X are left out of the power-law fit "
                    + "(default: ${DEFAULT-VALUE}, as WeightWatcher).")
    double floor = PowerLawFitter.WEIGHTWATCHER_FLOOR;

    @Option(names = "--fingers", description = "Power-law fit: take x_min at the peak of the log-spectrum instead "
            + "of searching every candidate (a remedy for spectra whose tail the search misses).")
    boolean fingers;

    @Option(names = "--truncated-power-law", description = "Also fit the truncated power law and compare the two "
            + "by their log-likelihood ratio (tpl_* keys).")
    boolean truncated;

    @Option(names = "--randomize", description = "Randomisation test: the spectrum of W with its entries shuffled, "
            + "its largest eigenvalue and distance to the original's, and correlation traps.")
    boolean randomize;

    @Option(names = "--randomize-seed", paramLabel = "N",
            description = "Seed of the shuffle of --randomize (default: ${DEFAULT-VALUE}).")
    long randomizeSeed = 1;

    /** What is computed for each matrix, with {@code bema}. */
    SpectrumSettings settings(Bema bema) {
        if (!(floor >= 0 && floor < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("--power-law-floor must be finite and at least 0, got " + floor);
        }
        HeavyTailSettings heavyTail = new HeavyTailSettings(PowerLawFitter.create().withFloor(floor)
                .withFingers(fingers), truncated);
        return new SpectrumSettings(bema, heavyTail, randomize ? randomizeSeed : null);
    }
}
