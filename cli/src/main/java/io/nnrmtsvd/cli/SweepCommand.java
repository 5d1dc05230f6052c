package io.nnrmtsvd.cli;

import io.nnrmtsvd.codec.SweepJson;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.experiment.RankSweep;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.nn.ModelFiles;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.report.LayerSpectrum;
import io.nnrmtsvd.rmt.BemaFit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rmtsvd sweep}: test accuracy with one layer truncated to each of several ranks. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Test accuracy with one layer truncated to each rank, beside BEMA's predicted rank "
                + "(the paper's Experiment B).",
        footerHeading = "%nExamples:%n",
        footer = {"  # Layer 0 truncated to ranks 0, 5, ..., 95, beside BEMA's predicted rank",
                "  rmtsvd sweep mlp.safetensors --layer 0 --ranks 0:100:5"})
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A model .safetensors file written by rmtsvd train.")
    Path model;

    @Option(names = "--layer", paramLabel = "I", description = "Layer index (default: ${DEFAULT-VALUE}).")
    int layer = 0;

    @Option(names = "--ranks", paramLabel = "FROM:TO:STEP",
            description = "Ranks, as Python's range (TO excluded) or a list (default: ${DEFAULT-VALUE}).")
    String ranks = "0:100:5";

    @Mixin
    DataOptions data;

    /** The predicted rank is the notebook's: BEMA with alpha 0.25 unless --alpha says otherwise. */
    @Mixin
    BemaOptions fit = new BemaOptions(RankSweep.PREDICTED_RANK);

    @Mixin
    ReportOptions report;

    @Mixin
    ThreadOptions blas;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        report.check(spec);
        blas.apply();
        int[] ks = RankSweep.parseRanks(ranks);
        Network network = ModelFiles.load(model);
        if (layer < 0 || layer >= network.size()) {
            throw new IllegalArgumentException("--layer " + layer + ": the model has layers 0.." + (network.size() - 1));
        }
        Dataset loaded = data.load();
        double full;
        BemaFit predicted;
        List<RankSweep.Point> points;
        try (Progress progress = new Progress("sweep ranks")) {
            progress.itemsDone(0, ks.length);
            progress.note("testing the full model");
            full = loaded.testAccuracy(network);
            progress.note("fitting layer " + layer);
            predicted = RankSweep.predictedRank(network, layer, fit.bema());
            progress.note("");
            points = RankSweep.run(network, layer, ks, loaded.test(), i -> progress.itemsDone(i + 1, ks.length));
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> doc = SweepJson.document(model, loaded.name(), layer, network.layer(layer).out(),
                network.layer(layer).in(), full, predicted, points);
        if (common.json) {
            out.println(Json.toString(doc, true));
        } else {
            out.printf(Locale.ROOT, "layer %d (%dx%d): BEMA predicted rank %d (alpha %.2f, fit error %.4f); "
                            + "full model %.2f%%%n", layer, network.layer(layer).out(), network.layer(layer).in(),
                    predicted.spikes(), predicted.alpha(), predicted.fitError(), 100 * full);
            out.println("  rank  test accuracy");
            for (RankSweep.Point p : points) {
                out.printf(Locale.ROOT, "%6d  %6.2f%%%n", p.rank(), 100 * p.accuracy());
            }
        }
        out.flush();
        if (report.enabled()) {
            String name = "layer " + layer;
            int outputs = network.layer(layer).out();
            int inputs = network.layer(layer).in();
            report.write(spec, report.metrics(spec, null, doc)
                    .rankSweep(name, ks, points.stream().mapToDouble(RankSweep.Point::accuracy).toArray(),
                            predicted.spikes(), full)
                    .spectra("Spectrum of " + name + " (" + outputs + "x" + inputs + "), BEMA alpha "
                                    + predicted.alpha(),
                            List.of(LayerSpectrum.of(name, outputs, inputs, predicted,
                                    Map.of("predicted", predicted.spikes()), ""))));
        }
        return ExitCodes.OK;
    }
}
