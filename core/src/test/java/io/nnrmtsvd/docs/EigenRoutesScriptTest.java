package io.nnrmtsvd.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.OpenBlas;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/EigenRoutes.java, behind the route table of docs/CHECKPOINTS.md, still compiles and runs. */
class EigenRoutesScriptTest {
    private static final Pattern ERRORS = Pattern.compile("error largest ([0-9.e+-]+), median ([0-9.e+-]+)");

    @TempDir
    Path dir;

    @Test
    void comparesEveryRouteWithDgesddOnASmallLayer() throws Exception {
        JavaSources.compile(Path.of("scripts", "EigenRoutes.java"), dir);
        int threads = OpenBlas.threads();
        String printed;
        try {
            printed = JavaSources.runMain(dir, "EigenRoutes", "64", "300", "1", "1");
        } finally {
            OpenBlas.setThreads(threads); // the script sets the process-wide count
        }
        List<String> lines = printed.lines().toList();
        assertEquals(8, lines.size(), printed);
        for (String line : lines.subList(2, 8)) {
            Matcher m = ERRORS.matcher(line);
            assertTrue(m.find(), line);
            double tolerance = line.startsWith("dsyrk") ? 1e-13 : 1e-5;
            assertTrue(Double.parseDouble(m.group(1)) < tolerance && Double.parseDouble(m.group(2)) < tolerance, line);
        }
    }
}
