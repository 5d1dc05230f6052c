package io.nnrmtsvd.rmt;

import io.nnrmtsvd.linalg.DMatrix;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * W against W_rand, its entries in a seeded uniformly random order with the same shape (SPEC
 * section 9, "randomisation"). A permutation keeps the entries' distribution and destroys their
 * correlations, so the spectrum of W_rand is what W would show were it noise. Eigenvalues are raw
 * squared singular values ({@link RawEigenvalues}). Names in parentheses are WeightWatcher's
 * columns.
 *
 * <ul>
 *   <li>{@code max_rand_eval}: the largest eigenvalue of W_rand;
 *   <li>{@code ww_softrank} = max_rand_eval / lambda_max of W;
 *   <li>correlation traps: the eigenvalues of W_rand above the BEMA lambda_plus of W_rand (n
 *   lambda_plus in these units). Spikes of a randomised matrix cannot come from correlations;
 *   they come from a few entries much larger than the rest, so the largest entries of W are
 *   reported with their positions beside them;
 *   <li>{@code rand_distance}: {@link SpectrumDistance#jensenShannon} between the spectra of W and
 *   of W_rand. (WeightWatcher computes its rand_distance differently; see there.)
 * </ul>
 *
 * <p>The permutation is a Fisher–Yates shuffle of the row-major entries driven by
 * {@link SplittableRandom} with the given seed ({@link #shuffle}), so a seed gives the same W_rand
 * on every machine. WeightWatcher averages five replicas for layers with fewer than 100
 * eigenvalues; this is one replica.
 *
 * @param seed the seed of the permutation (-1 when W_rand was given, see {@link #compare})
 * @param randEigenvalues eigenvalues of W_rand, ascending (a copy)
 * @param maxRandEval the largest of them
 * @param wwSoftrank maxRandEval / lambda_max of W
 * @param randDistance Jensen–Shannon distance between the two spectra, in [0, 1]
 * @param randBema the BEMA fit of W_rand's spectrum (scaled by 1/n, SPEC section 4)
 * @param trapThreshold n times randBema's lambda_plus: the edge in these units
 * @param traps eigenvalues of W_rand above trapThreshold, ascending (a copy); their number is
 *     the trap count
 * @param largestEntries the entries of W largest in absolute value, largest first (ties by
 *     position), with their positions
 */
public record RandomizedSpectrum(long seed, double[] randEigenvalues, double maxRandEval, double wwSoftrank,
                                 double randDistance, BemaFit randBema, double trapThreshold, double[] traps,
                                 List<MatrixEntry> largestEntries) {
    /** How many of W's largest entries are reported by default. */
    public static final int DEFAULT_ENTRIES = 10;

    /** Stores copies. */
    public RandomizedSpectrum {
        randEigenvalues = randEigenvalues.clone();
        traps = traps.clone();
        largestEntries = List.copyOf(largestEntries);
    }

    /**
     * Randomises W with a seed and compares.
     *
     * @param w Not modified. Finite entries, large enough for BEMA.
     * @param eigenvalues Not modified. W's raw eigenvalues, ascending ({@link RawEigenvalues#of}).
     * @param seed seed of the permutation
     * @param bema the BEMA settings for W_rand's edge
     * @param entries how many of W's largest entries to report, &gt;= 0
     * @throws IllegalArgumentException for a non-finite entry, eigenvalues that do not fit W, a
     *     matrix too small for BEMA or an all-zero one
     */
    public static RandomizedSpectrum of(DMatrix w, double[] eigenvalues, long seed, Bema bema, int entries) {
        return compare(w, eigenvalues, shuffle(w, seed), seed, bema, entries);
    }

    /** Randomises W with a seed and compares, computing W's eigenvalues too. */
    public static RandomizedSpectrum of(DMatrix w, long seed, Bema bema) {
        return of(w, RawEigenvalues.of(w), seed, bema, DEFAULT_ENTRIES);
    }

    /**
     * Compares W with a W_rand made elsewhere (for tests against other implementations).
     *
     * @param wRand Not modified. A permutation of W's entries; only its shape is checked.
     * @param seed recorded in the result, -1 if unknown
     */
    public static RandomizedSpectrum compare(DMatrix w, double[] eigenvalues, DMatrix wRand, long seed, Bema bema,
                                             int entries) {
        if (wRand.rows() != w.rows() || wRand.cols() != w.cols()) {
            throw new IllegalArgumentException("W_rand is " + wRand.rows() + "x" + wRand.cols() + ", W is "
                    + w.rows() + "x" + w.cols());
        }
        if (eigenvalues.length != Math.min(w.rows(), w.cols())) {
            throw new IllegalArgumentException("a " + w.rows() + "x" + w.cols() + " matrix has "
                    + Math.min(w.rows(), w.cols()) + " eigenvalues, got " + eigenvalues.length);
        }
        if (entries < 0) {
            throw new IllegalArgumentException("entries must be >= 0, got " + entries);
        }
        Spectra.checkAscending(eigenvalues, "eigenvalue");
        double lambdaMax = eigenvalues[eigenvalues.length - 1];
        if (!(lambdaMax > 0)) {
            throw new IllegalArgumentException("an all-zero matrix cannot be compared with its randomisation");
        }
        GramSpectrum spectrum = GramSpectrum.of(wRand);
        BemaFit fit = bema.fit(spectrum);
        double[] rand = RawEigenvalues.of(spectrum);
        double maxRand = rand[rand.length - 1];
        double threshold = spectrum.n() * fit.lambdaPlus();
        int firstTrap = rand.length;
        while (firstTrap > 0 && rand[firstTrap - 1] > threshold) {
            firstTrap--;
        }
        return new RandomizedSpectrum(seed, rand, maxRand, maxRand / lambdaMax,
                SpectrumDistance.jensenShannon(eigenvalues, rand), fit, threshold,
                Arrays.copyOfRange(rand, firstTrap, rand.length), topEntries(w, entries));
    }

    /**
     * W's entries in a uniformly random order: a Fisher–Yates shuffle of the row-major values
     * with {@code new SplittableRandom(seed)}.
     *
     * @param w Not modified.
     * @return a new matrix of the same shape
     */
    public static DMatrix shuffle(DMatrix w, long seed) {
        double[] values = w.data().clone();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = values.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
        return DMatrix.wrap(w.rows(), w.cols(), values);
    }

    /**
     * The k entries of W largest in absolute value, largest first; among equal magnitudes the
     * earlier row-major position first.
     *
     * @param w Not modified.
     */
    public static List<MatrixEntry> topEntries(DMatrix w, int k) {
        double[] data = w.data();
        int keep = Math.min(k, data.length);
        if (keep <= 0) {
            return List.of();
        }
        // a min-heap of positions holding the k largest so far; its head is the weakest
        PriorityQueue<Integer> heap = new PriorityQueue<>(keep, (x, y) -> compareEntries(data, y, x));
        for (int i = 0; i < data.length; i++) {
            if (heap.size() < keep) {
                heap.add(i);
            } else if (compareEntries(data, i, heap.peek()) < 0) {
                heap.poll();
                heap.add(i);
            }
        }
        Integer[] positions = heap.toArray(new Integer[0]);
        Arrays.sort(positions, (x, y) -> compareEntries(data, x, y));
        MatrixEntry[] result = new MatrixEntry[positions.length];
        for (int i = 0; i < positions.length; i++) {
            int at = positions[i];
            result[i] = new MatrixEntry(at / w.cols(), at % w.cols(), data[at]);
        }
        return List.of(result);
    }

    /** Order of entries in the ranking: larger magnitude first, then earlier position. */
    private static int compareEntries(double[] data, int x, int y) {
        int byMagnitude = Double.compare(Math.abs(data[y]), Math.abs(data[x]));
        return byMagnitude != 0 ? byMagnitude : Integer.compare(x, y);
    }

    /** The number of correlation traps. */
    public int trapCount() {
        return traps.length;
    }

    @Override
    public double[] randEigenvalues() {
        return randEigenvalues.clone();
    }

    @Override
    public double[] traps() {
        return traps.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RandomizedSpectrum r && r.seed == seed && Arrays.equals(r.randEigenvalues, randEigenvalues)
                && Double.compare(r.maxRandEval, maxRandEval) == 0 && Double.compare(r.wwSoftrank, wwSoftrank) == 0
                && Double.compare(r.randDistance, randDistance) == 0 && r.randBema.equals(randBema)
                && Double.compare(r.trapThreshold, trapThreshold) == 0 && Arrays.equals(r.traps, traps)
                && r.largestEntries.equals(largestEntries);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seed, Arrays.hashCode(randEigenvalues), maxRandEval, wwSoftrank, randDistance, randBema,
                trapThreshold, Arrays.hashCode(traps), largestEntries);
    }

    @Override
    public String toString() {
        return "RandomizedSpectrum[seed=" + seed + ", maxRandEval=" + maxRandEval + ", wwSoftrank=" + wwSoftrank
                + ", randDistance=" + randDistance + ", trapThreshold=" + trapThreshold + ", traps=" + traps.length
                + ", largestEntries=" + largestEntries + "]";
    }
}
