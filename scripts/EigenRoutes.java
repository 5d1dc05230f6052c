import io.nnrmtsvd.experiment.Benchmarks;
import io.nnrmtsvd.linalg.DMatrix;
import io.nnrmtsvd.linalg.DoubleLapack;
import io.nnrmtsvd.linalg.OpenBlas;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * The candidate routes to the Gram eigenvalues of a large BF16 layer, timed and checked against
 * dgesdd in double on the same matrix: how docs/CHECKPOINTS.md chose the route of
 * GramEigenvalues.ofFloats. The layer is Benchmarks.plantedBf16Layer (noise plus 16 planted
 * directions, like make_checkpoint.py --preset bench); the matrix is wide, so the Gram is A A^T.
 *
 * <pre>
 * mvn -q -B -ntp package -DskipTests
 * env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE java -Xmx6g -cp cli/target/rmtsvd.jar \
 *     scripts/EigenRoutes.java [ROWS COLS [REPEATS [THREADS]]]     # default 4096 11008 3 2
 * </pre>
 *
 * Prints one line per route: median seconds of the Gram and of the eigensolver over REPEATS runs,
 * and the relative errors of the largest and median eigenvalue.
 */
public class EigenRoutes {
    enum Gram { SSYRK, SSYRK_EXACT_DIAGONAL, DSYRK }

    enum Solver { SSYEVD, DSYEVD, DSYEVD_2STAGE }

    record Route(Gram gram, Solver solver) {
        @Override
        public String toString() {
            return gram.name().toLowerCase() + " + " + solver.name().toLowerCase();
        }
    }

    public static void main(String[] args) {
        int rows = args.length > 1 ? Integer.parseInt(args[0]) : 4096;
        int cols = args.length > 1 ? Integer.parseInt(args[1]) : 11008;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        if (rows > cols) {
            throw new IllegalArgumentException("give a wide shape (rows <= cols)");
        }
        OpenBlas.setThreads(threads);
        System.out.printf("%d x %d BF16 layer, %d BLAS threads, OpenBLAS core %s, median of %d runs%n",
                rows, cols, OpenBlas.threads(), OpenBlas.coreName(), repeats);
        float[] a = Benchmarks.plantedBf16Layer(rows, cols, 16, 5);
        long t = System.nanoTime();
        double[] s = DoubleLapack.singularValues(DMatrix.copyOf(rows, cols, a));
        double[] reference = new double[rows];
        for (int i = 0; i < rows; i++) {
            reference[i] = s[rows - 1 - i] * s[rows - 1 - i];
        }
        System.out.printf("%-36s %30.2f s%n", "dgesdd (singular values only)", (System.nanoTime() - t) / 1e9);
        List<Route> routes = List.of(new Route(Gram.SSYRK, Solver.SSYEVD), new Route(Gram.SSYRK, Solver.DSYEVD),
                new Route(Gram.SSYRK_EXACT_DIAGONAL, Solver.SSYEVD),
                new Route(Gram.SSYRK_EXACT_DIAGONAL, Solver.DSYEVD),
                new Route(Gram.SSYRK_EXACT_DIAGONAL, Solver.DSYEVD_2STAGE), new Route(Gram.DSYRK, Solver.DSYEVD));
        try (FloatPointer matrix = new FloatPointer(a)) {
            for (Route route : routes) {
                List<double[]> runs = new ArrayList<>();
                double[] eigenvalues = null;
                for (int r = 0; r < repeats; r++) {
                    double[] seconds = new double[2];
                    eigenvalues = run(route, matrix, a, rows, cols, seconds);
                    runs.add(seconds);
                }
                int p = rows;
                System.out.printf("%-36s gram %5.2f s, eigen %5.2f s, total %5.2f s; error largest %.1e, median %.1e%n",
                        route, median(runs, 0), median(runs, 1), median(runs, 0) + median(runs, 1),
                        Math.abs(eigenvalues[p - 1] - reference[p - 1]) / reference[p - 1],
                        Math.abs(eigenvalues[p / 2] - reference[p / 2]) / reference[p / 2]);
            }
        }
    }

