package io.nnrmtsvd.cli;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.ModelFiles;
import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.Evaluation;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.prune.LayerReport;
import io.nnrmtsvd.prune.NetworkPruner;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.report.Json;
import io.nnrmtsvd.report.LayerParameters;
import io.nnrmtsvd.report.LayerSpectrum;
import io.nnrmtsvd.rmt.FixedRankSelector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rmtsvd compress}: prunes a trained model once and writes the smaller model. */
@Command(name = "compress", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compress a trained model: choose each layer's rank by RMT (BEMA by default) "
                + "and cut it by SVD, splitting layers where that saves parameters.")
final class CompressCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A model .safetensors file written by rmtsvd train, or a "
            + "checkpoint (a .safetensors file of another program, or a sharded directory): its NAME.weight "
            + "layers become NAME.down.weight and NAME.up.weight where that saves space.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Where to write the compressed model (a new directory for a checkpoint directory).")
    Path out;

    @Option(names = "--alg", paramLabel = "ALG",
            description = "split-truncate (default), truncate, shrink or random-keep.")
    String alg = "split-truncate";

    @Option(names = "--layers", paramLabel = "I,I,...", split = ",",
            description = "Only these layer indices (default: all).")
    int[] layers;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Also report test accuracy before and after on this data set (mnist, fashion-mnist).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data cache directory.")
    Path dataDir;

    @Option(names = "--seed", description = "Seed of random-keep (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--dense", arity = "0..1", paramLabel = "BOOL",
            description = "Checkpoints: write every layer as its same-shape truncation instead of two factors.")
    boolean dense;

    @Mixin
    PruneOptions pruning;

    @Mixin
    ReportOptions report;

    @Mixin
    CheckpointOptions checkpoint;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        report.check();
        if (checkpoint.appliesTo(model)) {
            return CheckpointRuns.compress(this);
        }
        List<String> checkpointOnly = new ArrayList<>(checkpoint.given());
        if (dense) {
            checkpointOnly.add("--dense");
        }
        CheckpointOptions.rejectFor(model, checkpointOnly);
        common.applyThreads();
        PruneAlgorithm algorithm = PruneAlgorithm.parse(alg);
        OutputFiles.checkWritable(out);
        Network network = ModelFiles.load(model);
        Set<Integer> selected = selectedLayers(network);
        PruneConfig config = pruning.config(algorithm, "0", network.outputSize(), seed);
        if (config.selector() instanceof FixedRankSelector fixed) {
            checkFixedRank(network, selected, fixed.rank());
        }
        LoadedData data = dataset == null ? null : DataOptions.load(dataset, dataDir);
        Double before = data == null ? null : accuracy(network, data);
        NetworkPruner.Result result = new NetworkPruner(config).prune(network, 0, 1, selected::contains);
        Double after = data == null ? null : accuracy(result.network(), data);
        ModelFiles.save(out, result.network(), Map.of("compressed_from", model.getFileName().toString()));

        PrintWriter o = spec.commandLine().getOut();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", model.toString());
        doc.put("out", out.toString());
        doc.put("algorithm", algorithm.cliName());
        doc.put("widths_before", result.event().widthsBefore());
        doc.put("widths_after", result.event().widthsAfter());
        doc.put("parameters_before", result.event().parametersBefore());
        doc.put("parameters_after", result.event().parametersAfter());
        List<Object> rows = new ArrayList<>();
        result.event().layers().forEach(r -> rows.add(PruneJson.of(r)));
        doc.put("layers", rows);
        if (data != null) {
            doc.put("dataset", data.name());
            doc.put("test_accuracy_before", before);
            doc.put("test_accuracy_after", after);
        }
        if (common.json) {
            o.println(Json.toString(doc, true));
        } else {
            for (LayerReport r : result.event().layers()) {
                o.printf(Locale.ROOT, "layer %d (%dx%d): %s, rank %d, %d -> %d parameters%s%n", r.index(), r.rows(),
                        r.cols(), r.action(), r.rank(), r.parametersBefore(), r.parametersAfter(),
                        r.reason().isEmpty() ? "" : " (" + r.reason() + ")");
            }
            o.printf(Locale.ROOT, "%s -> %s, %d -> %d parameters (%.1f%%)%n", result.event().widthsBefore(),
                    result.event().widthsAfter(), result.event().parametersBefore(), result.event().parametersAfter(),
                    100.0 * result.event().parametersAfter() / result.event().parametersBefore());
            if (data != null) {
                o.printf(Locale.ROOT, "test accuracy on %s: %.2f%% before, %.2f%% after%n", data.name(),
                        100 * before, 100 * after);
            }
            o.println("wrote " + out);
        }
        o.flush();
        if (report.enabled()) {
            report.write(spec, report.metrics(spec, seed, doc)
                    .spectra("Layers of " + model.getFileName() + " (" + result.event().widthsBefore() + ")",
                            result.event().layers().stream().map(LayerSpectrum::of).toList())
                    .parameters(LayerParameters.of(result.event())));
        }
        return ExitCodes.OK;
    }

    private Set<Integer> selectedLayers(Network network) {
        Set<Integer> selected = new HashSet<>();
        if (layers == null) {
            for (int i = 0; i < network.size(); i++) {
                selected.add(i);
            }
            return selected;
        }
        for (int i : layers) {
            if (i < 0 || i >= network.size()) {
                throw new InvalidInputException("--layers " + i + ": the model has layers 0.." + (network.size() - 1));
            }
            selected.add(i);
        }
        return selected;
    }

    private static void checkFixedRank(Network network, Set<Integer> selected, int rank) {
        for (int i : selected) {
            DenseLayer layer = network.layer(i);
            int p = Math.min(layer.in(), layer.out());
            if (rank > p) {
                throw new InvalidInputException("rank " + rank + " is larger than layer " + i + " ("
                        + layer.out() + "x" + layer.in() + ") allows: at most " + p);
            }
        }
    }

    static double accuracy(Network network, LoadedData data) {
        if (network.inputSize() != data.test().features() || network.outputSize() != data.classes()) {
            throw new InvalidInputException("the model takes " + network.inputSize() + " inputs and gives "
                    + network.outputSize() + " classes, but " + data.name() + " has " + data.test().features()
                    + " inputs and " + data.classes() + " classes");
        }
        return Evaluation.of(network, data.test()).accuracy();
    }
}
