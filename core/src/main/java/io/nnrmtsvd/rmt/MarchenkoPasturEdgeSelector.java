package io.nnrmtsvd.rmt;

import java.util.Objects;
/**
 * Keeps the singular values above the plain Marchenko–Pastur edge: eigenvalues s^2 / n greater
 * than sigma^2 (1 + sqrt(gamma))^2, with sigma^2 estimated by BEMA but no Tracy–Widom margin.
 * Less conservative than {@link BemaSelector}: for large pure-noise matrices the largest
 * eigenvalue crosses this edge with probability about 1 - F_1(0) = 0.17, against beta for BEMA.
 */
public final class MarchenkoPasturEdgeSelector implements RankSelector {
    private final BemaSelector bema;

    /** With the given fitter for sigma^2. */
    public MarchenkoPasturEdgeSelector(Bema bema) {
        this.bema = new BemaSelector(bema);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also when the matrix is too small for BEMA (see {@link Bema})
     */
    @Override
    public int select(double[] singularValues, int rows, int cols) {
        return countAboveEdge(bema.fit(singularValues, rows, cols));
    }

    /** The number of eigenvalues above the MP upper edge sigma2 (1 + sqrt(gamma))^2 of a fit. */
    public static int countAboveEdge(BemaFit fit) {
        double edge = new MarchenkoPastur(fit.gamma(), fit.sigma2()).upperEdge();
        int k = 0;
        for (double lambda : fit.eigenvalues()) {
            if (lambda > edge) {
                k++;
            }
        }
        return k;
    }

    @Override
    public String toString() {
        return "mp-edge";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MarchenkoPasturEdgeSelector o && o.bema.equals(bema);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bema);
    }
}