    private static double median(List<double[]> runs, int column) {
        double[] v = runs.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Ascending eigenvalues of A A^T by the route; seconds[0] = Gram, seconds[1] = eigensolver. */
    private static double[] run(Route route, FloatPointer matrix, float[] a, int rows, int cols, double[] seconds) {
        int p = rows;
        long t0 = System.nanoTime();
        double[] w = new double[p];
        if (route.gram == Gram.DSYRK) {
            try (DoublePointer wide = new DoublePointer((long) rows * cols);
                 DoublePointer gram = new DoublePointer((long) p * p)) {
                double[] row = new double[cols];
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        row[j] = a[i * cols + j];
                    }
                    wide.position((long) i * cols).put(row);
                }
                wide.position(0);
                openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasNoTrans, p, cols,
                        1.0, wide, cols, 0.0, gram, p);
                long t1 = System.nanoTime();
                solveDouble(route.solver, gram, p, w);
                seconds[0] = (t1 - t0) / 1e9;
                seconds[1] = (System.nanoTime() - t1) / 1e9;
                return w;
            }
        }
        try (FloatPointer single = new FloatPointer((long) p * p)) {
            openblas.cblas_ssyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasNoTrans, p, cols, 1f,
                    matrix, cols, 0f, single, p);
            double[] diagonal = new double[p];
            for (int i = 0; i < p; i++) {
                double sum = 0;
                if (route.gram == Gram.SSYRK_EXACT_DIAGONAL) {
                    for (int j = i * cols, end = j + cols; j < end; j++) {
                        sum += (double) a[j] * a[j];
                    }
                } else {
                    sum = single.get((long) i * p + i);
                }
                diagonal[i] = sum;
            }
            if (route.solver == Solver.SSYEVD) {
                for (int i = 0; i < p; i++) {
                    single.put((long) i * p + i, (float) diagonal[i]);
                }
                long t1 = System.nanoTime();
                try (FloatPointer e = new FloatPointer(p)) {
                    check(openblas.LAPACKE_ssyevd(openblas.LAPACK_COL_MAJOR, (byte) 'N', (byte) 'L', p, single, p, e));
                    for (int i = 0; i < p; i++) {
                        w[i] = e.get(i);
                    }
                }
                seconds[0] = (t1 - t0) / 1e9;
                seconds[1] = (System.nanoTime() - t1) / 1e9;
                return w;
            }
            try (DoublePointer gram = new DoublePointer((long) p * p)) {
                float[] in = new float[p];
                double[] out = new double[p];
                for (int i = 0; i < p; i++) {
                    single.position((long) i * p).get(in);
                    for (int j = 0; j < p; j++) {
                        out[j] = in[j];
                    }
                    out[i] = diagonal[i];
                    gram.position((long) i * p).put(out);
                }
                single.position(0);
                gram.position(0);
                long t1 = System.nanoTime();
                solveDouble(route.solver, gram, p, w);
                seconds[0] = (t1 - t0) / 1e9;
                seconds[1] = (System.nanoTime() - t1) / 1e9;
                return w;
            }
        }
    }

    private static void solveDouble(Solver solver, DoublePointer gram, int p, double[] w) {
        try (DoublePointer e = new DoublePointer(p)) {
            check(solver == Solver.DSYEVD_2STAGE
                    ? openblas.LAPACKE_dsyevd_2stage(openblas.LAPACK_COL_MAJOR, (byte) 'N', (byte) 'L', p, gram, p, e)
                    : openblas.LAPACKE_dsyevd(openblas.LAPACK_COL_MAJOR, (byte) 'N', (byte) 'L', p, gram, p, e));
            e.get(w);
        }
        Arrays.sort(w);
    }

    private static void check(int info) {
        if (info != 0) {
            throw new ArithmeticException("LAPACK info " + info);
        }
    }
}
