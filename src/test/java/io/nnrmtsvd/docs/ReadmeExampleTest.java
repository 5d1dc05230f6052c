package io.nnrmtsvd.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
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

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-classpath", System.getProperty("java.class.path"),
                "-d", dir.toString(), source.toString());
        assertEquals(0, status, diagnostics.toString(StandardCharsets.UTF_8));

        String printed = runMain(dir);
        List<String> lines = printed.lines().toList();
        assertEquals(2, lines.size(), printed);
        assertTrue(lines.get(0).contains("spikes 3, good fit true"), printed);
        assertEquals("TW1 0.9-quantile 0.4501432891", lines.get(1));
    }

    private static String runMain(Path classes) throws IOException, ReflectiveOperationException {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeExampleTest.class.getClassLoader())) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            loader.loadClass("Example").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
