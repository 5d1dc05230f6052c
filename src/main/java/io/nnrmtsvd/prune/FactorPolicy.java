package io.nnrmtsvd.prune;

/**
 * What a repeated prune does with the two factors an earlier split left (a first factor is a
 * layer with neither bias nor activation, feeding the second).
 */
public enum FactorPolicy {
    /** Treat each factor as a layer of its own, as the original notebook does. */
    SEPARATE,
    /** Leave factors untouched. */
    SKIP,
    /**
     * Multiply a factor pair back into one matrix and prune that, so a layer is at most two
     * factors however often it is pruned (SPEC §6, the sound choice when the fit test is off).
     */
    MERGE
}
