package io.nnrmtsvd.rmt;

import java.util.Arrays;
import java.util.Objects;

/**
 * Fits a continuous power law to the tail of a spectrum by the method of Clauset, Shalizi and
 * Newman ("Power-law distributions in empirical data", SIAM Review 2009) as SPEC section 9
 * specifies it, with WeightWatcher's conventions.
 *
 * <p>The data are the eigenvalues above the floor ({@link #withFloor}; by default every
 * positive one), x_0 &lt;= ... &lt;= x_{m-1}. Every x_j but the largest is a candidate x_min;
 * its tail is x_j ... x_{m-1}, n_t = m - j values, and
 * <ul>
 *   <li>alpha = 1 + n_t / sum_{k &gt;= j} ln(x_k / x_j), the maximum-likelihood exponent;
 *   <li>sigma = (alpha - 1) / sqrt(n_t), its standard error;
 *   <li>D = max_{i = 0 ... n_t - 1} |1 - (x_{j+i} / x_j)^(1 - alpha) - i / n_t|, the
 *   Kolmogorov–Smirnov distance with WeightWatcher's empirical distribution function.
 * </ul>
 * The fit is the candidate with the smallest D (the first one on a tie). A candidate whose tail
 * holds a single distinct value has sum ln(x_k / x_j) = 0 and an infinite alpha; it is never
 * chosen (WeightWatcher gives such candidates D = 1, which has the same effect).
 *
 * <p>Accuracy: the log sums come from the recurrence
 * S_j = S_{j+1} + (m - 1 - j)(ln x_{j+1} - ln x_j), whose terms are all non-negative, with
 * compensated summation, so alpha has a relative error of a few units of round-off even for the
 * shortest tails (the textbook form sum ln x_k - n_t ln x_j cancels there).
 *
 * <p>Speed: every candidate is weighed, but a full pass over each tail (m^2 / 2 exponentials,
 * seconds for 16,384 eigenvalues) is not needed to find the smallest D. The D of
 * 64 candidates spread over the range (and of those with tails of 2, 4, 8, ...
 * values) is computed first; every other candidate is then only asked whether its D exceeds the
 * best so far, which a branch and bound over its tail settles after a handful of points when it
 * does ({@link PowerLawDistances#exceeds}); only a candidate that might win has its D computed
 * in full ({@link PowerLawDistances#distance}, also branch and bound, exact). Each search first
 * looks where the previous one found its largest deviation, which settles most candidates in one
 * evaluation. The result is the candidate a full search picks, with the same D to the last bit.
 * Measured at 16,384 eigenvalues (median CPU time of the fitting thread): 2 ms for a bulk with a
 * tail, 4 ms for a Pareto sample, 7 ms for exact Pareto quantiles (the hard case: every
 * candidate's D is close to the best), against 840 ms for the full pass.
 *
 * <p>The "fingers" remedy ({@link #withFingers}): when the spectrum has a stack of near-equal
 * eigenvalues below its tail, the minimum-D candidate can sit inside the stack. With the remedy
 * on, x_min is searched only in [0.95 x_peak, 1.5 x_peak], where x_peak = 10^(left edge of the
 * fullest of 100 equal bins of log10 x over the eigenvalues above 1e-5) ({@link SpectrumPeak}).
 * (WeightWatcher's own option passes log10(0.95 x_peak) as the lower end, which widens the
 * window downwards; this class uses the window as SPEC writes it.)
 *
 * <p>Degenerate input is rejected with an IllegalArgumentException: NaN, infinite, negative or
 * unsorted eigenvalues, fewer than two above the floor, no candidate with a finite alpha (all
 * values above the floor equal), or, with the remedy on, no candidate in its window.
 *
 * <p>Configured like an immutable fitter: {@code PowerLawFitter.create().withFingers(true).fit(e)}.
 * Thread-safe.
 */
public final class PowerLawFitter {
    /** WeightWatcher's floor: it fits only the eigenvalues above 1e-5 (in raw units). */
    public static final double WEIGHTWATCHER_FLOOR = 1e-5;
    /** The fingers window, as multiples of x_peak. */
    public static final double FINGERS_LOW = 0.95;
    /** Upper end of the fingers window, as a multiple of x_peak. */
    public static final double FINGERS_HIGH = 1.5;

    /** Number of candidates spread evenly whose D is computed before the others are sifted. */
    private static final int GUESSES = 64;

    private final double floor;
    private final boolean fingers;

