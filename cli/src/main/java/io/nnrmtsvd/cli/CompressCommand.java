package io.nnrmtsvd.cli;

import io.nnrmtsvd.checkpoint.CheckpointCompressor;
import io.nnrmtsvd.checkpoint.CompressedTensor;
import io.nnrmtsvd.checkpoint.FactoredNetworks;
import io.nnrmtsvd.checkpoint.InputKind;
import io.nnrmtsvd.codec.CompressionJson;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.io.FileFormat;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.OutputFiles;
import io.nnrmtsvd.io.Printable;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.nn.DenseLayer;
import io.nnrmtsvd.nn.ModelFiles;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.prune.LayerReport;
import io.nnrmtsvd.prune.NetworkPruner;
import io.nnrmtsvd.prune.PruneAlgorithm;
import io.nnrmtsvd.prune.PruneConfig;
import io.nnrmtsvd.report.LayerParameters;
import io.nnrmtsvd.report.LayerSpectrum;
import io.nnrmtsvd.rmt.Bema;
import io.nnrmtsvd.rmt.FixedRankSelector;
import io.nnrmtsvd.rmt.SpectrumAnalysis;
import io.nnrmtsvd.run.CompressionSpectra;
import io.nnrmtsvd.run.SpectrumSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rmtsvd compress}: prunes a trained model or a checkpoint once and writes the smaller one. */
@Command(name = "compress", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compress a trained model: choose each layer's rank by RMT (BEMA by default) "
                + "and cut it by SVD, splitting layers where that saves parameters.",
        optionListHeading = "%nCompression:%n",
        footerHeading = "%nExamples:%n",
        footer = {"  # Keep only each layer's signal (BEMA); test accuracy before and after",
                "  rmtsvd compress mlp.safetensors --out small.safetensors --keep 0 \\",
                "      --dataset mnist",
                "  # Another program's checkpoint: factored output, other tensors byte for byte",
                "  rmtsvd compress path/to/model/ --out path/to/small/"})
