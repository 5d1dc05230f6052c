package io.nnrmtsvd.checkpoint;

import io.nnrmtsvd.io.TensorInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which tensors of a checkpoint are analysed. A tensor is skipped, with the reason, when its
 * name is not matched by any {@code include} glob (when there are any) or is matched by an
 * {@code exclude} glob, when its dtype cannot be read as numbers, when it is neither 2-D nor a
 * convolution's 4-D [out, in, kh, kw], when its first two dimensions are not both at least
 * {@code minDim}, or when it holds more values than one Java array.
 * In globs {@code *} matches any run of characters (dots included) and {@code ?} one character.
 *
 * @param include name globs; empty for all names
 * @param exclude name globs
 * @param minDim smallest dimension analysed, at least 1
 */
public record TensorSelection(List<String> include, List<String> exclude, int minDim) {
    /**
     * Default smallest dimension: below 10 the BEMA fit (alpha 0.2) rests on at most 6 eigenvalues,
     * too few to say anything about noise.
     */
    public static final int DEFAULT_MIN_DIM = 10;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    public TensorSelection {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        if (minDim < 1) {
            throw new IllegalArgumentException("--min-dim must be at least 1, got " + minDim);
        }
    }

    /** Every 2-D floating-point tensor with both dimensions at least {@link #DEFAULT_MIN_DIM}. */
    public static TensorSelection all() {
        return new TensorSelection(List.of(), List.of(), DEFAULT_MIN_DIM);
    }

    /** Why {@code t} is not analysed, or empty if it is. */
    public Optional<String> skipReason(TensorInfo t) {
        if (!include.isEmpty() && include.stream().noneMatch(g -> matches(g, t.name()))) {
            return Optional.of("not matched by --include " + String.join(" ", include));
        }
        for (String glob : exclude) {
            if (matches(glob, t.name())) {
                return Optional.of("excluded by --exclude " + glob);
            }
        }
        if (!t.dtype().isAnalysable()) {
            return Optional.of("unsupported dtype " + t.dtype() + " (F64, F32, F16 and BF16 are analysed)");
        }
        long[] shape = t.shape();
        if (shape.length != 2 && shape.length != 4) {
            return Optional.of("not 2-D or 4-D (shape " + Arrays.toString(shape) + ")");
        }
        if (Math.min(shape[0], shape[1]) < minDim) {
            return Optional.of("smaller than --min-dim " + minDim + " (shape " + Arrays.toString(shape) + ")");
        }
        if (shape.length == 4 && (shape[2] < 1 || shape[3] < 1)) {
            return Optional.of("an empty kernel (shape " + Arrays.toString(shape) + ")");
        }
        if (t.elementCount() > MAX_ARRAY) {
            return Optional.of("too large: " + t.elementCount() + " values exceed one Java array");
        }
        return Optional.empty();
    }

    /**
     * The matrix a tensor is analysed as: a 2-D tensor itself, a convolution's weights [out, in, kh,
     * kw] unfolded to [out, in kh kw] (the same values in the same order).
     *
     * @return {rows, cols}
     */
    public static long[] matrixShape(TensorInfo t) {
        long[] shape = t.shape();
        return shape.length == 4 ? new long[] {shape[0], shape[1] * shape[2] * shape[3]}
                : new long[] {shape[0], shape[1]};
    }

    /** Whether the glob matches the whole name. */
    static boolean matches(String glob, String name) {
        StringBuilder regex = new StringBuilder();
        int literalStart = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                regex.append(Pattern.quote(glob.substring(literalStart, i))).append(c == '*' ? ".*" : ".");
                literalStart = i + 1;
            }
        }
        regex.append(Pattern.quote(glob.substring(literalStart)));
        return Pattern.matches(regex.toString(), name);
    }
}
