package io.nnrmtsvd.rmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.linalg.DMatrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A property of the spectrum routes, over seeded random matrices: the BEMA spike count and fit do
 * not depend on the scale of W (any power of two across the float range), on its orientation, or on
 * the route (double precision from a matrix file, float storage from a checkpoint). Matrices: pure
 * noise, noise with planted directions of several strengths, and exact low rank, whose round-off
 * must not count as signal.
 */
class SpectrumInvarianceTest {
    private static final int CASES = 60;
    private static final int[] POWERS = {-100, -70, -40, -10, 0, 10, 40, 70, 100};
    /** Relative agreement of the fit between routes: the float route's products are single precision. */
    private static final double ROUTE_TOLERANCE = 1e-6;

    /** A rows x cols float matrix of case {@code index}, with its exact rank when it is low rank (else 0). */
    private record Case(float[] values, int rows, int cols, int lowRank) {
    }

    private static Case generate(int index) {
        SplittableRandom r = new SplittableRandom(1000 + index);
        int rows = 12 + r.nextInt(90);
        int cols = 12 + r.nextInt(90);
        int kind = index % 3;
        int rank = 1 + r.nextInt(3);
        double[][] u = new double[rank][rows];
        double[][] v = new double[rank][cols];
        for (int k = 0; k < rank; k++) {
            for (int i = 0; i < rows; i++) {
                u[k][i] = r.nextGaussian();
            }
            for (int j = 0; j < cols; j++) {
                v[k][j] = r.nextGaussian();
            }
        }
        double strength = kind == 1 ? 0.5 + 3 * r.nextDouble() : 1;
        float[] w = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double signal = 0;
                for (int k = 0; k < rank; k++) {
                    signal += u[k][i] * v[k][j];
                }
                w[i * cols + j] = (float) switch (kind) {
                    case 0 -> r.nextGaussian();
                    case 1 -> r.nextGaussian() + strength * signal / Math.sqrt(Math.max(rows, cols));
                    default -> signal;
                };
            }
        }
        return new Case(w, rows, cols, kind == 2 ? rank : 0);
    }

    private static float[] scaled(float[] w, int power) {
        float[] s = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            s[i] = Math.scalb(w[i], power);
        }
        return s;
    }

    private static float[] transposed(float[] w, int rows, int cols) {
        float[] t = new float[w.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = w[i * cols + j];
            }
        }
        return t;
    }

    private static BemaFit fit(GramSpectrum spectrum) {
        return Bema.create().fit(spectrum);
    }

    @Test
    void aPowerOfTwoScaleChangesNothingButTheUnits() {
        for (int c = 0; c < CASES; c++) {
            Case m = generate(c);
            double[] base = GramSpectrum.ofFloats(m.values(), m.rows(), m.cols(), GramSpectrum.Scaling.BY_N)
                    .eigenvalues();
            for (int power : POWERS) {
                double[] e = GramSpectrum.ofFloats(scaled(m.values(), power), m.rows(), m.cols(),
                        GramSpectrum.Scaling.BY_N).eigenvalues();
                for (int i = 0; i < e.length; i++) {
                    e[i] = Math.scalb(e[i], -2 * power);
                }
                assertArrayEquals(base, e, 0, "case " + c + " scaled by 2^" + power + ": the same to the bit");
                double[] d = GramSpectrum.of(DMatrix.copyOf(m.rows(), m.cols(), scaled(m.values(), power)),
                        GramSpectrum.Scaling.BY_N).eigenvalues();
                BemaFit scaledFit = fit(GramSpectrum.of(DMatrix.copyOf(m.rows(), m.cols(), m.values())));
                BemaFit doubleFit = Bema.create().fit(d, d.length, Math.max(m.rows(), m.cols()));
                assertEquals(scaledFit.spikes(), doubleFit.spikes(), "case " + c + ", double route, 2^" + power);
                assertEquals(scaledFit.fitError(), doubleFit.fitError(), 1e-12, "case " + c + ", 2^" + power);
            }
        }
    }

    @Test
    void transposingAndTheRouteChangeNeitherSpikesNorFit() {
        for (int c = 0; c < CASES; c++) {
            Case m = generate(c);
            BemaFit checkpoint = fit(GramSpectrum.ofFloats(m.values(), m.rows(), m.cols(), GramSpectrum.Scaling.BY_N));
            BemaFit turned = fit(GramSpectrum.ofFloats(transposed(m.values(), m.rows(), m.cols()), m.cols(),
                    m.rows(), GramSpectrum.Scaling.BY_N));
            BemaFit matrixFile = fit(GramSpectrum.of(DMatrix.copyOf(m.rows(), m.cols(), m.values())));
            for (BemaFit other : new BemaFit[] {turned, matrixFile}) {
                String where = "case " + c + " (" + m.rows() + "x" + m.cols() + ", rank " + m.lowRank() + ")";
                assertSameSpikes(checkpoint, other, where);
                assertEquals(checkpoint.goodFit(), other.goodFit(), where);
                assertEquals(checkpoint.sigma2(), other.sigma2(), ROUTE_TOLERANCE * Math.abs(other.sigma2()) + 0,
                        where);
                assertEquals(checkpoint.fitError(), other.fitError(), ROUTE_TOLERANCE, where);
            }
            if (m.lowRank() > 0) {
                assertEquals(m.lowRank(), checkpoint.spikes(), "round-off of a rank-" + m.lowRank()
                        + " matrix is not signal, case " + c);
                assertEquals(0, checkpoint.sigma2(), "no noise bulk, case " + c);
            }
        }
    }

    /** Equal spike counts, unless an eigenvalue lies within the routes' tolerance of lambda_plus. */
    private static void assertSameSpikes(BemaFit a, BemaFit b, String where) {
        if (a.spikes() == b.spikes()) {
            return;
        }
        double[] e = a.eigenvalues();
        double edge = a.lambdaPlus();
        boolean borderline = false;
        for (double x : e) {
            borderline |= Math.abs(x - edge) <= ROUTE_TOLERANCE * edge;
        }
        assertTrue(borderline, where + ": " + a.spikes() + " spikes against " + b.spikes());
    }
}
