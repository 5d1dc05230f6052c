package io.nnrmtsvd.run;

import io.nnrmtsvd.io.InvalidInputException;
import io.nnrmtsvd.io.NpyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The spectrum of each tensor a checkpoint run analysed, kept in its run directory so that
 * {@code rmtsvd report DIR} can draw it again: the raw eigenvalues s_i^2 of W (WeightWatcher's
 * units, ascending) as a 1-D float64 {@code .npy} file under {@value #DIRECTORY}/. A row names
 * its file under the key {@value #ROW_KEY}.
 */
public final class EigenvalueFiles {
    /** The directory inside the run directory. */
    public static final String DIRECTORY = "eigenvalues";
    /** The row key of the file's path relative to the run directory. */
    public static final String ROW_KEY = "eigenvalues_file";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private EigenvalueFiles() {
    }

    /**
     * The file of tensor {@code name}, relative to the run directory: the name itself when it is
     * short and of safe characters (and does not start with a dot), else its safe characters
     * followed by a checksum of the whole name, so that distinct names get distinct files.
     */
    public static String relativePath(String name) {
        if (SAFE.matcher(name).matches() && !name.startsWith(".")) {
            return DIRECTORY + "/" + name + ".npy";
        }
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^\\.", "_");
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return DIRECTORY + "/" + safe.substring(0, Math.min(safe.length(), 80))
                + String.format(Locale.ROOT, "-%08x.npy", crc.getValue());
    }

    /** Writes the eigenvalues of tensor {@code name} into {@code runDir}; returns the relative path. */
    public static String write(Path runDir, String name, double[] rawEigenvalues) throws IOException {
        String relative = relativePath(name);
        Path file = runDir.resolve(relative);
        Files.createDirectories(file.getParent());
        NpyFiles.writeFloat64(file, rawEigenvalues);
        return relative;
    }

    /**
     * Reads the eigenvalues a row names.
     *
     * @throws InvalidInputException if the path leaves the directory or the file is not a 1-D array
     */
    public static double[] read(Path runDir, String relative) {
        Path file = runDir.resolve(relative).normalize();
        if (!file.startsWith(runDir.resolve(DIRECTORY).normalize())) {
            throw new InvalidInputException(runDir + ": " + ROW_KEY + " '" + relative + "' is outside "
                    + DIRECTORY + "/");
        }
        return NpyFiles.readVector(file);
    }
}
