package io.nnrmtsvd.cli;

import io.nnrmtsvd.rmt.Bema;
import picocli.CommandLine.Option;

/** BEMA's settings on the command line: shared by {@code spectrum} and the pruning options. */
final class BemaOptions {
    @Option(names = "--alpha", description = "BEMA share ignored at each end of the fit (default: ${DEFAULT-VALUE}).")
    double alpha = Bema.DEFAULT_ALPHA;

    @Option(names = "--beta", description = "Tracy-Widom tail probability of the edge (default: ${DEFAULT-VALUE}).")
    double beta = Bema.DEFAULT_BETA;

    @Option(names = "--cutoff", description = "Fit error below which a fit is good; when pruning, layers fitting "
            + "worse are left alone and 1 switches the test off (default: ${DEFAULT-VALUE}).")
    double cutoff = Bema.DEFAULT_CUTOFF;

    @Option(names = "--notebook", description = "Reproduce the original notebook's slips (1/in scaling, the /3 "
            + "margin; when pruning, the noise-count off-by-one; in train, ReLU on the output).")
    boolean notebook;

    /** BEMA with these options' alpha, beta, cutoff and notebook slips. */
    Bema bema() {
        return Bema.create().withAlpha(alpha).withBeta(beta).withCutoff(cutoff).withNotebookQuirks(notebook);
    }
}
