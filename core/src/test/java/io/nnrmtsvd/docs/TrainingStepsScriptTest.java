package io.nnrmtsvd.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.OpenBlas;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/TrainingSteps.java, behind "What each step bought" in docs/BENCHMARKS.md, still compiles and runs. */
class TrainingStepsScriptTest {
    @TempDir
    Path dir;

    @Test
    void measuresEveryStepAndConfirmsTheSameBitsAndNoAllocation() throws Exception {
        JavaSources.compile(Path.of("scripts", "TrainingSteps.java"), dir);
        int threads = OpenBlas.threads();
        String printed;
        try {
            printed = JavaSources.runMain(dir, "TrainingSteps", "1", "1024");
        } finally {
            OpenBlas.setThreads(threads); // the script sets the process-wide count
        }
        List<String> lines = printed.lines().toList();
        assertEquals(9, lines.size(), printed);
        assertTrue(lines.contains("  same bits: true"), printed);
        String allocation = "bytes allocated by 100 steps (after warm-up): ";
        assertTrue(lines.get(8).startsWith(allocation), printed);
        // Not always 0 (a deoptimisation may materialise an object once), but less than one
        // 16-byte object a step: nothing is allocated per step.
        assertTrue(Long.parseLong(lines.get(8).substring(allocation.length())) < 16 * 100, printed);
        for (String line : lines.subList(1, 8)) {
            assertTrue(line.equals("  same bits: true") || line.contains(" us, then "), line);
        }
    }
}
