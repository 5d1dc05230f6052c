package io.nnrmtsvd.linalg;

/**
 * A thin singular value decomposition A = U diag(s) Vt of an m x n matrix, r = min(m, n):
 * U is m x r, s has r values in descending order, Vt is r x n.
 *
 * @param u left singular vectors as columns
 * @param s singular values, descending, non-negative
 * @param vt right singular vectors as rows
 */
public record Svd(DMatrix u, double[] s, DMatrix vt) {
    /** The rank-k truncation U_k diag(s_k) Vt_k as a new m x n matrix. */
    public DMatrix truncate(int k) {
        if (k < 0 || k > s.length) {
            throw new IllegalArgumentException("rank " + k + " outside [0, " + s.length + "]");
        }
        double[] weights = new double[s.length];
        System.arraycopy(s, 0, weights, 0, k);
        return rebuild(weights);
    }

    /** U diag(weights) Vt as a new m x n matrix, one weight per singular triple. */
    public DMatrix rebuild(double[] weights) {
        if (weights.length != s.length) {
            throw new IllegalArgumentException("need " + s.length + " weights, got " + weights.length);
        }
        DMatrix scaled = u.copy();
        int m = u.rows();
        int r = s.length;
        double[] d = scaled.data();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < r; j++) {
                d[i * r + j] *= weights[j];
            }
        }
        return DoubleBlas.multiply(scaled, false, vt, false, 1.0);
    }
}