    private PowerLawFitter(double floor, boolean fingers) {
        if (!(floor >= 0 && floor < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("floor must be finite and >= 0, got " + floor);
        }
        this.floor = floor;
        this.fingers = fingers;
    }

    /** A fitter over every positive eigenvalue, without the fingers remedy. */
    public static PowerLawFitter create() {
        return new PowerLawFitter(0, false);
    }

    /**
     * The same fitter over the eigenvalues strictly above {@code floor} only
     * ({@link #WEIGHTWATCHER_FLOOR} reproduces WeightWatcher's data selection).
     *
     * @param floor finite, &gt;= 0
     */
    public PowerLawFitter withFloor(double floor) {
        return new PowerLawFitter(floor, fingers);
    }

    /** The same fitter with the fingers remedy on or off (see the class comment). */
    public PowerLawFitter withFingers(boolean fingers) {
        return new PowerLawFitter(floor, fingers);
    }

    /** Eigenvalues at or below this are left out of the fit. */
    public double floor() {
        return floor;
    }

    /** Whether x_min is searched only in the fingers window. */
    public boolean fingers() {
        return fingers;
    }

    /**
     * Fits the tail of a spectrum.
     *
     * @param ascendingEigenvalues Not modified. Finite, non-negative, ascending; raw squared
     *     singular values in WeightWatcher's units, though any positive scale gives the same
     *     alpha, D and tail.
     * @throws IllegalArgumentException as the class comment lists
     */
    public PowerLawFit fit(double[] ascendingEigenvalues) {
        Spectra.checkAscending(ascendingEigenvalues, "eigenvalue");
        int first = 0;
        while (first < ascendingEigenvalues.length && !(ascendingEigenvalues[first] > floor)) {
            first++;
        }
        double[] x = Arrays.copyOfRange(ascendingEigenvalues, first, ascendingEigenvalues.length);
        int m = x.length;
        if (m < 2) {
            throw new IllegalArgumentException("a power-law fit needs at least 2 eigenvalues above " + floor
                    + ", got " + m);
        }
        double low = 0;
        double high = Double.POSITIVE_INFINITY;
        double peak = Double.NaN;
        if (fingers) {
            peak = SpectrumPeak.of(ascendingEigenvalues);
            low = FINGERS_LOW * peak;
            high = FINGERS_HIGH * peak;
        }
        double[] logs = new double[m];
        for (int k = 0; k < m; k++) {
            logs[k] = Math.log(x[k]);
        }
        double[] logSums = tailLogSums(logs);
        int[] candidates = new int[m - 1];
        double[] alphas = new double[m - 1];
        int count = 0;
        for (int j = 0; j < m - 1; j++) {
            if (x[j] >= low && x[j] <= high && logSums[j] > 0) {
                candidates[count] = j;
                alphas[count] = 1 + (m - j) / logSums[j];
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException(fingers
                    ? "no candidate x_min with a finite alpha in the fingers window [" + low + ", " + high
                            + "] (x_peak = " + peak + ")"
                    : "no candidate x_min gives a finite alpha: the " + m + " eigenvalues above " + floor
                            + " are all equal");
        }
        PowerLawDistances distances = new PowerLawDistances(logs);
        // a first guess from a spread of candidates lets most of the others be dismissed cheaply
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        boolean[] done = new boolean[count];
        for (int c : firstGuesses(candidates, count, m)) {
            double d = distances.distance(candidates[c], alphas[c]);
            done[c] = true;
            if (d < bestDistance || (d == bestDistance && c < best)) {
                best = c;
                bestDistance = d;
            }
        }
        for (int c = 0; c < count; c++) {
            if (done[c] || distances.exceeds(candidates[c], alphas[c], bestDistance)) {
                continue;
            }
            double d = distances.distance(candidates[c], alphas[c]);
            if (d < bestDistance || (d == bestDistance && c < best)) {
                best = c;
                bestDistance = d;
            }
        }
        int j = candidates[best];
        int tail = m - j;
        double alpha = alphas[best];
        double[] xmins = new double[count];
        for (int c = 0; c < count; c++) {
            xmins[c] = x[candidates[c]];
        }
        return new PowerLawFit(alpha, x[j], x[m - 1], bestDistance, (alpha - 1) / Math.sqrt(tail), tail,
                floor, fingers, peak, x, xmins, Arrays.copyOf(alphas, count));
    }

    /**
     * Positions (into the candidate list) whose D is computed first: {@value #GUESSES} spread evenly
     * over the candidates, and those whose tails are closest to 2, 4, 8, ... values.
     */
    private static int[] firstGuesses(int[] candidates, int count, int m) {
        int[] guesses = new int[GUESSES + 32];
        int size = 0;
        for (int g = 0; g < GUESSES; g++) {
            guesses[size++] = (int) ((long) g * (count - 1) / Math.max(1, GUESSES - 1));
        }
        for (int tail = 2; tail <= m && size < guesses.length; tail *= 2) {
            int position = Arrays.binarySearch(candidates, 0, count, m - tail);
            guesses[size++] = Math.min(count - 1, position >= 0 ? position : -position - 1);
        }
        return Arrays.stream(guesses, 0, size).distinct().toArray();
    }

    /**
     * S_j = sum_{k &gt;= j} (l_k - l_j) for every j, by S_j = S_{j+1} + (m - 1 - j)(l_{j+1} - l_j)
     * with Neumaier's compensated summation: every term is non-negative, so nothing cancels.
     */
    static double[] tailLogSums(double[] logs) {
        int m = logs.length;
        double[] sums = new double[m];
        double sum = 0;
        double compensation = 0;
        for (int j = m - 2; j >= 0; j--) {
            double term = (m - 1 - j) * (logs[j + 1] - logs[j]);
            double next = sum + term;
            compensation += Math.abs(sum) >= Math.abs(term) ? (sum - next) + term : (term - next) + sum;
            sum = next;
            sums[j] = sum + compensation;
        }
        return sums;
    }

    @Override
    public String toString() {
        return "PowerLawFitter[floor=" + floor + ", fingers=" + fingers + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PowerLawFitter o && Double.compare(o.floor, floor) == 0 && o.fingers == fingers;
    }

    @Override
    public int hashCode() {
        return Objects.hash(floor, fingers);
    }
}
