package io.nnrmtsvd.checkpoint;

/**
 * A budget for factors computed while a checkpoint is analysed and kept until they are written:
 * from the same Gram reduction as the spectrum, they save a second reduction per layer. Beyond
 * the budget a layer is read and reduced again when it is written, so memory follows the largest
 * layer, not the model. Not thread-safe.
 */
final class HeldFactors {
    /** Default budget: 64 Mi floats, 256 MiB. */
    static final long DEFAULT_FLOATS = 64L << 20;

    private final long budgetFloats;
    private long heldFloats;

    HeldFactors(long budgetFloats) {
        this.budgetFloats = budgetFloats;
    }

    /** Reserves room for {@code floats} more; false (reserving nothing) when they do not fit. */
    boolean reserve(long floats) {
        if (heldFloats + floats > budgetFloats) {
            return false;
        }
        heldFloats += floats;
        return true;
    }
}
