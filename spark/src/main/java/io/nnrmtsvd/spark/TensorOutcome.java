package io.nnrmtsvd.spark;

import java.io.Serializable;

/**
 * What an executor sends back for one tensor: its row as JSON text (exactly as a journal stores
 * it) and its raw eigenvalues (null when it was skipped).
 */
record TensorOutcome(String rowJson, double[] eigenvalues) implements Serializable {
    private static final long serialVersionUID = 1L;
}
