package io.nnrmtsvd.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * A Spark standalone cluster on this machine, on 127.0.0.1: a master and workers started as child
 * JVMs from the Spark jars on this JVM's class path (their main classes ship in spark-core), for
 * tests and for measuring how the work scales. Its executors get this JVM's class path, so they
 * run the very classes the driver does. Closing it stops every process.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Pattern ALIVE = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final List<Process> processes = new ArrayList<>();
    private final String classPath;
    private final int masterPort;

    private LocalCluster(String classPath, int masterPort) {
        this.classPath = classPath;
        this.masterPort = masterPort;
    }

    /**
     * Starts a master and {@code workers} workers of {@code coresPerWorker} cores and
     * {@code workerMemory} (e.g. "1g") each, and waits until all have registered.
     *
     * @param dir where the workers keep their files and every process its log
     */
    public static LocalCluster start(int workers, int coresPerWorker, String workerMemory, Path dir)
            throws IOException, InterruptedException {
        LocalCluster cluster = new LocalCluster(expandedClassPath(), freePort());
        try {
            Path home = Files.createDirectories(dir.resolve("spark-home").resolve("jars")).getParent();
            int webPort = freePort();
            cluster.launch(dir.resolve("master.log"), home, "org.apache.spark.deploy.master.Master", "--host",
                    "127.0.0.1", "--port", String.valueOf(cluster.masterPort), "--webui-port", String.valueOf(webPort));
            for (int i = 0; i < workers; i++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + i));
                cluster.launch(dir.resolve("worker-" + i + ".log"), home, "org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--cores", String.valueOf(coresPerWorker), "--memory", workerMemory,
                        "--webui-port", String.valueOf(freePort()), "--work-dir", work.toString(),
                        cluster.masterUrl());
            }
            cluster.awaitWorkers(webPort, workers);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code spark://127.0.0.1:PORT}. */
    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /**
     * A configuration for an application on this cluster: its master, executors of
     * {@code executorMemory} with one core each, on this JVM's class path, the driver on 127.0.0.1.
     */
    public SparkConf conf(String appName, String executorMemory) {
        return new SparkConf().setAppName(appName).setMaster(masterUrl())
                .set("spark.executor.memory", executorMemory)
                .set("spark.executor.cores", "1")
                .set("spark.executor.extraClassPath", classPath)
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
    }

    private void launch(Path log, Path sparkHome, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(jvmOptions());
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Workers build executors' command lines from SPARK_HOME; ours has an empty jars/ and the class
        // path comes from spark.executor.extraClassPath.
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        processes.add(builder.start());
    }

    private void awaitWorkers(int webPort, int workers) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/json/"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a Spark process of the local cluster exited with code "
                            + p.exitValue() + "; see its log");
                }
            }
            try {
                Matcher m = ALIVE.matcher(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
                if (m.find() && Integer.parseInt(m.group(1)) >= workers) {
                    return;
                }
            } catch (IOException e) {
                // the master's web UI is not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the local cluster's " + workers + " workers did not register within "
                + START_TIMEOUT.toSeconds() + " s");
    }

    /** The JVM options Spark needs on Java 17, as the module's build wrote them into its jar. */
    static List<String> jvmOptions() {
        try (InputStream in = LocalCluster.class.getResourceAsStream("jvm.options")) {
            if (in == null) {
                throw new IllegalStateException("jvm.options is missing from the Spark module's classes");
            }
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * This JVM's class path, with a manifest-only jar (as test runners start JVMs with) replaced by
     * the entries its manifest lists.
     */
    static String expandedClassPath() throws IOException {
        String classPath = System.getProperty("java.class.path");
        String[] entries = classPath.split(java.io.File.pathSeparator);
        if (entries.length != 1 || !entries[0].endsWith(".jar")) {
            return classPath;
        }
        try (JarFile jar = new JarFile(entries[0])) {
            Manifest manifest = jar.getManifest();
            String listed = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (listed == null) {
                return classPath;
            }
            List<String> paths = new ArrayList<>();
            for (String url : listed.trim().split("\\s+")) {
                paths.add(Path.of(URI.create(url).isAbsolute() ? URI.create(url)
                        : Path.of(entries[0]).toUri().resolve(url)).toString());
            }
            return String.join(java.io.File.pathSeparator, paths);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
