package io.nnrmtsvd.cli;

import io.nnrmtsvd.rmt.Bema;
import picocli.CommandLine.Option;

/**
 * BEMA's settings on the command line, shared by every command that fits spectra. Each command
 * states its defaults by the {@link Bema} it builds this mixin with; the settings then flow whole,
 * as one value, to everything that fits.
 */
final class BemaOptions {
    @Option(names = "--alpha", description = "BEMA share ignored at each end of the fit (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--beta", description = "Tracy-Widom tail probability of the edge (default: ${DEFAULT-VALUE}).")
    double beta;

    @Option(names = "--cutoff", description = "Fit error below which a fit is good; when pruning, layers fitting "
            + "worse are left alone and 1 switches the test off (default: ${DEFAULT-VALUE}).")
    double cutoff;

    @Option(names = "--notebook", description = "Reproduce the original notebook's slips (1/in scaling, the /3 "
            + "margin; when pruning, the noise-count off-by-one; in train, ReLU on the output).")
    boolean notebook;

    /** With {@link Bema#create()}'s defaults. */
    BemaOptions() {
        this(Bema.create());
    }

    /** With the defaults of {@code defaults}. */
    BemaOptions(Bema defaults) {
        alpha = defaults.alpha();
        beta = defaults.beta();
        cutoff = defaults.cutoff();
        notebook = defaults.notebookQuirks();
    }

    /** BEMA with these options' alpha, beta, cutoff and notebook slips. */
    Bema bema() {
        return Bema.create().withAlpha(alpha).withBeta(beta).withCutoff(cutoff).withNotebookQuirks(notebook);
    }
}
