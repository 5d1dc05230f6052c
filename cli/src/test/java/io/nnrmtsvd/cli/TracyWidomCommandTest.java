package io.nnrmtsvd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TracyWidomCommandTest {
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TracyWidomCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printsOneNumber() {
        Run r = run("--beta", "1", "--quantile", "0.9");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(0.4501432891, Double.parseDouble(r.out().strip()), 1e-9);
        Run c = run("--beta", "2", "--cdf", "-2");
        assertEquals(0, c.exitCode(), c.err());
        assertEquals(0.413224142505, Double.parseDouble(c.out().strip()), 1e-11);
    }

    @Test
    void betaDefaultsToOne() {
        Run r = run("--cdf", "0");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(0.831908066203, Double.parseDouble(r.out().strip()), 1e-11);
    }

    @Test
    void printsJson() {
        Run r = run("--beta", "2", "--quantile", "0.5", "--json");
        assertEquals(0, r.exitCode(), r.err());
        String text = r.out().strip();
        assertTrue(text.matches("\\{\"beta\":2,\"quantile\":-1\\.80491240\\d*}"), text);
        Run c = run("--cdf", "0", "--json");
        assertTrue(c.out().strip().startsWith("{\"beta\":1,\"cdf\":0.8319080662"), c.out());
    }

    @Test
    void rejectsBadArgumentsWithOneLine() {
        String[][] cases = {
            {"--beta", "3", "--cdf", "0"},
            {"--quantile", "1"},
            {"--quantile", "-0.5"},
            {"--cdf", "NaN"},
            {"--cdf", "0", "--quantile", "0.5"},
            {},
            {"--cdf", "abc"},
        };
        for (String[] args : cases) {
            Run r = run(args);
            assertEquals(2, r.exitCode(), String.join(" ", args));
            assertEquals("", r.out(), String.join(" ", args));
            String firstLine = r.err().lines().findFirst().orElse("");
            assertTrue(!firstLine.isBlank(), String.join(" ", args) + ": " + r.err());
        }
        assertTrue(run("--beta", "3", "--cdf", "0").err().startsWith("--beta must be 1 or 2, got 3"));
        assertTrue(run("--quantile", "1").err().startsWith("--quantile must be strictly between 0 and 1, got 1.0"));
    }

    @Test
    void helpListsTheOptions() {
        Run r = run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("--quantile=P") && r.out().contains("--cdf=S") && r.out().contains("--json"), r.out());
    }
}
