package io.nnrmtsvd.cli;

import io.nnrmtsvd.data.DataPreparation;
import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.experiment.Benchmarks;
import io.nnrmtsvd.experiment.Machine;
import io.nnrmtsvd.experiment.PeerPrograms;
import io.nnrmtsvd.experiment.SpectrumCost;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.nn.Initialization;
import io.nnrmtsvd.nn.TrainingConfig;
import io.nnrmtsvd.nn.WeightPenalty;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code rmtsvd bench}: speed on this machine, beside the peer programs in the same run
 * ({@link PeerPrograms}), and the machine's bound ({@link Machine}). Run it with OPENBLAS_CORETYPE
 * and OPENBLAS_L2_SIZE unset (they force slower kernels on every side).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure training and spectrum speed (medians after a warm-up, 1 and 2 threads) beside the "
                + "peer programs (numpy and PyTorch MLPs, a SciPy BEMA) in the same run, and the machine's bound.",
        footerHeading = "%nExamples:%n",
        footer = {"  # OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE force slower kernels on every side",
                "  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE rmtsvd bench",
                "  rmtsvd bench train --markdown --rounds 3",
                "  rmtsvd bench spectrum --repeats 5"})
final class BenchCommand implements Callable<Integer> {
    private static final int[] REFERENCE = {784, 1000, 10};
    /** experiment overfit's default network and training set size, for {@code bench recipe}. */
    private static final int[] OVERFIT = {784, 1000, 1000, 10};
    private static final int RECIPE_TRAIN_SIZE = 10_000;
    private static final int SQUARE_SGEMM = 2048;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "WHAT", description = "train, spectrum, layer, paper, all (these four), recipe or metrics (default: ${DEFAULT-VALUE}).")
    String what = "all";

    @Option(names = "--repeats", paramLabel = "N", description = "Measured repetitions after the warm-up (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--rounds", paramLabel = "N", description = "Train every side this many times, in turn (ours, numpy, PyTorch, ours, ...); "
            + "medians over all measured epochs (default: ${DEFAULT-VALUE}).")
    int rounds = 1;

    @Option(names = "--peers", paramLabel = "DIR",
            description = "Directory of the peer programs (default: the copies packed in this jar, from bench/ in the repository).")
    Path peers;

    @Option(names = "--no-peers", description = "Measure our side only.")
    boolean noPeers;

    @Option(names = "--python", paramLabel = "CMD", description = "Python interpreter for the peers (default: ${DEFAULT-VALUE}).")
    String python = "python3";

    @Option(names = "--thread-counts", paramLabel = "N,N,...", split = ",", hideParamSyntax = true, description = "BLAS thread counts to measure (default: 1,2).")
    int[] threadCounts = {1, 2};

    @Option(names = "--paper-seeds", paramLabel = "N",
            description = "Seeds of the experiment paper run that bench paper times (default: ${DEFAULT-VALUE}, its default).")
    int paperSeeds = 1;

    @Mixin
    DataOptions data;

    @Mixin
    CommonOptions common;

    @Option(names = "--markdown", description = "Print the results as Markdown tables (docs/BENCHMARKS.md) instead of JSON.")
    boolean markdown;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!List.of("train", "spectrum", "layer", "paper", "all", "recipe", "metrics").contains(what)) {
            throw new IllegalArgumentException("bench takes train, spectrum, layer, paper, all, recipe or metrics, got '"
                    + what + "'");
        }
        if (repeats < 1 || rounds < 1) {
            throw new IllegalArgumentException("--repeats and --rounds must be at least 1");
        }
        PeerPrograms peerPrograms = noPeers ? null : PeerPrograms.locate(peers, python);
        Map<String, Object> doc = new LinkedHashMap<>();
        Machine machine = Machine.read().measured();
        Map<String, Object> machineDoc = machine(machine);
        doc.put("machine", machineDoc);
        if (System.getenv("OPENBLAS_CORETYPE") != null || System.getenv("OPENBLAS_L2_SIZE") != null) {
            Progress.log("warning: OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are set; they slow every side. Run "
                    + "'env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ./rmtsvd bench' for comparable figures.");
        }
        if (what.equals("train") || what.equals("all")) {
            doc.put("training", training(peerPrograms, machine, machineDoc));
        }
        if (what.equals("spectrum") || what.equals("all")) {
            doc.put("spectrum", spectrum(peerPrograms, machine));
        }
        if (what.equals("layer") || what.equals("all")) {
            doc.put("checkpoint_layer", layer(machine));
        }
        if (what.equals("paper") || what.equals("all")) {
            doc.put("experiment_paper", paper(machine));
        }
        if (what.equals("recipe")) {
            doc.put("recipe", recipe());
        }
        if (what.equals("metrics")) {
            doc.put("heavy_tail_cost", heavyTailCost());
        }
        doc.put("process_peak_rss_mb", peakRssMb());
        PrintWriter out = spec.commandLine().getOut();
        out.println(markdown ? BenchTables.markdown(doc) : Json.toString(doc, true));
        out.flush();
        return ExitCodes.OK;
    }

    private List<Object> training(PeerPrograms peerPrograms, Machine machine, Map<String, Object> machineDoc)
            throws IOException, InterruptedException {
        Dataset loaded = data.load();
        Path idx = io.nnrmtsvd.data.DataDirectory.resolve(data.dataDir).resolve(loaded.name());
        List<String> peerScripts = new ArrayList<>();
        if (peerPrograms != null) {
            if (peerPrograms.canImport("numpy")) {
                peerScripts.add("numpy");
            } else {
                Progress.log("bench: numpy is not installed for " + python + ": the numpy peer is skipped");
            }
            if (peerPrograms.canImport("torch")) {
                peerScripts.add("torch");
            } else {
                Progress.log("bench: PyTorch is not installed for " + python + ": the PyTorch peer is skipped "
                        + "(python3 -m pip install torch installs it)");
            }
        }
        double flops = Benchmarks.trainingFlops(REFERENCE, loaded.train().count(), TrainingConfig.DEFAULT_BATCH_SIZE);
        int span = Benchmarks.medianInputSpan(loaded.train(), TrainingConfig.DEFAULT_BATCH_SIZE, 1);
        List<Object> rows = new ArrayList<>();
        for (int threads : threadCounts) {
            List<Double> ours = new ArrayList<>();
            List<Double> oursCpu = new ArrayList<>();
            Map<String, List<Double>> peerSeconds = new LinkedHashMap<>();
            Map<String, List<Double>> peerCpu = new LinkedHashMap<>();
            Map<String, Double> peerAccuracy = new LinkedHashMap<>();
            double heapPeak = 0;
            for (int round = 1; round <= rounds; round++) {
                Progress.log("bench: training " + widths(REFERENCE) + " with " + threads + " thread(s), "
                        + (repeats + 1) + " epochs" + (rounds > 1 ? ", round " + round + " of " + rounds : ""));
                Benchmarks.TrainingSpeed o = Benchmarks.training(REFERENCE, loaded.train(), loaded.test(), threads,
                        repeats);
                for (int e = 0; e < o.epochSeconds().length; e++) {
                    ours.add(o.epochSeconds()[e]);
                    oursCpu.add(o.epochCpuSeconds()[e]);
                }
                heapPeak = Math.max(heapPeak, o.heapPeakMb());
                for (String peer : peerScripts) {
                    Progress.log("bench: " + peer + "_mlp.py with " + threads + " thread(s)");
                    PeerPrograms.TrainingRun run = peerPrograms.train(peer + "_mlp.py", idx, REFERENCE, repeats + 1,
                            threads);
                    List<Double> list = peerSeconds.computeIfAbsent(peer, k -> new ArrayList<>());
                    List<Double> cpuList = peerCpu.computeIfAbsent(peer, k -> new ArrayList<>());
                    for (int e = 1; e < run.epochSeconds().length; e++) {
                        list.add(run.epochSeconds()[e]);
                        cpuList.add(run.epochCpuSeconds()[e]);
                    }
                    peerAccuracy.put(peer, run.testAccuracy()[run.testAccuracy().length - 1]);
                    machineDoc.putIfAbsent(peer, PeerPrograms.describe(run));
                }
            }
            OpenBlas.setThreads(threads);
            Progress.log("bench: sgemm at " + threads + " thread(s)");
            double sgemm = Benchmarks.sgemmGflops(REFERENCE, threads, 50);
            double square = Benchmarks.squareSgemmGflops(SQUARE_SGEMM, threads, Math.max(2, repeats));
            double seconds = median(ours);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("threads", threads);
            row.put("seconds_per_epoch", seconds);
            row.put("epoch_seconds", ours);
            row.put("images_per_second", loaded.train().count() / seconds);
            row.put("training_gflops", flops / seconds / 1e9);
            row.put("heap_peak_mb", heapPeak);
            double cpu = median(oursCpu);
            row.put("cpu_seconds_per_epoch", cpu);
            double fastest = Double.POSITIVE_INFINITY;
            double fastestCpu = Double.POSITIVE_INFINITY;
            for (Map.Entry<String, List<Double>> e : peerSeconds.entrySet()) {
                double peer = median(e.getValue());
                double peerCpuSeconds = median(peerCpu.get(e.getKey()));
                row.put(e.getKey() + "_seconds_per_epoch", peer);
                row.put(e.getKey() + "_epoch_seconds", e.getValue());
                row.put(e.getKey() + "_cpu_seconds_per_epoch", peerCpuSeconds);
                row.put(e.getKey() + "_test_accuracy", peerAccuracy.get(e.getKey()));
                row.put("speedup_vs_" + e.getKey(), peer / seconds);
                fastest = Math.min(fastest, peer);
                fastestCpu = Math.min(fastestCpu, peerCpuSeconds);
            }
            if (!peerSeconds.isEmpty()) {
                row.put("speedup_vs_faster_peer", fastest / seconds);
                row.put("cpu_ratio_vs_least_cpu_peer", fastestCpu / cpu);
            }
            double peak = machine.peakGflops(threads);
            row.put("peak_gflops", peak);
            row.put("bound_seconds_per_epoch", flops / peak / 1e9);
            row.put("fraction_of_peak", flops / peak / 1e9 / seconds);
            row.put("sgemm_gflops", sgemm);
            row.put("fraction_of_sgemm", flops / seconds / 1e9 / sgemm);
            row.put("square_sgemm_gflops", square);
            row.put("input_features", loaded.features());
            row.put("first_layer_input_features_median", span);
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

    /**
     * What the heavy-tailed metrics add to one checkpoint layer's analysis, on a GPT-2 MLP layer
     * (768 x 3072) and a Llama-2-7B one (4096 x 11008), BF16 values with 16 planted directions.
     */
    private List<Object> heavyTailCost() {
        OpenBlas.setThreads(Runtime.getRuntime().availableProcessors());
        List<Object> rows = new ArrayList<>();
        for (int[] shape : new int[][] {{768, 3072}, {4096, 11008}}) {
            Progress.log("bench: analysis of a " + shape[0] + "x" + shape[1] + " layer, with and without the "
                    + "heavy-tailed metrics, " + (repeats + 1) + " runs");
            float[] layer = Benchmarks.plantedBf16Layer(shape[0], shape[1], 16, 5);
            SpectrumCost c = SpectrumCost.of(layer, shape[0], shape[1], repeats);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("shape", shape[0] + "x" + shape[1]);
            row.put("seconds", c.seconds());
            row.put("heavy_tail_seconds", c.heavyTailSeconds());
            row.put("bema_only_seconds", c.bemaOnlySeconds());
            row.put("ratio", c.ratio());
            rows.add(row);
        }
        return rows;
    }

    private Map<String, Object> spectrum(PeerPrograms peerPrograms, Machine machine)
            throws IOException, InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        double doublePeak = machine.peakGflops(cores) / 2;
        OpenBlas.setThreads(cores);
        Map<String, Object> result = new LinkedHashMap<>();
        for (int[] shape : new int[][] {{1000, 784}, {4096, 4096}}) {
            Progress.log("bench: BEMA " + shape[0] + "x" + shape[1]);
            double[] bema = Benchmarks.bema(shape[0], shape[1], shape[0] > 2000 ? Math.max(1, repeats) : 5 * repeats);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seconds", bema[0]);
            row.put("heap_peak_mb", bema[1]);
            row.put("bound_seconds", sum(Benchmarks.gramEigenvalueFlops(shape[0], shape[1])) / doublePeak / 1e9);
            if (peerPrograms != null && shape[0] == 1000 && peerPrograms.canImport("scipy")) {
                Path npy = Benchmarks.gaussianNpy(shape[0], shape[1], 1);
                try {
                    double[] peer = new double[repeats];
                    for (int i = 0; i < repeats; i++) {
                        Map<String, Object> out = peerPrograms.bema(npy, Runtime.getRuntime().availableProcessors());
                        peer[i] = ((Number) out.get("seconds")).doubleValue();
                    }
                    row.put("bema_scipy_seconds", Benchmarks.median(peer));
                    row.put("speedup_vs_bema_scipy", Benchmarks.median(peer) / bema[0]);
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
        row.put("bound_seconds", sum(Benchmarks.gramEigenvalueFlops(4096, 11008)) / doublePeak / 1e9);
        result.put("eigenvalues_4096x11008", row);
        return result;
    }

    /** The checkpoint route on a 4096 x 11008 BF16 layer with 16 planted directions, against dgesdd. */
    private Map<String, Object> layer(Machine machine) {
        int cores = Runtime.getRuntime().availableProcessors();
        OpenBlas.setThreads(cores);
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
        // ssyrk in float, the eigensolver in double.
        double[] flops = Benchmarks.gramEigenvalueFlops(4096, 11008);
        row.put("bound_seconds", (flops[0] / machine.peakGflops(cores) + flops[1] / (machine.peakGflops(cores) / 2)) / 1e9);
        return row;
    }

    private Map<String, Object> paper(Machine machine) {
        List<String> args = new ArrayList<>(List.of("experiment", "paper", "--no-report"));
        if (paperSeeds != 1) {
            args.addAll(List.of("--seeds", Integer.toString(paperSeeds)));
        }
        Progress.log("bench: rmtsvd " + String.join(" ", args));
        long t = System.nanoTime();
        CommandLine paper = Main.commandLine();
        paper.setOut(new PrintWriter(Writer.nullWriter()));
        int code = paper.execute(args.toArray(new String[0]));
        double seconds = (System.nanoTime() - t) / 1e9;
        // Experiment A: seeds x 2 variants (baseline, prune) x 9 epochs; B: 10 epochs. Every epoch
        // counted at the unpruned network's flops: an upper bound on the work, so a lower bound on the time.
        int epochs = paperSeeds * 2 * 9 + 10;
        int cores = Runtime.getRuntime().availableProcessors();
        double flops = epochs * Benchmarks.trainingFlops(REFERENCE, 60_000, TrainingConfig.DEFAULT_BATCH_SIZE);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("command", "rmtsvd " + String.join(" ", args));
        row.put("exit_code", code);
        row.put("seconds", seconds);
        row.put("epochs_trained", epochs);
        row.put("bound_seconds", flops / machine.peakGflops(cores) / 1e9);
        return row;
    }

    private static Map<String, Object> machine(Machine machine) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", machine.cpu());
        m.put("cpu_family", machine.family());
        m.put("cpu_model", machine.model());
        m.put("cores", machine.cores());
        m.put("clock_mhz_reported", machine.mhz());
        m.put("clock_mhz_measured", machine.busyMhz());
        m.put("float32_flops_per_cycle", machine.flopsPerCycle());
        m.put("flops_per_cycle_from", machine.why());
        m.put("float32_peak_gflops_per_core", machine.peakGflops(1));
        m.put("openblas_core", OpenBlas.coreName());
        m.put("openblas_coretype_env", String.valueOf(System.getenv("OPENBLAS_CORETYPE")));
        m.put("java", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        m.put("date", java.time.Instant.now().toString());
        m.put("load_average_at_start", loadAverage());
        return m;
    }

    /** The 1-minute load average of /proc/loadavg, NaN if unknown: a benchmark on a busy machine says so. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    private static double median(List<Double> values) {
        return Benchmarks.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String widths(int[] widths) {
        return java.util.Arrays.stream(widths).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining("-"));
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
