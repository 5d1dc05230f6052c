package io.nnrmtsvd.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nnrmtsvd.cli.Main;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.run.ExperimentEngine;
import io.nnrmtsvd.run.TensorEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Runs of the command line on an engine, and the rows they journal. */
final class Runs {
    private Runs() {
    }

    /** Exit code, stdout and stderr of one command. */
    record Run(int code, String out, String err) {
    }

    static Run of(TensorEngine engine, String... args) {
        return of(engine, ExperimentEngine.LOCAL, args);
    }

    static Run of(TensorEngine tensors, ExperimentEngine experiments, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine(tensors, experiments);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    static Run ok(TensorEngine engine, String... args) {
        Run run = of(engine, args);
        assertEquals(0, run.code(), run.err());
        return run;
    }

    /** The rows of a run directory's journal by name, each as JSON text without its timing. */
    static Map<String, String> rows(Path runDir) throws IOException {
        Map<String, String> rows = new TreeMap<>();
        for (String line : Files.readAllLines(runDir.resolve("tensors.jsonl"))) {
            Map<String, Object> row = Json.parseObject(line, "row");
            row.remove("seconds");
            rows.put((String) row.get("name"), Json.toString(row, false));
        }
        return rows;
    }
}
