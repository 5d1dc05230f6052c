package io.nnrmtsvd.io;

import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.Sgd;
import io.nnrmtsvd.nn.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A training state as one safetensors file: the model as {@link ModelFiles} writes it, the
 * momentum buffers as {@code optimizer.{i}.weight_velocity} and {@code optimizer.{i}.bias_velocity},
 * and in {@code __metadata__} the completed epochs, one line per epoch record and the caller's
 * own entries (e.g. the command line that started the run). Written atomically, so an
 * interrupted write leaves the previous checkpoint.
 */
public final class CheckpointFiles {
    /** Metadata key of the number of completed epochs. */
    public static final String EPOCHS_KEY = "completed_epochs";
    /** Metadata key of the epoch records, one comma-separated line each. */
    public static final String RECORDS_KEY = "epoch_records";

    private CheckpointFiles() {
    }

    /** A loaded checkpoint: the state and every metadata entry. */
    public record Checkpoint(TrainingState state, Map<String, String> metadata) {
    }

    /** Writes the state atomically. */
    public static void save(Path file, TrainingState state, Map<String, String> metadata) {
        Network network = state.network();
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(EPOCHS_KEY, Integer.toString(state.completedEpochs()));
        StringBuilder lines = new StringBuilder();
        for (EpochRecord r : state.records()) {
            lines.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%d,%s%n", r.epoch(), r.trainLoss(), r.testLoss(),
                    r.testAccuracy(), r.trainAccuracy(), r.seconds(), r.parameters(), r.widths()));
        }
        meta.put(RECORDS_KEY, lines.toString());
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>(ModelFiles.tensors(network));
        for (int i = 0; i < network.size(); i++) {
            int out = network.layer(i).out();
            int in = network.layer(i).in();
            tensors.add(SafetensorsWriter.Tensor.ofFloats(ModelFiles.OPTIMIZER_PREFIX + i + ".weight_velocity", Dtype.F32,
                    new long[] {out, in}, state.optimizer().weightVelocity()[i]));
            tensors.add(SafetensorsWriter.Tensor.ofFloats(ModelFiles.OPTIMIZER_PREFIX + i + ".bias_velocity", Dtype.F32,
                    new long[] {out}, state.optimizer().biasVelocity()[i]));
        }
        ModelFiles.write(file, network, meta, tensors);
    }

    /**
     * Reads a checkpoint written by {@link #save}.
     *
     * @throws InvalidInputException if the file is not such a checkpoint
     */
    public static Checkpoint load(Path file) {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Map<String, String> meta = st.metadata();
            int epochs = parseEpochs(file, meta.get(EPOCHS_KEY));
            Network network = ModelFiles.load(st);
            float[][] w = new float[network.size()][];
            float[][] b = new float[network.size()][];
            for (int i = 0; i < network.size(); i++) {
                w[i] = velocity(st, ModelFiles.OPTIMIZER_PREFIX + i + ".weight_velocity", (long) network.layer(i).in() * network.layer(i).out());
                b[i] = velocity(st, ModelFiles.OPTIMIZER_PREFIX + i + ".bias_velocity", network.layer(i).out());
            }
            List<EpochRecord> records = parseRecords(file, meta.getOrDefault(RECORDS_KEY, ""));
            if (records.size() != epochs) {
                throw InvalidInputException.inFile(file, "checkpoint says " + epochs + " epochs but holds "
                        + records.size() + " epoch records");
            }
            return new Checkpoint(new TrainingState(epochs, network, new Sgd.State(w, b), records), meta);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] velocity(SafetensorsFile st, String name, long size) {
        boolean present = st.tensors().stream().anyMatch(t -> t.name().equals(name));
        if (!present || st.tensor(name).elementCount() != size) {
            throw InvalidInputException.inFile(st.path(), "not a training checkpoint: " + name
                    + (present ? " has the wrong size" : " is missing"));
        }
        return st.readFloats(name);
    }

    private static int parseEpochs(Path file, String text) {
        try {
            int epochs = Integer.parseInt(text == null ? "" : text);
            if (epochs < 0) {
                throw new NumberFormatException();
            }
            return epochs;
        } catch (NumberFormatException e) {
            throw InvalidInputException.inFile(file, "not a training checkpoint: metadata " + EPOCHS_KEY
                    + " is '" + text + "'");
        }
    }

    private static List<EpochRecord> parseRecords(Path file, String text) {
        List<EpochRecord> records = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            try {
                if (f.length != 8) {
                    throw new NumberFormatException();
                }
                records.add(new EpochRecord(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                        Long.parseLong(f[6]), f[7]));
            } catch (NumberFormatException e) {
                throw InvalidInputException.inFile(file, "bad epoch record in checkpoint: '" + line + "'");
            }
        }
        return records;
    }
}
