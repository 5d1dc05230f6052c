package io.nnrmtsvd.prune;

/** lt of SPEC §5: how many singular values of a layer count as noise. */
final class NoiseCount {
    private NoiseCount() {
    }

    /**
     * p - signal; with the notebook's quirks, one more (p - signal + 1), the off-by-one SPEC §5
     * records. That choice reproduces the notebook's first prune of a random 784-1000 layer,
     * 784-353-1000-10: signal 0, floor(0.45 * 785) = 353.
     */
    static int of(int p, int signal, boolean notebookQuirks) {
        return notebookQuirks ? p - signal + 1 : p - signal;
    }
}
