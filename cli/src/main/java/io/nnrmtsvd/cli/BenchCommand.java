package io.nnrmtsvd.cli;

import io.nnrmtsvd.data.DataPreparation;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.experiment.Benchmarks;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.nn.Initialization;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.nn.WeightPenalty;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code rmtsvd bench}: speed on this machine, beside the peer programs in the same run. Run it
 * with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (they force slower kernels on every side).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure training and spectrum speed (medians after a warm-up, 1 and 2 threads) "
                + "and run the peer programs (numpy MLP, notebook-style BEMA) in the same run.",
        footerHeading = "%nExamples:%n",
        footer = {"  # OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE force slower kernels on every side",
                "  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE rmtsvd bench",
                "  rmtsvd bench spectrum --repeats 5"})
final class BenchCommand implements Callable<Integer> {
    private static final Pattern NUMPY_EPOCH = Pattern.compile("epoch (\\d+): ([0-9.]+) s, (\\d+) images/s.*");
    private static final int[] REFERENCE = {784, 1000, 10};
    /** experiment overfit's default network and training set size, for {@code bench recipe}. */
    private static final int[] OVERFIT = {784, 1000, 1000, 10};
    private static final int RECIPE_TRAIN_SIZE = 10_000;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "WHAT", description = "train, spectrum, layer, paper, all (these four) or recipe (default: ${DEFAULT-VALUE}).")
    String what = "all";

    @Option(names = "--repeats", paramLabel = "N", description = "Measured repetitions after the warm-up (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--peers", paramLabel = "DIR",
            description = "Directory of numpy_mlp.py and seed_bema.py (default: ../shared/bench if present).")
    Path peers;

    @Option(names = "--thread-counts", paramLabel = "N,N,...", split = ",", hideParamSyntax = true, description = "BLAS thread counts to measure (default: 1,2).")
    int[] threadCounts = {1, 2};

    @Mixin
    DataOptions data;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!List.of("train", "spectrum", "layer", "paper", "all", "recipe").contains(what)) {
            throw new IllegalArgumentException("bench takes train, spectrum, layer, paper, all or recipe, got '" + what
                    + "'");
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats must be at least 1");
        }
        Path peerDir = peers != null ? peers : Path.of("..", "shared", "bench");
        boolean havePeers = Files.isRegularFile(peerDir.resolve("numpy_mlp.py"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", machine());
        if (System.getenv("OPENBLAS_CORETYPE") != null || System.getenv("OPENBLAS_L2_SIZE") != null) {
            Progress.log("warning: OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are set; they slow every side. Run "
                    + "'env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ./rmtsvd bench' for comparable figures.");
        }
        if (what.equals("train") || what.equals("all")) {
            doc.put("training", training(havePeers ? peerDir : null));
        }
        if (what.equals("spectrum") || what.equals("all")) {
            doc.put("spectrum", spectrum(havePeers ? peerDir : null));
        }
        if (what.equals("layer") || what.equals("all")) {
            doc.put("checkpoint_layer", layer());
        }
        if (what.equals("paper") || what.equals("all")) {
            doc.put("experiment_paper", paper());
        }
        if (what.equals("recipe")) {
            doc.put("recipe", recipe());
        }
        doc.put("process_peak_rss_mb", peakRssMb());
        PrintWriter out = spec.commandLine().getOut();
        out.println(Json.toString(doc, true));
        out.flush();
        return ExitCodes.OK;
    }

    private List<Object> training(Path peerDir) throws IOException, InterruptedException {
        Dataset loaded = data.load();
        List<Object> rows = new ArrayList<>();
        for (int threads : threadCounts) {
            Progress.log("bench: training 784-1000-10 with " + threads + " thread(s), " + (repeats + 1) + " epochs");
            Benchmarks.TrainingSpeed ours = Benchmarks.training(REFERENCE, loaded.train(), loaded.test(), threads, repeats);
            double sgemm = Benchmarks.sgemmGflops(REFERENCE, threads, 50);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("threads", threads);
            row.put("seconds_per_epoch", ours.secondsPerEpoch());
            row.put("images_per_second", ours.imagesPerSecond());
            row.put("training_gflops", ours.gflops());
            row.put("sgemm_gflops", sgemm);
            row.put("fraction_of_sgemm", ours.gflops() / sgemm);
            row.put("heap_peak_mb", ours.heapPeakMb());
            if (peerDir != null) {
                Progress.log("bench: numpy_mlp.py with " + threads + " thread(s)");
                double numpy = numpySecondsPerEpoch(peerDir, threads);
                row.put("numpy_seconds_per_epoch", numpy);
                row.put("numpy_images_per_second", 60000 / numpy);
                row.put("speedup_vs_numpy", numpy / ours.secondsPerEpoch());
            }
            rows.add(row);
            Progress.log(Json.toString(row, false));
        }
        OpenBlas.setThreads(Runtime.getRuntime().availableProcessors());
        return rows;
    }

    /**
     * The follow-up recipe's cost per training epoch beside plain training, alternating in one run,
     * on experiment overfit's default regime: 784-1000-1000-10, 10,000 training images, lr 0.02.
     */
    private List<Object> recipe() {
        Dataset whole = data.load();
        Dataset plain = new DataPreparation(RECIPE_TRAIN_SIZE, 1, false).apply(whole);
        Dataset normalized = new DataPreparation(RECIPE_TRAIN_SIZE, 1, true).apply(whole);
        TrainingConfig recipe = new TrainingConfig(1, 0.02, TrainingConfig.DEFAULT_MOMENTUM,
                TrainingConfig.DEFAULT_BATCH_SIZE, 1, false, TrainingConfig.FOLLOW_UP_DECAY,
                new WeightPenalty(WeightPenalty.FOLLOW_UP, WeightPenalty.FOLLOW_UP));
        List<Object> rows = new ArrayList<>();
        for (int threads : threadCounts) {
            Progress.log("bench: recipe vs plain training of " + java.util.Arrays.toString(OVERFIT) + " on "
                    + RECIPE_TRAIN_SIZE + " " + whole.name() + " images, " + threads + " thread(s), " + (repeats + 1)
                    + " pairs of epochs");
            Benchmarks.RecipeCost c = Benchmarks.recipe(OVERFIT, plain.train(), normalized.train(), plain.test(),
                    recipe, Initialization.NORMAL, threads, repeats);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("threads", threads);
            row.put("plain_seconds_per_epoch", c.plainSeconds());
            row.put("recipe_seconds_per_epoch", c.recipeSeconds());
            row.put("ratio", c.ratio());
            row.put("plain_cpu_seconds_per_epoch", c.plainCpuSeconds());
            row.put("recipe_cpu_seconds_per_epoch", c.recipeCpuSeconds());
            row.put("cpu_ratio", c.cpuRatio());
            row.put("pairs", c.pairs());
            rows.add(row);
            Progress.log(Json.toString(row, false));
        }
        OpenBlas.setThreads(Runtime.getRuntime().availableProcessors());
        return rows;
    }

    private double numpySecondsPerEpoch(Path peerDir, int threads) throws IOException, InterruptedException {
        Path mnist = io.nnrmtsvd.data.DataDirectory.resolve(data.dataDir).resolve("mnist");
        List<String> lines = runPeer(List.of("python3", peerDir.resolve("numpy_mlp.py").toString(), mnist.toString(),
                Integer.toString(repeats + 1)), threads);
        List<Double> seconds = new ArrayList<>();
        for (String line : lines) {
            Matcher m = NUMPY_EPOCH.matcher(line.strip());
            if (m.matches() && Integer.parseInt(m.group(1)) > 1) {
                seconds.add(Double.parseDouble(m.group(2)));
            }
        }
        if (seconds.isEmpty()) {
            throw new IllegalStateException("numpy_mlp.py printed no epoch timings: " + lines);
        }
        return Benchmarks.median(seconds.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private Map<String, Object> spectrum(Path peerDir) throws IOException, InterruptedException {
        OpenBlas.setThreads(Runtime.getRuntime().availableProcessors());
        Map<String, Object> result = new LinkedHashMap<>();
        for (int[] shape : new int[][] {{1000, 784}, {4096, 4096}}) {
            Progress.log("bench: BEMA " + shape[0] + "x" + shape[1]);
            double[] bema = Benchmarks.bema(shape[0], shape[1], shape[0] > 2000 ? Math.max(1, repeats) : 5 * repeats);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seconds", bema[0]);
            row.put("heap_peak_mb", bema[1]);
            if (peerDir != null && shape[0] == 1000) {
                Path npy = Benchmarks.gaussianNpy(shape[0], shape[1], 1);
                try {
                    double[] peer = new double[repeats];
                    for (int i = 0; i < repeats; i++) {
                        List<String> out = runPeer(List.of("python3", peerDir.resolve("seed_bema.py").toString(),
                                npy.toString()), Runtime.getRuntime().availableProcessors());
                        Matcher m = Pattern.compile("\"seconds\": ([0-9.eE+-]+)").matcher(String.join("\n", out));
                        if (!m.find()) {
                            throw new IllegalStateException("seed_bema.py printed no timing: " + out);
                        }
                        peer[i] = Double.parseDouble(m.group(1));
                    }
                    row.put("seed_bema_seconds", Benchmarks.median(peer));
                    row.put("speedup_vs_seed_bema", Benchmarks.median(peer) / bema[0]);
                } finally {
                    Files.deleteIfExists(npy);
                }
            }
            result.put("bema_" + shape[0] + "x" + shape[1], row);
        }
        Progress.log("bench: eigenvalues 4096x11008");
        double[] eig = Benchmarks.eigenvalues(4096, 11008);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("seconds", eig[0]);
        row.put("heap_peak_mb", eig[1]);
        result.put("eigenvalues_4096x11008", row);
        return result;
    }

    /** The checkpoint route on a 4096 x 11008 BF16 layer with 16 planted directions, against dgesdd. */
    private Map<String, Object> layer() {
        OpenBlas.setThreads(Runtime.getRuntime().availableProcessors());
        Progress.log("bench: checkpoint layer 4096x11008 (the route, then dgesdd in double for reference)");
        Benchmarks.LayerRoute r = Benchmarks.layerRoute(4096, 11008, 16, repeats);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("threads", OpenBlas.threads());
        row.put("seconds", r.seconds());
        row.put("dgesdd_seconds", r.referenceSeconds());
        row.put("largest_relative_error", r.largestRelativeError());
        row.put("median_relative_error", r.medianRelativeError());
        row.put("spikes", r.spikes());
        row.put("dgesdd_spikes", r.referenceSpikes());
        return row;
    }

    private Map<String, Object> paper() {
        Progress.log("bench: experiment paper with defaults");
        long t = System.nanoTime();
        CommandLine paper = Main.commandLine();
        paper.setOut(new PrintWriter(Writer.nullWriter()));
        int code = paper.execute("experiment", "paper", "--no-report");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("exit_code", code);
        row.put("seconds", (System.nanoTime() - t) / 1e9);
        return row;
    }

    private static List<String> runPeer(List<String> command, int threads) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command.get(1) + " failed: " + String.join(" | ", lines));
        }
        return lines;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("openblas_core", OpenBlas.coreName());
        m.put("openblas_coretype_env", String.valueOf(System.getenv("OPENBLAS_CORETYPE")));
        m.put("java", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        m.put("cpu", cpuModel());
        return m;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
