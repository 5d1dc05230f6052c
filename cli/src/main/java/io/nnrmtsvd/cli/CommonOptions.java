package io.nnrmtsvd.cli;

import picocli.CommandLine.Option;

/** What every command that computes something takes: its result as JSON, and stack traces of errors. */
public final class CommonOptions {
    @Option(names = "--json", description = "Print one JSON document on stdout (progress and logs go to stderr).")
    boolean json;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;
}
