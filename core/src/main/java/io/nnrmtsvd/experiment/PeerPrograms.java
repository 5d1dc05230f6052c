package io.nnrmtsvd.experiment;

import io.nnrmtsvd.io.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The peer programs {@code rmtsvd bench} runs beside its own measurements, in the same run: the
 * Python scripts of the repository's {@code bench/} directory, which the build also packs into
 * this jar. {@code numpy_mlp.py} and {@code torch_mlp.py} train the same MLP as {@code rmtsvd
 * train} (same data, initialisation family, SGD, batch and float32); {@code bema_scipy.py} fits
 * BEMA the way a notebook does. Each prints JSON lines; this class runs them with a thread count
 * and reads what they printed.
 */
public final class PeerPrograms {
    /** The scripts, all in one directory. */
    public static final List<String> SCRIPTS = List.of("mlp_common.py", "numpy_mlp.py", "torch_mlp.py",
            "bema_scipy.py");
    private static final String RESOURCES = "/io/nnrmtsvd/experiment/peers/";

    private final Path directory;
    private final String python;

    private PeerPrograms(Path directory, String python) {
        this.directory = directory;
        this.python = python;
    }

    /**
     * The scripts of {@code directory}, or, when it is {@code null}, the ones packed in this jar,
     * copied to a new temporary directory deleted when the JVM exits.
     *
     * @param python the Python interpreter to run them with, e.g. {@code python3}
     * @throws IOException if a script is missing
     */
    public static PeerPrograms locate(Path directory, String python) throws IOException {
        if (directory != null) {
            for (String script : SCRIPTS) {
                if (!Files.isRegularFile(directory.resolve(script))) {
                    throw new IOException(directory.resolve(script) + " not found");
                }
            }
            return new PeerPrograms(directory, python);
        }
        Path dir = Files.createTempDirectory("rmtsvd-peers-");
        dir.toFile().deleteOnExit();
        for (String script : SCRIPTS) {
            try (InputStream in = PeerPrograms.class.getResourceAsStream(RESOURCES + script)) {
                if (in == null) {
                    throw new IOException("peer script " + script + " is not packed in this build");
                }
                Path target = dir.resolve(script);
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                target.toFile().deleteOnExit();
            }
        }
        return new PeerPrograms(dir, python);
    }

    /** Where the scripts are. */
    public Path directory() {
        return directory;
    }

    /** Whether the interpreter runs and imports {@code module} (e.g. numpy, torch). */
    public boolean canImport(String module) {
        return canImport(python, module);
    }

    /** Whether {@code python} runs and imports {@code module} (a comma-separated list works too). */
    public static boolean canImport(String python, String module) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import " + module).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * One training run of a peer.
     *
     * @param about the peer's first line: library versions, its BLAS and the kernel it chose
     * @param epochSeconds training seconds of each epoch (shuffle and mini-batches, no evaluation)
     * @param epochCpuSeconds process CPU seconds of the same part of each epoch, all threads
     * @param testAccuracy test accuracy after each epoch
     */
    public record TrainingRun(Map<String, Object> about, double[] epochSeconds, double[] epochCpuSeconds,
                              double[] testAccuracy) {
        /** The median of the epochs after the first (the first is a warm-up), or of all if only one. */
        public double medianSeconds() {
            double[] s = epochSeconds.length > 1 ? Arrays.copyOfRange(epochSeconds, 1, epochSeconds.length)
                    : epochSeconds;
            return Benchmarks.median(s);
        }
    }

    /**
     * Runs {@code numpy_mlp.py} or {@code torch_mlp.py}.
     *
     * @param script the script's file name
     * @param mnist the directory of the four MNIST IDX files
     */
    public TrainingRun train(String script, Path mnist, int[] widths, int epochs, int threads)
            throws IOException, InterruptedException {
        String w = Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining(","));
        List<String> lines = run(threads, directory.resolve(script).toString(), mnist.toString(),
                "--epochs", Integer.toString(epochs), "--threads", Integer.toString(threads), "--widths", w);
        Map<String, Object> about = null;
        List<Double> seconds = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> accuracy = new ArrayList<>();
        for (Map<String, Object> record : records(lines, script)) {
            if (record.containsKey("peer")) {
                about = record;
            } else if (record.containsKey("epoch")) {
                seconds.add(((Number) record.get("seconds")).doubleValue());
                cpu.add(record.get("cpu_seconds") instanceof Number n ? n.doubleValue() : Double.NaN);
                accuracy.add(((Number) record.get("test_accuracy")).doubleValue());
            }
        }
        if (about == null || seconds.size() != epochs) {
            throw new IllegalStateException(script + " printed " + seconds.size() + " of " + epochs + " epochs: "
                    + String.join(" | ", lines));
        }
        return new TrainingRun(about, seconds.stream().mapToDouble(Double::doubleValue).toArray(),
                cpu.stream().mapToDouble(Double::doubleValue).toArray(),
                accuracy.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Runs {@code bema_scipy.py} on a {@code .npy} matrix and returns what it printed. */
    public Map<String, Object> bema(Path npy, int threads) throws IOException, InterruptedException {
        List<String> lines = run(threads, directory.resolve("bema_scipy.py").toString(), npy.toString());
        List<Map<String, Object>> records = records(lines, "bema_scipy.py");
        if (records.isEmpty()) {
            throw new IllegalStateException("bema_scipy.py printed no result: " + String.join(" | ", lines));
        }
        return records.get(records.size() - 1);
    }

    private static List<Map<String, Object>> records(List<String> lines, String script) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("{")) {
                out.add(Json.parseObject(line, script + " output"));
            }
        }
        return out;
    }

    private List<String> run(int threads, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(python);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        for (String name : List.of("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")) {
            env.put(name, Integer.toString(threads));
        }
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException(Path.of(args[0]).getFileName() + " failed: " + String.join(" | ", lines));
        }
        return lines;
    }

    /** The machine-readable description of a peer's set-up, for reports. */
    public static Map<String, Object> describe(TrainingRun run) {
        Map<String, Object> m = new LinkedHashMap<>(run.about());
        m.remove("widths");
        m.remove("threads");
        return m;
    }
}
