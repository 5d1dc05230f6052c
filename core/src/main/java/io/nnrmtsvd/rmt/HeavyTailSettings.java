package io.nnrmtsvd.rmt;

import java.util.Objects;

/**
 * How the heavy-tailed side of a spectrum is fitted (SPEC section 9): the power-law fitter (its
 * floor and the fingers remedy) and whether the truncated power law is fitted beside it.
 *
 * @param powerLaw the fitter
 * @param truncated also fit the truncated power law and compare the two by their likelihood ratio
 */
public record HeavyTailSettings(PowerLawFitter powerLaw, boolean truncated) {
    /**
     * WeightWatcher's: eigenvalues above {@value PowerLawFitter#WEIGHTWATCHER_FLOOR} fitted, every
     * candidate x_min searched, no truncated power law.
     */
    public static final HeavyTailSettings DEFAULT = new HeavyTailSettings(
            PowerLawFitter.create().withFloor(PowerLawFitter.WEIGHTWATCHER_FLOOR), false);

    public HeavyTailSettings {
        Objects.requireNonNull(powerLaw, "powerLaw");
    }

    /** The same settings with the fingers remedy on or off. */
    public HeavyTailSettings withFingers(boolean fingers) {
        return new HeavyTailSettings(powerLaw.withFingers(fingers), truncated);
    }

    /** The same settings with the truncated power law or without. */
    public HeavyTailSettings withTruncated(boolean truncated) {
        return new HeavyTailSettings(powerLaw, truncated);
    }
}
