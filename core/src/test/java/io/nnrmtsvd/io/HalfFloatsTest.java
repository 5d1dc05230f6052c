package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {
    @Test
    void everyFiniteF16SurvivesARoundTripThroughFloat() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short h = (short) bits;
            float f = HalfFloats.f16ToFloat(h);
            if (Float.isNaN(f)) {
                assertEquals(0x7c00, bits & 0x7c00, "only all-ones exponents are NaN");
                assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f))));
            } else {
                assertEquals(h, HalfFloats.floatToF16(f), "bits of " + f);
            }
        }
    }

    @Test
    void f16DecodesKnownValues() {
        assertEquals(1.0f, HalfFloats.f16ToFloat((short) 0x3c00));
        assertEquals(-2.0f, HalfFloats.f16ToFloat((short) 0xc000));
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals(0x1p-14f, HalfFloats.f16ToFloat((short) 0x0400));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.f16ToFloat((short) 0xfc00));
        assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(HalfFloats.f16ToFloat((short) 0x8000)));
    }

    @Test
    void f16RoundsToNearestWithTiesToEven() {
        assertEquals((short) 0x3c00, HalfFloats.floatToF16(1 + 0x1p-11f), "tie goes down to the even 1.0");
        assertEquals((short) 0x3c02, HalfFloats.floatToF16(1 + 3 * 0x1p-11f), "tie goes up to the even neighbour");
        assertEquals((short) 0x3c01, HalfFloats.floatToF16(1 + 0x1p-11f + 0x1p-20f), "above the tie goes up");
        assertEquals((short) 0x0000, HalfFloats.floatToF16(0x1p-25f), "half the smallest subnormal ties to zero");
        assertEquals((short) 0x0002, HalfFloats.floatToF16(3 * 0x1p-25f));
        assertEquals((short) 0x0400, HalfFloats.floatToF16(0x1p-14f - 0x1p-26f), "rounds up into the normals");
        assertEquals((short) 0x7bff, HalfFloats.floatToF16(65519f));
        assertEquals((short) 0x7c00, HalfFloats.floatToF16(65520f), "overflows to infinity");
        assertEquals((short) 0xfc00, HalfFloats.floatToF16(-1e10f));
        assertEquals((short) 0x8000, HalfFloats.floatToF16(-1e-10f));
    }

    @Test
    void f16RoundingMatchesTheNearestRepresentableValue() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < 100_000; i++) {
            float x = (float) ((rng.nextDouble() - 0.5) * Math.scalb(1.0, rng.nextInt(-26, 17)));
            float rounded = HalfFloats.f16ToFloat(HalfFloats.floatToF16(x));
            short h = HalfFloats.floatToF16(x);
            // neither neighbour of the result may be strictly closer to x
            for (int step = -1; step <= 1; step += 2) {
                float neighbour = HalfFloats.f16ToFloat((short) (h + step));
                if (Float.isFinite(neighbour) && Math.signum(neighbour) * Math.signum(rounded) >= 0) {
                    assertTrue(Math.abs((double) neighbour - x) >= Math.abs((double) rounded - x),
                            () -> x + " rounded to " + rounded + " but " + neighbour + " is closer");
                }
            }
        }
    }

    @Test
    void bf16KeepsTheUpperHalfAndRoundsTiesToEven() {
        assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3f80));
        assertEquals((short) 0x3f80, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3f808000)), "tie to even, down");
        assertEquals((short) 0x3f82, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3f818000)), "tie to even, up");
        assertEquals((short) 0x3f81, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3f808001)));
        assertEquals((short) 0x7f80, HalfFloats.floatToBf16(Float.MAX_VALUE), "overflows to infinity");
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x7f800001)))),
                "a NaN whose payload sits in the dropped half stays NaN");
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.bf16ToFloat((short) bits);
            if (!Float.isNaN(f)) {
                assertEquals((short) bits, HalfFloats.floatToBf16(f));
            }
        }
    }
}
