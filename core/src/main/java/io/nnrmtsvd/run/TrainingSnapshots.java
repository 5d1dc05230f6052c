package io.nnrmtsvd.run;

import io.nnrmtsvd.codec.EpochRecordJson;
import io.nnrmtsvd.codec.PruneEventJson;
import io.nnrmtsvd.codec.TrainingRunJson;
import io.nnrmtsvd.experiment.PrunedTraining;
import io.nnrmtsvd.experiment.TrainingRunConfig;
import io.nnrmtsvd.experiment.TrainingSnapshot;
import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.SafetensorsFile;
import io.nnrmtsvd.io.SafetensorsWriter;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.nn.EpochRecord;
import io.nnrmtsvd.nn.ModelFiles;
import io.nnrmtsvd.nn.Network;
import io.nnrmtsvd.nn.Sgd;
import io.nnrmtsvd.nn.TrainingState;
import io.nnrmtsvd.prune.PruneEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TrainingSnapshot} as one safetensors file: the network as {@link ModelFiles} writes it,
 * the momentum buffers as {@code optimizer.{i}.weight_velocity} and {@code optimizer.{i}.bias_velocity},
 * and in {@code __metadata__} the format tag {@value #FORMAT}, the run's configuration
 * ({@link TrainingRunJson#config}), the completed epochs, the epoch records and the prune events
 * (with their spectra), each as JSON. Written atomically, so an interrupted write leaves the
 * previous snapshot.
 *
 * <p>Reading trusts nothing: every field is checked, and the snapshot must be consistent with its
 * configuration ({@link TrainingSnapshot}); nothing in it names a file to write.
 */
public final class TrainingSnapshots {
    /** The format tag in the metadata. */
    public static final String FORMAT = "rmtsvd-snapshot/1";
    private static final String FORMAT_KEY = "format";
    private static final String CONFIG_KEY = "config";
    private static final String EPOCHS_KEY = "completed_epochs";
    private static final String RECORDS_KEY = "epoch_records";
    private static final String PRUNES_KEY = "prune_events";
    private static final String THREADS_KEY = "blas_threads";

    private TrainingSnapshots() {
    }

    /** Writes the snapshot atomically. */
    public static void save(Path file, TrainingSnapshot snapshot) {
        TrainingState state = snapshot.state().training();
        Network network = state.network();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT);
        meta.put(CONFIG_KEY, Json.toString(TrainingRunJson.config(snapshot.config()), false));
        meta.put(EPOCHS_KEY, Integer.toString(state.completedEpochs()));
        meta.put(THREADS_KEY, Integer.toString(snapshot.blasThreads()));
        meta.put(RECORDS_KEY, Json.toString(state.records().stream().map(EpochRecordJson::toJson).toList(), false));
        meta.put(PRUNES_KEY, Json.toString(snapshot.state().prunes().stream()
                .map(e -> PruneEventJson.toJson(e, true)).toList(), false));
        List<SafetensorsWriter.Tensor> optimizer = new ArrayList<>();
        for (int i = 0; i < network.size(); i++) {
            int out = network.layer(i).out();
            int in = network.layer(i).in();
            optimizer.add(SafetensorsWriter.Tensor.ofFloats(velocityName(i, "weight"), Dtype.F32,
                    new long[] {out, in}, state.optimizer().weightVelocity()[i]));
            optimizer.add(SafetensorsWriter.Tensor.ofFloats(velocityName(i, "bias"), Dtype.F32,
                    new long[] {out}, state.optimizer().biasVelocity()[i]));
        }
        ModelFiles.save(file, network, meta, optimizer);
    }

    /**
     * Reads and checks a snapshot written by {@link #save}.
     *
     * @throws InvalidInputException naming the file and what is wrong, if it is not such a
     *     snapshot or is not consistent
     */
    public static TrainingSnapshot load(Path file) {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Map<String, String> meta = st.metadata();
            if (!FORMAT.equals(meta.get(FORMAT_KEY))) {
                throw InvalidInputException.inFile(file, "not a training snapshot of this version of rmtsvd"
                        + " (metadata " + FORMAT_KEY + " is not " + FORMAT + "); start the run again");
            }
            TrainingRunConfig config = TrainingRunJson.configFromJson(parse(file, meta, CONFIG_KEY));
            int epochs = parseCount(file, EPOCHS_KEY, meta.get(EPOCHS_KEY));
            int threads = parseCount(file, THREADS_KEY, meta.get(THREADS_KEY));
            Network network = ModelFiles.load(st);
            float[][] w = new float[network.size()][];
            float[][] b = new float[network.size()][];
            for (int i = 0; i < network.size(); i++) {
                w[i] = velocity(st, velocityName(i, "weight"), (long) network.layer(i).in() * network.layer(i).out());
                b[i] = velocity(st, velocityName(i, "bias"), network.layer(i).out());
            }
            List<EpochRecord> records = EpochRecordJson.listFromJson(parse(file, meta, RECORDS_KEY), RECORDS_KEY);
            List<PruneEvent> prunes = PruneEventJson.listFromJson(parse(file, meta, PRUNES_KEY), PRUNES_KEY);
            TrainingState state = new TrainingState(epochs, network, new Sgd.State(w, b), records);
            return new TrainingSnapshot(config, new PrunedTraining.State(state, prunes), threads);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw InvalidInputException.inFile(file, "bad training snapshot: " + e.getMessage());
        } catch (IOException e) {
            throw InvalidInputException.unreadable(file, e);
        }
    }

    private static String velocityName(int layer, String part) {
        return ModelFiles.OPTIMIZER_PREFIX + layer + "." + part + "_velocity";
    }

    private static Object parse(Path file, Map<String, String> meta, String key) {
        String text = meta.get(key);
        if (text == null) {
            throw InvalidInputException.inFile(file, "not a training snapshot: metadata " + key + " is missing");
        }
        return Json.parse(text, file + ": metadata " + key);
    }

    private static float[] velocity(SafetensorsFile st, String name, long size) {
        boolean present = st.contains(name);
        TensorInfo t = present ? st.tensor(name) : null;
        if (t == null || t.elementCount() != size) {
            throw InvalidInputException.inFile(st.path(), "not a training snapshot: " + name
                    + (present ? " has the wrong size" : " is missing"));
        }
        return st.readFloats(name);
    }

    private static int parseCount(Path file, String key, String text) {
        try {
            int count = Integer.parseInt(text == null ? "" : text);
            if (count < 0) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException e) {
            throw InvalidInputException.inFile(file, "not a training snapshot: metadata " + key + " is '"
                    + InvalidInputException.printable(String.valueOf(text)) + "'");
        }
    }
}
