package io.nnrmtsvd.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nnrmtsvd.experiment.PeerPrograms;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Checkpoints written by an independent program: make_checkpoint.py (numpy and the format's
 * published rules) beside these tests. Tests that need Python skip without it, except under
 * CI=true, where its absence is a failure.
 */
public final class CheckpointFixtures {
    private CheckpointFixtures() {
    }

    /** Whether the environment variable CI is "true". */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips the test unless {@code python} can import the modules; under CI fails instead. */
    public static void requirePython(String python, String modules) {
        boolean ok = PeerPrograms.canImport(python, modules);
        if (onCi()) {
            assertEquals(true, ok, python + " with " + modules + " is required under CI");
        }
        Assumptions.assumeTrue(ok, "needs " + python + " with " + modules);
    }

    /**
     * A test resource of this package as a path: the file itself, or a temporary copy when the
     * resource is inside the test jar (as other modules' tests see it).
     */
    public static Path resource(String name) {
        URL url = CheckpointFixtures.class.getResource(name);
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
            Path copy = Files.createTempDirectory("rmtsvd-fixture").resolve(name);
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy);
            }
            copy.toFile().deleteOnExit();
            copy.getParent().toFile().deleteOnExit();
            return copy;
        } catch (URISyntaxException | IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs {@code command}, asserts exit code 0 and returns its combined output. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream out = p.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + output);
        return output;
    }

    /**
     * Writes a GPT-2-like checkpoint with make_checkpoint.py (python3 with numpy, skipping the test
     * without them) and returns its directory.
     *
     * @param args extra arguments, e.g. "--shards", "1"
     */
    public static Path gpt2(Path dir, String... args) throws IOException, InterruptedException {
        requirePython("python3", "numpy");
        List<String> command = new ArrayList<>(List.of("python3", resource("make_checkpoint.py").toString(),
                dir.toString()));
        command.addAll(List.of(args));
        run(command);
        return dir;
    }
}
