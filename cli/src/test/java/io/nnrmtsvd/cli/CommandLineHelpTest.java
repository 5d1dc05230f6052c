package io.nnrmtsvd.cli;

import static io.nnrmtsvd.cli.CliFixtures.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** What a new user meets first: typos, bare commands, help pages, versions, completion. */
class CommandLineHelpTest {
    @TempDir
    Path dir;

    /** Every command's words after {@code rmtsvd}, subcommands included, but not picocli's {@code help}. */
    private static List<List<String>> commands() {
        List<List<String>> names = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), names);
        return names;
    }

    private static void collect(CommandLine cli, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        cli.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> next = new ArrayList<>(path);
                next.add(name);
                collect(sub, next, into);
            }
        });
    }

    private static CliRun run(List<String> words, String... more) {
        List<String> args = new ArrayList<>(words);
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static String help(String... words) {
        CliRun run = run(List.of(words), "--help");
        assertEquals(0, run.exitCode(), run.err());
        return run.out();
    }

    @Test
    void aMistypedCommandGetsTheNearestOne() {
        CliRun run = CliRun.of("trian");
        assertBadInput(run);
        assertEquals("rmtsvd: unknown command 'trian'; did you mean train? See 'rmtsvd --help'.", run.err().strip());
        assertEquals("rmtsvd: unknown command 'paprr'; did you mean paper? See 'rmtsvd experiment --help'.",
                CliRun.of("experiment", "paprr").err().strip());
        assertEquals("rmtsvd: unknown command 'frobnicate'. See 'rmtsvd --help'.",
                CliRun.of("frobnicate").err().strip(), "no suggestion when nothing is near");
    }

    @Test
    void aMistypedOptionGetsTheNearestOne() {
        CliRun run = CliRun.of("train", "--epoch", "2");
        assertBadInput(run);
        assertEquals("rmtsvd: unknown option '--epoch'; did you mean --epochs? See 'rmtsvd train --help'.",
                run.err().strip());
        assertTrue(CliRun.of("train", "--lr-deacy=0.9").err().contains("'--lr-deacy'; did you mean --lr-decay?"));
        assertTrue(CliRun.of("spectrum", "x.npy", "--tensr", "a").err().contains("did you mean --tensor?"));
        CliRun extra = CliRun.of("sweep", "a.safetensors", "b.safetensors");
        assertBadInput(extra);
        assertTrue(extra.err().startsWith("rmtsvd: unexpected argument 'b.safetensors'."), extra.err());
    }

    @Test
    void aBareCommandShowsItsUsage() {
        CliRun bare = CliRun.of();
        assertEquals(0, bare.exitCode(), bare.err());
        assertEquals("", bare.err());
        assertTrue(bare.out().startsWith("Usage: rmtsvd [OPTIONS] [COMMAND]"), bare.out());
        assertTrue(bare.out().contains("train ") && bare.out().contains("Examples:"), bare.out());
        CliRun experiment = CliRun.of("experiment");
        assertEquals(0, experiment.exitCode());
        assertTrue(experiment.out().contains("paper") && experiment.out().contains("overfit"), experiment.out());
    }

    @Test
    void everyHelpHasExamplesAShortSynopsisAndFitsEightyColumns() {
        for (List<String> command : commands()) {
            String help = help(command.toArray(String[]::new));
            String name = String.join(" ", command);
            assertTrue(help.contains("\nExamples:\n  "), name + ": " + help);
            assertTrue(help.lines().findFirst().orElseThrow().matches("Usage: rmtsvd[a-z -]* \\[OPTIONS][A-Z_\\[\\]. ]*"),
                    name + ": " + help.lines().findFirst().orElseThrow());
            assertFalse(help.contains("......"), name + ": no doubled list syntax");
            assertFalse(help.matches("(?s).*=<[a-z]+>.*"), name + ": every option value is labelled");
            help.lines().forEach(line -> assertTrue(line.length() <= 80, name + ": " + line));
            help.substring(help.indexOf("\nExamples:\n") + 11).lines().filter(l -> !l.isBlank())
                    .forEach(line -> assertTrue(line.startsWith("  "), name + ": an example wrapped: " + line));
        }
    }

    @Test
    void trainGroupsItsOptions() {
        String help = help("train");
        List<String> headings = help.lines().filter(l -> l.matches("[A-Z][A-Za-z' -]+:")).toList();
        assertEquals(List.of("Training:", "Data:", "Network and SGD:", "When to prune:", "Pruning:", "BEMA fit:",
                "The follow-up paper's training recipe:", "Run directory and report:", "Common options:",
                "Examples:"), headings);
    }

    @Test
    void everyOptionWithAValueStatesItsDefault() {
        for (List<String> command : commands()) {
            CommandLine cli = Main.commandLine();
            for (String word : command) {
                cli = cli.getSubcommands().get(word);
            }
            for (OptionSpec o : cli.getCommandSpec().options()) {
                boolean flag = o.typeInfo().isBoolean();
                if (o.hidden() || flag || o.usageHelp() || o.versionHelp() || o.required()) {
                    continue;
                }
                String text = String.join(" ", o.description());
                boolean noDefault = o.initialValue() == null && !text.contains("default");
                if (!noDefault) {
                    assertTrue(text.contains("(default: ") && !text.contains("default: null"),
                            String.join(" ", command) + " " + o.longestName() + ": " + text);
                }
            }
        }
    }

    @Test
    void sharedOptionsAreDescribedForTheCommandTheyAreShownIn() {
        assertFalse(help("spectrum").contains("ReLU"), "spectrum does not train");
        assertFalse(help("sweep").contains("when pruning"));
        assertTrue(help("train").contains("ReLU on"), "train's --notebook puts ReLU on the output");
        assertFalse(help("compress").contains("ReLU"));
        assertTrue(String.join(" ", help("spectrum").split("\\s+")).contains("Fit error below which a fit is called "
                + "good (default:"));
        assertTrue(help("compress").contains("left alone"), "pruning commands say what a bad fit does");
        String train = String.join(" ", help("train").split("\\s+"));
        String compress = String.join(" ", help("compress").split("\\s+"));
        String overfit = String.join(" ", help("experiment", "overfit").split("\\s+"));
        assertTrue(train.contains("(default: 0.45, the paper's)"), train);
        assertTrue(compress.contains("0 keeps only the signal") && compress.contains("(default: 0)."), compress);
        assertTrue(overfit.contains("(default: falling:E with E = --epochs"), overfit);
        assertTrue(compress.contains("1 for a checkpoint"), "compress's --min-rank on checkpoints");
    }

    @Test
    void everyCommandTakesVersionAndVerbose() {
        for (List<String> command : commands()) {
            CliRun version = run(command, "--version");
            assertEquals(0, version.exitCode(), command + ": " + version.err());
            assertTrue(version.out().startsWith("rmtsvd "), command + ": " + version.out());
            CommandLine.Model.CommandSpec spec = specOf(command);
            if (!command.isEmpty() && !command.equals(List.of("completion")) && !command.equals(List.of("experiment"))) {
                assertTrue(spec.findOption("--verbose") != null, command + " takes --verbose");
                assertTrue(spec.findOption("--json") != null, command + " takes --json");
            }
        }
        CliRun tw = CliRun.of("tracy-widom", "--cdf", "0", "--json", "--verbose");
        assertEquals(0, tw.exitCode(), tw.err());
        assertTrue(tw.out().startsWith("{\"beta\":1,\"cdf\":0.83"), tw.out());
    }

    private static CommandLine.Model.CommandSpec specOf(List<String> command) {
        CommandLine cli = Main.commandLine();
        for (String word : command) {
            cli = cli.getSubcommands().get(word);
        }
        return cli.getCommandSpec();
    }

    @Test
    void overfitRefusesThreadsWithWhatToUseInstead() {
        assertFalse(help("experiment", "overfit").contains("--threads"), "not offered");
        CliRun run = CliRun.of("experiment", "overfit", "--threads", "2", "--run-dir", dir.resolve("r").toString());
        assertBadInput(run);
        assertTrue(run.err().contains("set --jobs, not --threads"), run.err());
    }

    @Test
    void completionPrintsAScriptThatBashSources() throws IOException, InterruptedException {
        CliRun run = CliRun.of("completion");
        assertEquals(0, run.exitCode(), run.err());
        Path script = dir.resolve("rmtsvd-completion.bash");
        Files.writeString(script, run.out());
        Process bash = new ProcessBuilder("bash", "-c", "source \"$1\" && complete -p rmtsvd", "bash",
                script.toString()).redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bash.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, bash.exitValue(), output);
        assertTrue(output.contains("complete") && output.contains("rmtsvd"), output);
        assertTrue(run.out().contains("train") && run.out().contains("--epochs") && run.out().contains("tracy-widom"));
    }

    @Test
    void everyUsageErrorIsOneLineWithOnePrefix() {
        List<CliRun> runs = List.of(CliRun.of("train", "--epochs", "x"), CliRun.of("tracy-widom", "--beta", "3",
                "--cdf", "0"), CliRun.of("tracy-widom"), CliRun.of("report"), CliRun.of("spectrum"),
                CliRun.of("bench", "nothing"), CliRun.of("compress", dir.resolve("m.safetensors").toString()));
        for (CliRun run : runs) {
            assertBadInput(run);
        }
        assertEquals("rmtsvd: --beta must be 1 or 2, got 3. See 'rmtsvd tracy-widom --help'.",
                runs.get(1).err().strip());
    }
}