final class CompressCommand implements Callable<Integer> {
    /** A checkpoint layer keeps at least one singular value unless --min-rank says otherwise. */
    private static final int CHECKPOINT_MIN_RANK = 1;

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
            description = "split-truncate, truncate, shrink or random-keep; checkpoints take the first two "
                    + "(default: ${DEFAULT-VALUE}).")
    String alg = "split-truncate";

    @Option(names = "--layers", paramLabel = "I,I,...", split = ",", hideParamSyntax = true,
            description = "Only these layer indices (default: all).")
    int[] layers;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Also report test accuracy before and after on this data set (mnist, fashion-mnist).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where data sets are cached (default: $RMTSVD_DATA if set, else ~/.cache/nn-rmt-svd).")
    Path dataDir;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of random-keep (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--dense", arity = "0..1", paramLabel = "BOOL",
            description = "Checkpoints: write every layer as its same-shape truncation instead of two factors.")
    boolean dense;

    @Mixin
    PruneOptions pruning = new PruneOptions(Bema.create(), "0");

    @Mixin
    ReportOptions report;

    @Mixin
    CheckpointOptions checkpoint;

    @Mixin
    ThreadOptions blas;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        report.check(spec);
        InputKind kind = checkpoint.kindOf(model);
        if (kind == InputKind.CHECKPOINT) {
            return compressCheckpoint();
        }
        if (kind == InputKind.MATRIX) {
            throw FileFormat.detect(model).refusal(model, "a model or checkpoint (a .safetensors file or a "
                    + "directory); 'rmtsvd spectrum' reads single matrices");
        }
        List<String> checkpointOnly = new ArrayList<>(checkpoint.given());
        if (dense) {
            checkpointOnly.add("--dense");
        }
        CheckpointOptions.rejectFor(model, checkpointOnly);
        blas.apply();
        PruneAlgorithm algorithm = PruneAlgorithm.parse(alg);
        OutputFiles.checkWritable(out, List.of(model));
        Network network = ModelFiles.load(model);
        Set<Integer> selected = selectedLayers(network);
        PruneConfig config = pruning.config(algorithm, network.outputSize(), seed);
        if (config.selector() instanceof FixedRankSelector fixed) {
            checkFixedRank(network, selected, fixed.rank());
        }
        Dataset data = dataset == null ? null : Dataset.load(dataset, dataDir, Progress::log);
        Double before = data == null ? null : data.testAccuracy(network);
        NetworkPruner.Result result = new NetworkPruner(config).prune(network, 0, 1, selected::contains);
        Double after = data == null ? null : data.testAccuracy(result.network());
        ModelFiles.save(out, result.network(), Map.of("compressed_from", model.getFileName().toString()));

        Map<String, Object> doc = CompressionJson.model(model, out, config, result.event(),
                data == null ? null : new CompressionJson.Accuracy(data.name(), before, after));
        PrintWriter o = spec.commandLine().getOut();
        if (common.json) {
            o.println(Json.toString(doc, true));
        } else {
            for (LayerReport r : result.event().layers()) {
                o.printf(Locale.ROOT, "layer %d (%dx%d): %s, rank %d, %d -> %d parameters%s%n", r.index(), r.rows(),
                        r.cols(), r.action(), r.rank(), r.parametersBefore(), r.parametersAfter(),
                        r.reason().isEmpty() ? "" : "; " + r.reason());
            }
            o.printf(Locale.ROOT, "%s -> %s, %d -> %d parameters (%.1f%%)%n", result.event().widthsBefore(),
                    result.event().widthsAfter(), result.event().parametersBefore(), result.event().parametersAfter(),
                    100.0 * result.event().parametersAfter() / result.event().parametersBefore());
            printAccuracy(o, data, before, after);
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

    /** {@code compress} on a checkpoint of another program (or an rmtsvd model with --checkpoint). */
    private int compressCheckpoint() throws IOException {
        blas.apply();
        PruneAlgorithm algorithm = PruneAlgorithm.parse(alg);
        if (algorithm != PruneAlgorithm.SPLIT_TRUNCATE && algorithm != PruneAlgorithm.TRUNCATE) {
            throw new IllegalArgumentException("--alg " + alg + ": checkpoints take split-truncate or truncate");
        }
        if (layers != null) {
            throw new IllegalArgumentException("--layers: for rmtsvd models; choose checkpoint tensors with --include");
        }
        checkpoint.checkPlot(report.enabled());
        boolean truncateOnly = dense || algorithm == PruneAlgorithm.TRUNCATE;
        PruneConfig config = pruning.config(algorithm, CHECKPOINT_MIN_RANK, seed);
        CheckpointCompressor compressor = new CheckpointCompressor(config, truncateOnly, checkpoint.selection());
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(model)) {
            Optional<Network> original = FactoredNetworks.model(ck);
            if (dataset != null && original.isEmpty()) {
                throw new IllegalArgumentException("--dataset: only for checkpoints of rmtsvd models "
                        + "(layers.{i}.weight), not " + model);
            }
            Dataset data = dataset == null ? null : Dataset.load(dataset, dataDir, Progress::log);
            Double before = data == null ? null : data.testAccuracy(original.orElseThrow());
            CheckpointCompressor.Result result;
            CompressionSpectra spectra;
            try (Progress analysing = new Progress("analyse"); Progress writing = new Progress("write")) {
                CheckpointCompressor.Listener progress = new CheckpointCompressor.Listener() {
                    @Override
                    public void analysed(CompressedTensor tensor, SpectrumAnalysis analysis, int done, int total) {
                        analysing.itemsDone(done, total);
                    }

                    @Override
                    public void written(String name, int done, int total) {
                        writing.itemsDone(done, total);
                    }
                };
                spectra = report.enabled() ? new CompressionSpectra(report.directory(spec).path(), progress) : null;
                result = compressor.compress(ck, out, spectra == null ? progress : spectra);
            }
            Double after = null;
            if (data != null) {
                try (ShardedCheckpoint written = ShardedCheckpoint.open(out)) {
                    after = data.testAccuracy(FactoredNetworks.load(written));
                }
            }
            Map<String, Object> doc = CompressionJson.checkpoint(model, out, truncateOnly, config, result,
                    data == null ? null : new CompressionJson.Accuracy(data.name(), before, after));
            PrintWriter o = spec.commandLine().getOut();
            if (common.json) {
                o.println(Json.toString(doc, true));
            } else {
                printCheckpoint(o, result);
                printAccuracy(o, data, before, after);
                o.println("wrote " + out);
            }
            o.flush();
            if (spectra != null) {
                report.write(spec, report.metrics(spec, null, doc)
                        .spectrumSummary(SpectrumSummary.of(spectra.rows()).toJson())
                        .tensors("Tensors of " + model.getFileName(), spectra.rows(), checkpoint.plotGlobs()));
            }
        }
        return ExitCodes.OK;
    }

    private static void printCheckpoint(PrintWriter o, CheckpointCompressor.Result result) {
        for (CompressedTensor r : result.byName()) {
            String shape = Arrays.toString(r.tensor().shape()).replace(" ", "");
            String head = Printable.name(r.tensor().name()) + " " + shape + " " + r.tensor().dtype() + ": "
                    + r.action().label();
            if (r.action() == CompressedTensor.Action.FACTORED || r.action() == CompressedTensor.Action.TRUNCATED) {
                o.printf(Locale.ROOT, "%s, rank %d of %d (signal %d), %d -> %d parameters, %d -> %d bytes, "
                                + "energy kept %.4f, relative error %.4f%n", head, r.rank(),
                        Math.min(r.tensor().shape()[0], r.tensor().shape()[1]), r.signal(), r.parametersBefore(),
                        r.parametersAfter(), r.bytesBefore(), r.bytesAfter(), r.energyKept(), r.relativeError());
            } else {
                o.println(head + "; " + r.reason());
            }
        }
        o.printf(Locale.ROOT, "parameters %d -> %d (%.1f%%), tensor bytes %d -> %d, file bytes %d -> %d%n",
                result.parametersBefore(), result.parametersAfter(),
                100.0 * result.parametersAfter() / Math.max(1, result.parametersBefore()),
                result.tensorBytesBefore(), result.tensorBytesAfter(), result.fileBytesBefore(),
                result.fileBytesAfter());
    }

    private static void printAccuracy(PrintWriter o, Dataset data, Double before, Double after) {
        if (data != null) {
            o.printf(Locale.ROOT, "test accuracy on %s: %.2f%% before, %.2f%% after%n", data.name(), 100 * before,
                    100 * after);
        }
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
}
