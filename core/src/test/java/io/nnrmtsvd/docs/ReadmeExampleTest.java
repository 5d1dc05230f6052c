package io.nnrmtsvd.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java example in README.md compiles against the library and prints what it promises. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void readmeExampleCompilesAndRuns() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("<!-- example:start -->\\s*```java\\n(.*?)```\\s*<!-- example:end -->",
                Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README.md has a marked Java example");
        Path source = dir.resolve("Example.java");
        Files.writeString(source, m.group(1));

        JavaSources.compile(source, dir);
        String printed = JavaSources.runMain(dir, "Example");
        List<String> lines = printed.lines().toList();
        assertEquals(2, lines.size(), printed);
        assertTrue(lines.get(0).contains("spikes 3, good fit true"), printed);
        assertEquals("TW1 0.9-quantile 0.4501432891", lines.get(1));
    }
}
