package io.nnrmtsvd.cli;

import io.nnrmtsvd.io.ModelFiles;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.nn.EpochHook;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.Trainer;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.report.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rmtsvd train}: trains a fully connected network with SGD. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a fully connected network on a data set (SPEC section 7 set-up by default).")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--layers", paramLabel = "W,W,...", split = ",",
            description = "Layer widths from input to output (default: 784,1000,10).")
    int[] layers = {784, 1000, 10};

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 10;

    @Option(names = "--lr", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double lr = TrainingConfig.DEFAULT_LEARNING_RATE;

    @Option(names = "--momentum", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum = TrainingConfig.DEFAULT_MOMENTUM;

    @Option(names = "--batch", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch = TrainingConfig.DEFAULT_BATCH_SIZE;

    @Option(names = "--seed", description = "Seed of initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--output-relu",
            description = "Apply ReLU to the output layer too, as the original notebook does.")
    boolean outputRelu;

    @Option(names = "--save", paramLabel = "FILE", description = "Write the trained model to a .safetensors file.")
    Path save;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        TrainingConfig config = new TrainingConfig(epochs, lr, momentum, batch, seed);
        int threads = common.applyThreads();
        LoadedData loaded = data.load();
        Network network = Networks.initialize(layers, outputRelu, loaded, seed);
        if (save != null) {
            OutputFiles.checkWritable(save);
        }
        Progress.log("training " + network.widthsString() + " (" + network.parameterCount()
                + " parameters) on " + loaded.name() + ", " + epochs + " epochs, " + threads
                + " BLAS threads (" + OpenBlas.coreName() + ")");
        List<Map<String, Object>> epochRecords = new ArrayList<>();
        EpochHook printer = new EpochHook() {
            @Override
            public void afterEpoch(EpochRecord r, Network current) {
                epochRecords.add(EpochJson.of(r));
                Progress.log(EpochJson.line(r, epochs));
            }
        };
        Trainer.Result result;
        try (Progress progress = new Progress("train")) {
            result = new Trainer(config, printer, progress).train(network, loaded.train(), loaded.test());
        }
        if (save != null) {
            ModelFiles.save(save, result.network(), Map.of("dataset", loaded.name()));
            Progress.log("saved model to " + save);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("dataset", loaded.name());
            doc.put("layers", result.network().widths());
            doc.put("parameters", result.network().parameterCount());
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("epochs", epochs);
            cfg.put("lr", lr);
            cfg.put("momentum", momentum);
            cfg.put("batch", batch);
            cfg.put("seed", seed);
            cfg.put("output_relu", outputRelu);
            cfg.put("threads", threads);
            doc.put("config", cfg);
            doc.put("epochs", epochRecords);
            doc.put("model", save == null ? null : save.toString());
            out.println(Json.toString(doc, true));
        } else {
            EpochRecord last = result.epochs().isEmpty() ? null : result.epochs().get(result.epochs().size() - 1);
            out.printf("final test accuracy %s, %d parameters%n",
                    last == null ? "n/a" : String.format("%.2f%%", 100 * last.testAccuracy()),
                    result.network().parameterCount());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
