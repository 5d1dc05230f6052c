package io.nnrmtsvd.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout docs/ARCHITECTURE.md draws is the layout of the code: every package of every module is
 * in its table, in the module it names, and imports only the packages listed before it.
 */
class ArchitectureTest {
    private static final Pattern ROW = Pattern.compile("^\\| (\\w+) \\| `(\\w+)` \\|", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.nnrmtsvd\\.(\\w+)\\.([A-Z]\\w*)");
    /** What the command line may not touch: file formats, resume journals, and native numerics. */
    private static final Set<String> NOT_FOR_THE_CLI = Set.of("io.SafetensorsFile", "io.SafetensorsWriter",
            "io.ShardedWriter", "io.NpyFiles", "io.NpyHeader", "io.CsvFiles", "io.BinaryReads", "io.BinaryWrites",
            "run.Journal", "run.TrainingSnapshots", "linalg.DMatrix", "linalg.DoubleBlas",
            "linalg.DoubleLapack", "linalg.FloatBlas", "linalg.GramSvd", "linalg.GramEigenvalues",
            "linalg.OffHeapFloats", "linalg.Svd", "linalg.Reconstruction", "rmt.GramSpectrum");

    /** Package name to its module directory, lowest first. */
    private static final Map<String, String> LAYERS = new LinkedHashMap<>();
    private static final Map<Path, String> SOURCES = new TreeMap<>();

    @BeforeAll
    static void read() throws IOException {
        String doc = Files.readString(Path.of("docs", "ARCHITECTURE.md"));
        int start = doc.indexOf("<!-- layers:start -->");
        int end = doc.indexOf("<!-- layers:end -->");
        assertTrue(start >= 0 && end > start, "docs/ARCHITECTURE.md marks its package table");
        Matcher m = ROW.matcher(doc.substring(start, end));
        while (m.find()) {
            LAYERS.put(m.group(2), m.group(1));
        }
        try (Stream<Path> modules = Files.list(Path.of("."))) {
            for (Path module : modules.filter(p -> Files.isDirectory(p.resolve("src/main/java"))).toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        SOURCES.put(Path.of(".").relativize(f.normalize()), Files.readString(f));
                    }
                }
            }
        }
        assertTrue(LAYERS.size() >= 12 && SOURCES.size() > 100, LAYERS + " / " + SOURCES.size() + " sources");
    }

    private static String module(Path source) {
        return source.getName(0).toString();
    }

    private static String packageOf(Path source) {
        Path relative = source.subpath(source.getNameCount() - 2, source.getNameCount() - 1);
        return relative.toString();
    }

    @Test
    void everyPackageIsListedInTheModuleTheTableNames() {
        for (Path source : SOURCES.keySet()) {
            String pkg = packageOf(source);
            assertTrue(LAYERS.containsKey(pkg), source + ": package " + pkg + " is not in docs/ARCHITECTURE.md");
            assertEquals(LAYERS.get(pkg), module(source), source + ": the table puts " + pkg + " elsewhere");
        }
        for (String pkg : LAYERS.keySet()) {
            assertTrue(SOURCES.keySet().stream().anyMatch(s -> packageOf(s).equals(pkg)), "no sources in " + pkg);
        }
    }

    @Test
    void dependenciesPointOneWay() {
        List<String> order = new ArrayList<>(LAYERS.keySet());
        List<String> violations = new ArrayList<>();
        SOURCES.forEach((source, text) -> {
            int own = order.indexOf(packageOf(source));
            Matcher m = REFERENCE.matcher(text);
            while (m.find()) {
                int used = order.indexOf(m.group(1));
                if (used > own) {
                    violations.add(source + " uses " + m.group(1) + "." + m.group(2));
                }
            }
        });
        assertEquals(List.of(), violations);
    }

    @Test
    void noTwoMainClassesShareASimpleName() {
        Map<String, Path> seen = new TreeMap<>();
        List<String> clashes = new ArrayList<>();
        for (Path source : SOURCES.keySet()) {
            String name = source.getFileName().toString();
            if (name.equals("package-info.java")) {
                continue;
            }
            Path earlier = seen.putIfAbsent(name, source);
            if (earlier != null) {
                clashes.add(earlier + " and " + source);
            }
        }
        assertEquals(List.of(), clashes);
    }

    @Test
    void theCommandLineHoldsNoFormatNoJournalAndNoNumerics() {
        List<String> violations = new ArrayList<>();
        SOURCES.forEach((source, text) -> {
            if (!module(source).equals("cli")) {
                return;
            }
            Matcher m = REFERENCE.matcher(text);
            while (m.find()) {
                if (NOT_FOR_THE_CLI.contains(m.group(1) + "." + m.group(2))) {
                    violations.add(source + " uses " + m.group(1) + "." + m.group(2));
                }
            }
        });
        assertEquals(List.of(), violations);
    }
}
