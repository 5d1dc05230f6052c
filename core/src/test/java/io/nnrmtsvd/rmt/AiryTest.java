package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ai and Ai' against mpmath values made by core/src/test/resources/io/nnrmtsvd/rmt/airy_reference.py. */
class AiryTest {
    private record Reference(double x, double ai, double aiPrime) {
    }

    private static List<Reference> references() throws IOException {
        List<Reference> rows = new ArrayList<>();
        try (var in = AiryTest.class.getResourceAsStream("airy_reference.csv");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                rows.add(new Reference(Double.parseDouble(f[0]), Double.parseDouble(f[1]),
                        Double.parseDouble(f[2])));
            }
        }
        return rows;
    }

    @Test
    void matchesMpmathOnTheGridRegion() throws IOException {
        int checked = 0;
        for (Reference r : references()) {
            double x = r.x();
            if (Math.abs(x) > 10) {
                continue;
            }
            double[] v = Airy.aiAndPrime(x);
            if (x <= 0) {
                assertEquals(r.ai(), v[0], Tolerances.AIRY_ABSOLUTE * Math.max(1, Math.pow(-x, 0.25)), "Ai at " + x);
                assertEquals(r.aiPrime(), v[1], Tolerances.AIRY_ABSOLUTE * Math.max(1, Math.pow(-x, 0.75)), "Ai' at " + x);
            } else {
                assertEquals(r.ai(), v[0], Tolerances.AIRY_RELATIVE * Math.abs(r.ai()), "Ai at " + x);
                assertEquals(r.aiPrime(), v[1], Tolerances.AIRY_RELATIVE * Math.abs(r.aiPrime()), "Ai' at " + x);
            }
            checked++;
        }
        assertTrue(checked > 150, "too few reference points: " + checked);
    }

    @Test
    void matchesMpmathInTheAsymptoticRegion() throws IOException {
        int checked = 0;
        for (Reference r : references()) {
            double x = r.x();
            if (Math.abs(x) <= 10) {
                continue;
            }
            double zeta = 2.0 / 3.0 * Math.pow(Math.abs(x), 1.5);
            double tolerance = Tolerances.AIRY_PER_ZETA * zeta;
            double[] v = Airy.aiAndPrime(x);
            if (x < 0) {
                assertEquals(r.ai(), v[0], tolerance * Math.pow(-x, -0.25), "Ai at " + x);
                assertEquals(r.aiPrime(), v[1], tolerance * Math.pow(-x, 0.25), "Ai' at " + x);
            } else {
                assertEquals(r.ai(), v[0], tolerance * Math.abs(r.ai()), "Ai at " + x);
                assertEquals(r.aiPrime(), v[1], tolerance * Math.abs(r.aiPrime()), "Ai' at " + x);
            }
            checked++;
        }
        assertTrue(checked > 150, "too few reference points: " + checked);
    }

    @Test
    void singleFunctionsAgreeWithTheCombinedCall() {
        for (double x = -12; x <= 12; x += 0.37) {
            assertArrayEquals(Airy.aiAndPrime(x), new double[] {Airy.ai(x), Airy.aiPrime(x)}, 0.0);
        }
    }

    @Test
    void satisfiesTheDifferentialEquation() {
        // Ai'' = x Ai, with Ai'' as a central difference of Ai', across both methods' ranges.
        double h = 1e-4;
        for (double x = -14.5; x <= 14.5; x += 0.5) {
            double second = (Airy.aiPrime(x + h) - Airy.aiPrime(x - h)) / (2 * h);
            assertEquals(x * Airy.ai(x), second, 1e-8 * Math.max(1, x * x), "Ai'' = x Ai at " + x);
        }
    }

    @Test
    void limitsAndNaN() {
        assertEquals(0.0, Airy.ai(200), 0.0);
        assertEquals(0.0, Airy.aiPrime(200), 0.0);
        assertTrue(Double.isNaN(Airy.ai(Double.NaN)));
    }
}
