package io.nnrmtsvd.io;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Element types of safetensors tensors, named as in the format: every type the reference
 * implementation accepts. Only the floating-point types F64, F32, F16 and BF16 can be read as
 * numbers for analysis; the others are recognised so that a file holding them can be listed and
 * its tensors copied byte for byte.
 *
 * <p>F4 (4 bits) and F6_E2M3 and F6_E3M2 (6 bits) are packed: their elements share bytes, so a
 * tensor of them occupies {@code elements * bits / 8} bytes, and a tensor whose elements do not
 * fill a whole number of bytes is invalid (as in the reference implementation).
 */
public enum Dtype {
    BOOL(8, false),
    F4(4, false),
    F6_E2M3(6, false),
    F6_E3M2(6, false),
    U8(8, false),
    I8(8, false),
    F8_E5M2(8, false),
    F8_E4M3(8, false),
    F8_E8M0(8, false),
    F8_E4M3FNUZ(8, false),
    F8_E5M2FNUZ(8, false),
    I16(16, false),
    U16(16, false),
    F16(16, true),
    BF16(16, true),
    I32(32, false),
    U32(32, false),
    F32(32, true),
    I64(64, false),
    U64(64, false),
    F64(64, true),
    C64(64, false);

    private static final Dtype[] ALL = values();

    private final int bits;
    private final boolean analysable;

    Dtype(int bits, boolean analysable) {
        this.bits = bits;
        this.analysable = analysable;
    }

    /** Bits per element: 4 or 6 for the packed types, else a multiple of 8. */
    public int bitSize() {
        return bits;
    }

    /**
     * Bytes per element.
     *
     * @throws IllegalStateException for the packed types F4, F6_E2M3 and F6_E3M2, whose elements
     *     take less than a byte: use {@link #byteLength(long)}
     */
    public int byteSize() {
        if (bits % Byte.SIZE != 0) {
            throw new IllegalStateException(this + " packs " + bits + " bits per element: it has no byte size");
        }
        return bits / Byte.SIZE;
    }

    /**
     * The bytes {@code elements} elements occupy, or -1 if that is not a whole number of bytes
     * (a packed type) or the count of bits overflows a long.
     *
     * @param elements non-negative
     */
    public long byteLength(long elements) {
        if (elements < 0 || elements > Long.MAX_VALUE / bits) {
            return -1;
        }
        long total = elements * bits;
        return total % Byte.SIZE == 0 ? total / Byte.SIZE : -1;
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
        for (Dtype d : ALL) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** The type named by {@code chars[offset, offset + length)}, or null; makes no String. */
    static Dtype named(char[] chars, int offset, int length) {
        for (Dtype d : ALL) {
            if (d.isNamed(chars, offset, length)) {
                return d;
            }
        }
        return null;
    }

    private boolean isNamed(char[] chars, int offset, int length) {
        String name = name();
        if (name.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (name.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /** All names, comma separated, for error messages. */
    static String knownNames() {
        return Arrays.stream(ALL).map(Enum::name).collect(Collectors.joining(", "));
    }
}
