package io.nnrmtsvd.cli;

import static io.nnrmtsvd.cli.CliFixtures.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.data.IdxFixtures;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.run.OverfitRun;
import io.nnrmtsvd.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverfitCommandTest {
    @TempDir
    Path dir;
    private Path data;

    @BeforeEach
    void tinyMnist() throws IOException {
        data = dir.resolve("data");
        IdxFixtures.writeTinyMnist(data, 256, 64, 4);
    }

    /** A tiny experiment; {@code extra} options replace the defaults of the same name. */
    private String[] args(String... extra) {
        Map<String, String> options = new java.util.LinkedHashMap<>(Map.of("--train-size", "200", "--layers",
                "784,24,24,10", "--epochs", "3", "--seeds", "2"));
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < extra.length; i++) {
            boolean flag = i + 1 == extra.length || extra[i + 1].startsWith("--");
            if (flag) {
                flags.add(extra[i]);
            } else {
                options.put(extra[i], extra[++i]);
            }
        }
        List<String> args = new ArrayList<>(List.of("experiment", "overfit", "--data-dir", data.toString(), "--dataset",
                "mnist"));
        options.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        args.addAll(flags);
        return args.toArray(String[]::new);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(String json) {
        return (Map<String, Object>) ((Map<String, Object>) Json.parse(json, "out")).get("summary");
    }

    @Test
    void runsEveryVariantOverSeedsWritesTheReportAndResumesToTheSameNumbers() throws IOException {
        Path runDir = dir.resolve("run");
        CliRun run = CliRun.of(args("--run-dir", runDir.toString(), "--json", "--jobs", "2"));
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Object> summary = summary(run.out());
        assertEquals(List.of("baseline", "prune", "magnitude", "random-rank"), List.copyOf(summary.keySet()));
        assertTrue(((Map<?, ?>) summary.get("prune")).containsKey("paired_difference"));
        assertEquals(8, Files.readAllLines(runDir.resolve(OverfitRun.RESULTS_FILE)).size());
        for (String file : List.of("report.html", "metrics.json", "gap-over-seeds.svg", "accuracy-over-seeds.png",
                "test-accuracy-over-seeds.csv", "run.json")) {
            assertTrue(Files.isRegularFile(runDir.resolve(file)), file);
        }

        CliRun resumed = CliRun.of("experiment", "overfit", "--resume", runDir.toString(), "--data-dir",
                data.toString(), "--json");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertEquals(summary, summary(resumed.out()));
        assertTrue(resumed.out().contains("\"resumed_runs\" : 8"), resumed.out());

        CliRun table = CliRun.of("experiment", "overfit", "--resume", runDir.toString(), "--data-dir", data.toString());
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("paired difference to baseline"), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("random-rank ")), table.out());
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        assertBadInput(CliRun.of(args("--train-size", "257", "--no-report")));
        assertBadInput(CliRun.of(args("--train-size", "257", "--run-dir", dir.resolve("a").toString())));
        assertBadInput(CliRun.of(args("--lr-decay", "0", "--run-dir", dir.resolve("b").toString())));
        assertBadInput(CliRun.of(args("--lr-decay", "1.5", "--run-dir", dir.resolve("c").toString())));
        assertBadInput(CliRun.of(args("--l1", "-1e-6", "--run-dir", dir.resolve("d").toString())));
        assertBadInput(CliRun.of(args("--l2", "-0.1", "--run-dir", dir.resolve("e").toString())));
        assertBadInput(CliRun.of(args("--variants", "baseline,magnitude", "--run-dir", dir.resolve("f").toString())));
        assertBadInput(CliRun.of(args("--variants", "notebook", "--run-dir", dir.resolve("g").toString())));
        assertBadInput(CliRun.of(args("--threads", "2")));
        assertBadInput(CliRun.of(args("--init", "xavier", "--run-dir", dir.resolve("h").toString())));
        assertBadInput(CliRun.of("experiment", "overfit", "--resume", dir.resolve("nothing").toString(),
                "--data-dir", data.toString()));
        CliRun train = CliRun.of(args("--train-size", "257", "--run-dir", dir.resolve("i").toString()));
        assertEquals("rmtsvd: --train-size 257 is more than the 256 training images of mnist", train.lastErrorLine());
    }

    @Test
    void resumeTakesNoSettingsOfItsOwn() {
        Path runDir = dir.resolve("run");
        assertEquals(0, CliRun.of(args("--run-dir", runDir.toString(), "--variants", "baseline", "--epochs", "1"))
                .exitCode());
        CliRun run = CliRun.of("experiment", "overfit", "--resume", runDir.toString(), "--data-dir", data.toString(),
                "--epochs", "5");
        assertBadInput(run);
        assertTrue(run.err().contains("not --epochs"), run.err());
    }

    @Test
    void trainTakesTheRecipeAndRejectsItsBadValues() {
        CliRun run = CliRun.of("train", "--data-dir", data.toString(), "--layers", "784,16,10", "--epochs", "2",
                "--train-size", "100", "--init", "normal", "--normalize", "--lr-decay", "0.96", "--l1", "5e-6",
                "--l2", "5e-6", "--json", "--no-report");
        assertEquals(0, run.exitCode(), run.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) ((Map<String, Object>) Json.parse(run.out(), "out"))
                .get("config");
        assertEquals(100L, config.get("train_size"));
        assertEquals("normal", config.get("init"));
        assertEquals(0.96, config.get("lr_decay"));
        assertEquals(true, config.get("normalize"));
        String base = "--data-dir=" + data;
        assertBadInput(CliRun.of("train", base, "--train-size", "1000", "--no-report"));
        assertBadInput(CliRun.of("train", base, "--train-size", "-5", "--no-report"));
        assertBadInput(CliRun.of("train", base, "--lr-decay", "0", "--no-report"));
        assertBadInput(CliRun.of("train", base, "--lr-decay", "1.01", "--no-report"));
        assertBadInput(CliRun.of("train", base, "--l1", "-1", "--no-report"));
        assertBadInput(CliRun.of("train", base, "--l2", "-1", "--no-report"));
    }

    @Test
    void aRunThatFailsBeforeWritingAnythingLeavesNoRunDirectoryButKeepsTheUsersOwn() throws IOException {
        Path runs = Path.of(System.getProperty(RunDirectory.RUNS_PROPERTY));
        Set<String> before = names(runs);
        assertBadInput(CliRun.of(args("--train-size", "100000")));
        Set<String> added = new java.util.HashSet<>(names(runs));
        added.removeAll(before);
        assertEquals(Set.of(), added, "no empty run directory left under " + runs);

        Path chosen = dir.resolve("new-run");
        assertBadInput(CliRun.of(args("--train-size", "100000", "--run-dir", chosen.toString())));
        assertFalse(Files.exists(chosen), "created by the failed run, so removed");

        Path mine = Files.createDirectory(dir.resolve("mine"));
        assertBadInput(CliRun.of(args("--train-size", "100000", "--run-dir", mine.toString())));
        assertTrue(Files.isDirectory(mine), "the user's empty directory stays");
    }

    private static Set<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
