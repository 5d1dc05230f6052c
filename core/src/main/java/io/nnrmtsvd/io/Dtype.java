package io.nnrmtsvd.io;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Element types of safetensors tensors, named as in the format. Only the floating-point types
 * F64, F32, F16 and BF16 can be read as numbers for analysis; the others are recognised so that a
 * file holding them can be listed and its tensors copied byte for byte.
 */
public enum Dtype {
    BOOL(1, false),
    U8(1, false),
    I8(1, false),
    F8_E5M2(1, false),
    F8_E4M3(1, false),
    I16(2, false),
    U16(2, false),
    F16(2, true),
    BF16(2, true),
    I32(4, false),
    U32(4, false),
    F32(4, true),
    I64(8, false),
    U64(8, false),
    F64(8, true),
    C64(8, false);

    private final int byteSize;
    private final boolean analysable;

    Dtype(int byteSize, boolean analysable) {
        this.byteSize = byteSize;
        this.analysable = analysable;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether elements can be read as float or double values (F64, F32, F16, BF16). */
    public boolean isAnalysable() {
        return analysable;
    }

    /**
     * The largest finite value of a floating-point type (F16 65504, BF16 about 3.39e38); infinity
     * for the others, which are never written from computed values.
     */
    public double largestFinite() {
        return switch (this) {
            case F16 -> 65504;
            case BF16 -> 0x1.fep127;
            case F32 -> Float.MAX_VALUE;
            case F64 -> Double.MAX_VALUE;
            default -> Double.POSITIVE_INFINITY;
        };
    }

    /**
     * Rounds {@code values} to what this type stores: F16 and BF16 to nearest even (overflowing to
     * infinity), other types unchanged.
     *
     * @param values Modified.
     * @return {@code values}
     */
    public float[] round(float[] values) {
        if (this == F16) {
            for (int i = 0; i < values.length; i++) {
                values[i] = HalfFloats.f16ToFloat(HalfFloats.floatToF16(values[i]));
            }
        } else if (this == BF16) {
            for (int i = 0; i < values.length; i++) {
                values[i] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(values[i]));
            }
        }
        return values;
    }

    /** The type with this exact name, as written in a safetensors header. */
    public static Optional<Dtype> fromName(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** All names, comma separated, for error messages. */
    static String knownNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
