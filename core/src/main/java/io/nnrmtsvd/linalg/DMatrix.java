package io.nnrmtsvd.linalg;

import java.util.Arrays;

/**
 * A dense double matrix stored row-major on the heap: element (i, j) is {@code data[i * cols + j]}.
 * Plain data; operations live in {@link DoubleBlas} and {@link DoubleLapack}.
 */
public final class DMatrix {
    private final int rows;
    private final int cols;
    private final double[] data;

    private DMatrix(int rows, int cols, double[] data) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(
                    "shape " + rows + "x" + cols + " does not match " + data.length + " values");
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /** A zero matrix. */
    public static DMatrix zeros(int rows, int cols) {
        return new DMatrix(rows, cols, new double[Math.multiplyExact(rows, cols)]);
    }

    /** Wraps {@code data} without copying: later changes to the array show in the matrix. */
    public static DMatrix wrap(int rows, int cols, double[] data) {
        return new DMatrix(rows, cols, data);
    }

    /** A copy of row-major {@code data}. */
    public static DMatrix copyOf(int rows, int cols, double[] data) {
        return new DMatrix(rows, cols, data.clone());
    }

    /** A copy of row-major float {@code data}, widened to double. */
    public static DMatrix copyOf(int rows, int cols, float[] data) {
        double[] values = new double[data.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = data[i];
        }
        return new DMatrix(rows, cols, values);
    }

    /** A copy of a rectangular {@code float[rows][cols]} array. */
    public static DMatrix copyOf(float[][] values) {
        int rows = values.length;
        int cols = rows == 0 ? 0 : values[0].length;
        double[] data = new double[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            if (values[i].length != cols) {
                throw new IllegalArgumentException("ragged array: row " + i + " has "
                        + values[i].length + " columns, row 0 has " + cols);
            }
            for (int j = 0; j < cols; j++) {
                data[i * cols + j] = values[i][j];
            }
        }
        return new DMatrix(rows, cols, data);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The backing array (not a copy). */
    public double[] data() {
        return data;
    }

    public double get(int i, int j) {
        return data[i * cols + j];
    }

    public void set(int i, int j, double value) {
        data[i * cols + j] = value;
    }

    /** A deep copy. */
    public DMatrix copy() {
        return new DMatrix(rows, cols, data.clone());
    }

    /** A new matrix holding the transpose. */
    public DMatrix transpose() {
        double[] t = new double[data.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = data[i * cols + j];
            }
        }
        return new DMatrix(cols, rows, t);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DMatrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "DMatrix[" + rows + "x" + cols + "]";
    }
}
