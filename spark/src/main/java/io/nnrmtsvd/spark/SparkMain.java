package io.nnrmtsvd.spark;

import io.nnrmtsvd.cli.Main;
import io.nnrmtsvd.hadoop.HadoopFileSystem;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;

/**
 * The {@code rmtsvd} command line with checkpoints analysed, and {@code experiment overfit}'s and
 * {@code experiment paper}'s jobs run, on Spark: {@code spark-submit --class
 * io.nnrmtsvd.spark.SparkMain nn-rmt-svd-spark.jar spectrum CHECKPOINT [options]}, or
 * {@code java ... io.nnrmtsvd.spark.SparkMain --master MASTER spectrum ...} as
 * {@code rmtsvd spectrum --spark MASTER} starts it. Every option means what it means to
 * {@code rmtsvd}; inputs may be Hadoop URIs ({@code hdfs://}, {@code s3a://} with its connector),
 * and the run directory is written on the driver's machine.
 */
public final class SparkMain {
    private SparkMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit code. */
    static int run(String[] args) {
        String master = null;
        String[] rest = args;
        if (args.length >= 2 && args[0].equals("--master")) {
            master = args[1];
            rest = Arrays.copyOfRange(args, 2, args.length);
        }
        SparkConf conf = new SparkConf().setAppName("rmtsvd " + String.join(" ", Arrays.asList(rest).subList(0,
                Math.min(1, rest.length)))).setIfMissing("spark.master", "local[*]");
        if (master != null) {
            conf.setMaster(master);
        }
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            System.err.println("rmtsvd: cannot start Spark on " + conf.get("spark.master") + ": " + e.getMessage());
            return 2;
        }
        try {
            CommandLine cli = Main.commandLine(new SparkTensorEngine(sc), new SparkExperimentEngine(sc));
            cli.registerConverter(Path.class, text -> path(text, sc));
            return cli.execute(rest);
        } finally {
            sc.close();
        }
    }

    /** A local path as it is; a URI of another file system (hdfs://, s3a://, ...) through Hadoop. */
    static Path path(String text, JavaSparkContext sc) {
        int colon = text.indexOf("://");
        String scheme = colon > 0 ? text.substring(0, colon).toLowerCase(Locale.ROOT) : "file";
        if (scheme.equals("file")) {
            return colon > 0 ? Path.of(URI.create(text)) : Path.of(text);
        }
        return HadoopFileSystem.path(text, sc.hadoopConfiguration());
    }
}
