package io.nnrmtsvd.cli;

import io.nnrmtsvd.rmt.Bema;
import picocli.CommandLine.Option;

/**
 * BEMA's settings on the command line, shared by every command that fits spectra. Each command
 * states its defaults by the {@link Bema} it builds this mixin with; the settings then flow whole,
 * as one value, to everything that fits. The descriptions are those of fitting alone; the commands
 * that prune word --cutoff and --notebook for pruning in HelpTexts.properties.
 */
final class BemaOptions {
    @Option(names = "--alpha", paramLabel = "A",
            description = "Share of the spectrum BEMA ignores at each end of the fit (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--beta", paramLabel = "B",
            description = "Tracy-Widom tail probability of the edge lambda_plus (default: ${DEFAULT-VALUE}).")
    double beta;

    @Option(names = "--cutoff", paramLabel = "E",
            description = "Fit error below which a fit is called good (default: ${DEFAULT-VALUE}).")
    double cutoff;

    @Option(names = "--notebook",
            description = "Fit as the original notebook did: 1/in scaling and the /3 margin of the edge.")
    boolean notebook;

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
