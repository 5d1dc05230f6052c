package io.nnrmtsvd.cli;

import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.rmt.TracyWidom;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tracy-widom}: prints the Tracy–Widom distribution function at a point or a quantile,
 * as one number or as a JSON object.
 */
@Command(name = "tracy-widom", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Tracy-Widom distribution function or quantile (Fredholm determinant, Bornemann 2010).",
        footerHeading = "%nExamples:%n",
        footer = {"  rmtsvd tracy-widom --beta 1 --quantile 0.9     # 0.4501432891",
                "  rmtsvd tracy-widom --beta 2 --cdf -2 --json"})
public final class TracyWidomCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--beta", paramLabel = "1|2", defaultValue = "1",
            description = "Symmetry class: 1 real (GOE), 2 complex (GUE). (default: ${DEFAULT-VALUE}).")
    private int beta;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Query query;

    @Mixin
    private CommonOptions common;

    /** Exactly one of the two questions. */
    static final class Query {
        @Option(names = "--cdf", paramLabel = "S", required = true, description = "Evaluate F(S).")
        private Double cdfAt;

        @Option(names = "--quantile", paramLabel = "P", required = true,
                description = "The S with F(S) = P, for 0 < P < 1.")
        private Double quantileOf;
    }

    @Override
    public Integer call() {
        if (beta != 1 && beta != 2) {
            throw new ParameterException(spec.commandLine(), "--beta must be 1 or 2, got " + beta);
        }
        TracyWidom law = TracyWidom.of(beta);
        String key;
        double value;
        if (query.cdfAt != null) {
            double s = query.cdfAt;
            if (!Double.isFinite(s)) {
                throw new ParameterException(spec.commandLine(), "--cdf must be a finite number, got " + s);
            }
            key = "cdf";
            value = law.cdf(s);
        } else {
            double p = query.quantileOf;
            if (!(p > 0 && p < 1)) {
                throw new ParameterException(spec.commandLine(), "--quantile must be strictly between 0 and 1, got " + p);
            }
            key = "quantile";
            value = law.quantile(p);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("beta", beta);
            doc.put(key, value);
            out.println(Json.toString(doc, false));
        } else {
            out.println(value);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
