package io.nnrmtsvd.cli;

import io.nnrmtsvd.io.InvalidInputException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --spark MASTER}: the same command, run by the Spark module's main class in a child JVM
 * with the module's class path and the JVM options Spark needs on Java 17, all three written by
 * the module's build into {@code spark/target/launch/} ({@value #LAUNCH_DIR_ENV} names another
 * directory): the command line does not depend on the module. The child inherits the terminal;
 * its exit code is ours.
 */
final class SparkSubmission {
    /** Environment variable naming the directory of classpath.txt and jvm.options. */
    static final String LAUNCH_DIR_ENV = "RMTSVD_SPARK_LAUNCH";
    /** System property naming it, before the environment variable. */
    static final String LAUNCH_DIR_PROPERTY = "rmtsvd.spark.launch";

    private SparkSubmission() {
    }

    static int run(CommandSpec spec, String master) throws IOException, InterruptedException {
        Path launch = launchDirectory();
        Path classpath = launch.resolve("classpath.txt");
        Path options = launch.resolve("jvm.options");
        Path mainClass = launch.resolve("main-class.txt");
        if (!Files.isRegularFile(classpath) || !Files.isRegularFile(options) || !Files.isRegularFile(mainClass)) {
            throw new InvalidInputException("--spark needs the Spark module, which is not built: run 'mvn -B -ntp "
                    + "-q package -DskipTests' in the repository (or set " + LAUNCH_DIR_ENV + ")");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : Files.readString(options, StandardCharsets.UTF_8).split("\\s+")) {
            if (!o.isBlank()) {
                command.add(o);
            }
        }
        command.add("-cp");
        command.add(Files.readString(classpath, StandardCharsets.UTF_8).strip());
        command.add(Files.readString(mainClass, StandardCharsets.UTF_8).strip());
        command.add("--master");
        command.add(master);
        command.addAll(withoutSpark(spec.commandLine().getParseResult().originalArgs())); // from "spectrum" on
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        if (master.startsWith("local") && !builder.environment().containsKey("SPARK_LOCAL_IP")) {
            builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // all in this JVM: no network address
        }
        Process child = builder.start();
        try {
            return child.waitFor();
        } finally {
            child.destroy(); // interrupted: the child goes with us
        }
    }

    /** The arguments without {@code --spark MASTER} (or {@code --spark=MASTER}). */
    static List<String> withoutSpark(List<String> args) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--spark")) {
                i++;
            } else if (!args.get(i).startsWith("--spark=")) {
                kept.add(args.get(i));
            }
        }
        return kept;
    }

    /**
     * The environment's choice ({@value #LAUNCH_DIR_ENV}, or the system property
     * {@value #LAUNCH_DIR_PROPERTY}), else spark/target/launch of the repository this jar was built in.
     */
    private static Path launchDirectory() {
        String chosen = System.getProperty(LAUNCH_DIR_PROPERTY, System.getenv(LAUNCH_DIR_ENV));
        if (chosen != null && !chosen.isBlank()) {
            return Path.of(chosen);
        }
        try {
            Path jar = Path.of(SparkSubmission.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // cli/target/rmtsvd.jar or cli/target/classes -> the repository
            return jar.getParent().getParent().getParent().resolve("spark").resolve("target").resolve("launch");
        } catch (URISyntaxException | NullPointerException e) {
            throw new InvalidInputException("--spark: cannot tell where rmtsvd is installed; set " + LAUNCH_DIR_ENV);
        }
    }
}
