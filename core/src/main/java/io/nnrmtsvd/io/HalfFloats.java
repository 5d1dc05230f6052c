package io.nnrmtsvd.io;

/**
 * Conversions between float and the two 16-bit floating-point formats stored in model files:
 * IEEE 754 binary16 (F16: 1 sign, 5 exponent, 10 fraction bits) and bfloat16 (BF16: the upper 16
 * bits of a binary32). Widening to float is exact; narrowing rounds to nearest, ties to even,
 * overflows to infinity and keeps NaNs NaN.
 */
public final class HalfFloats {
    private static final int F16_EXPONENT_REBIAS = (127 - 15) << 23;

    private HalfFloats() {
    }

    /** The exact float value of binary16 bits {@code h}. */
    public static float f16ToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int fraction = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (fraction << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: fraction * 2^-24, exact in float
            float magnitude = fraction * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent << 23) + F16_EXPONENT_REBIAS) | (fraction << 13));
    }

    /** {@code value} rounded to the nearest binary16, ties to even. */
    public static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int magnitude = bits & 0x7fffffff;
        if (magnitude >= 0x7f800000) {
            if (magnitude == 0x7f800000) {
                return (short) (sign | 0x7c00);
            }
            return (short) (sign | 0x7e00 | ((magnitude >>> 13) & 0x3ff));
        }
        if (magnitude >= 0x477ff000) {
            // 65520 and above round to infinity (65504 is the largest finite binary16)
            return (short) (sign | 0x7c00);
        }
        if (magnitude < 0x38800000) {
            // below the smallest normal 2^-14: count units of 2^-24; the scaling is exact, rint ties to even
            float units = Float.intBitsToFloat(magnitude) * 0x1p24f;
            return (short) (sign | (int) Math.rint(units));
        }
        int rebiased = magnitude - F16_EXPONENT_REBIAS;
        int half = rebiased >>> 13;
        int dropped = rebiased & 0x1fff;
        if (dropped > 0x1000 || (dropped == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    /** The exact float value of bfloat16 bits {@code b}. */
    public static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }

    /** {@code value} rounded to the nearest bfloat16, ties to even. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
