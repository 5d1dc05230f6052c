package io.nnrmtsvd.report;

import java.util.List;

/**
 * Layer spectra shown together, e.g. the network at its first prune, with their plots.
 *
 * @param id short name used in figure file names
 * @param title heading in the report
 * @param layers one per table row
 * @param figures the whole spectrum and the bulk of each fitted layer, in layer order
 */
record SpectrumGroup(String id, String title, List<LayerSpectrum> layers, List<Figure> figures) {
    SpectrumGroup {
        layers = List.copyOf(layers);
        figures = List.copyOf(figures);
    }
}
