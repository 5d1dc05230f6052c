package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * BEMA against the Python reference seed_bema.py on the committed fixtures in
 * core/src/test/resources/io/nnrmtsvd/rmt/bema (see the README there).
 */
class BemaReferenceTest {
    private static final Pattern SHAPE = Pattern.compile("'shape': \\((\\d+), (\\d+)\\)");

    /** Reads a C-order little-endian float64 2-d .npy (format version 1 only), as the fixtures are. */
    private static DMatrix readNpy(String name) throws IOException {
        byte[] bytes;
        try (InputStream in = BemaReferenceTest.class.getResourceAsStream("bema/" + name)) {
            bytes = in.readAllBytes();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((byte) 0x93, buffer.get(0));
        assertEquals(1, buffer.get(6), "npy format version");
        int headerLength = Short.toUnsignedInt(buffer.getShort(8));
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f8'") && header.contains("'fortran_order': False"), header);
        Matcher shape = SHAPE.matcher(header);
        assertTrue(shape.find(), header);
        int rows = Integer.parseInt(shape.group(1));
        int cols = Integer.parseInt(shape.group(2));
        double[] data = new double[rows * cols];
        buffer.position(10 + headerLength);
        buffer.asDoubleBuffer().get(data);
        return DMatrix.wrap(rows, cols, data);
    }

    private record Run(String matrix, double alpha, double beta, Map<String, Double> expected) {
    }

    private static Run parse(String line) {
        String matrix = null;
        double alpha = Double.NaN;
        double beta = Double.NaN;
        Map<String, Double> expected = new HashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(ObjectReadContext.empty(), line)) {
            String section = "";
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.START_OBJECT && "result".equals(parser.currentName())) {
                    section = "result";
                } else if (token.isScalarValue()) {
                    String name = parser.currentName();
                    if (section.equals("result")) {
                        expected.put(name, parser.getDoubleValue());
                    } else if (name.equals("matrix")) {
                        matrix = parser.getString();
                    } else if (name.equals("alpha")) {
                        alpha = parser.getDoubleValue();
                    } else if (name.equals("beta")) {
                        beta = parser.getDoubleValue();
                    }
                }
            }
        }
        return new Run(matrix, alpha, beta, expected);
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, Tolerances.BEMA_REFERENCE_RELATIVE * Math.abs(expected), what);
    }

    @Test
    void agreesWithSeedBema() throws IOException {
        String[] lines;
        try (InputStream in = BemaReferenceTest.class.getResourceAsStream("bema/expected.jsonl")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split("\n");
        }
        assertEquals(9, lines.length);
        for (String line : lines) {
            Run run = parse(line);
            String label = run.matrix() + " alpha " + run.alpha() + " beta " + run.beta();
            Map<String, Double> e = run.expected();
            DMatrix w = readNpy(run.matrix());
            Bema bema = Bema.create().withAlpha(run.alpha()).withBeta(run.beta());

            BemaFit fit = bema.fit(w);
            assertEquals(e.get("p").intValue(), fit.p(), label);
            assertEquals(e.get("n").intValue(), fit.n(), label);
            assertRelative(e.get("sigma2"), fit.sigma2(), label + " sigma2");
            assertRelative(e.get("lambda_plus"), fit.lambdaPlus(), label + " lambda_plus");
            assertRelative(e.get("s_plus"), fit.sPlus(), label + " s_plus");
            assertRelative(e.get("largest"), fit.eigenvalues()[fit.p() - 1], label + " largest");
            assertEquals(e.get("spikes").intValue(), fit.spikes(), label + " spikes");
            assertEquals(e.get("fit_error"), fit.fitError(), Tolerances.BEMA_FIT_ERROR, label + " fit error");

            // the notebook's margin, on the same (correctly scaled) spectrum
            BemaFit quirky = bema.withNotebookQuirks(true).fit(GramSpectrum.of(w));
            assertRelative(e.get("lambda_plus_notebook"), quirky.lambdaPlus(), label + " lambda_plus_notebook");
            assertEquals(e.get("spikes_notebook").intValue(), quirky.spikes(), label + " spikes_notebook");
            assertEquals(fit.sigma2(), quirky.sigma2(), 0.0, label);
        }
    }
}
