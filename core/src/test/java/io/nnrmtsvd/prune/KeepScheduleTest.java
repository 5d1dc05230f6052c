package io.nnrmtsvd.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nnrmtsvd.io.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeepScheduleTest {
    private static final double EXACT = 1e-15;

    @Test
    void constantIsTheSameEveryEpoch() {
        KeepSchedule keep = KeepSchedule.constant(0.45);
        for (int epoch = 1; epoch <= 9; epoch++) {
            assertEquals(0.45, keep.keep(epoch, 9), EXACT);
        }
        assertEquals(0.0, KeepSchedule.constant(0).keep(3, 9), EXACT);
    }

    @Test
    void linearRunsFromFirstToLastEpoch() {
        KeepSchedule keep = KeepSchedule.linear(0.8, 0.2);
        assertEquals(0.8, keep.keep(1, 7), EXACT);
        assertEquals(0.5, keep.keep(4, 7), 1e-12);
        assertEquals(0.2, keep.keep(7, 7), 1e-12);
        assertEquals(0.8, keep.keep(1, 1), EXACT, "a one-epoch run uses the start");
        assertEquals(1.0, KeepSchedule.linear(0, 1).keep(10, 10), 1e-12);
    }

    @Test
    void fallingIsMaxOfZeroAndOneMinusEpochsSinceFirstOverHorizon() {
        KeepSchedule keep = KeepSchedule.falling(300);
        assertEquals(1.0, keep.keep(1, 1000), EXACT);
        assertEquals(1 - 1 / 300.0, keep.keep(2, 1000), 1e-12);
        assertEquals(0.5, keep.keep(151, 1000), 1e-12);
        assertEquals(0.0, keep.keep(301, 1000), EXACT);
        assertEquals(0.0, keep.keep(500, 1000), EXACT);
    }

    @Test
    void stepSwitchesAtTheGivenEpoch() {
        KeepSchedule keep = KeepSchedule.step(0.5, 3, 0.1);
        assertEquals(0.5, keep.keep(1, 9), EXACT);
        assertEquals(0.5, keep.keep(2, 9), EXACT);
        assertEquals(0.1, keep.keep(3, 9), EXACT);
        assertEquals(0.1, keep.keep(9, 9), EXACT);
    }

    @Test
    void parseBuildsEachSchedule() {
        assertEquals(0.45, KeepSchedule.parse("0.45").keep(5, 9), EXACT);
        assertEquals(0.45, KeepSchedule.parse(" 0.45 ").keep(5, 9), EXACT);
        assertEquals(1.0, KeepSchedule.parse("linear:1:0").keep(1, 5), EXACT);
        assertEquals(0.0, KeepSchedule.parse("linear:1:0").keep(5, 5), 1e-12);
        assertEquals(0.5, KeepSchedule.parse("falling:10").keep(6, 20), 1e-12);
        assertEquals(0.5, KeepSchedule.parse("step:0.5:3:0.1").keep(2, 9), EXACT);
        assertEquals(0.1, KeepSchedule.parse("step:0.5:3:0.1").keep(3, 9), EXACT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.5", "-0.1", "NaN", "linear:1", "linear:0:2", "linear:a:b",
        "falling:0", "falling:-3", "falling", "falling:x", "step:0.5:3", "step:0.5:x:0.1", "step:0.5:3:2",
        "0.4:0.5", "cosine:1:0"})
    void parseRejectsMalformedSchedules(String text) {
        assertThrows(InvalidInputException.class, () -> KeepSchedule.parse(text));
    }

    @Test
    void factoriesRejectOutOfRangeValues() {
        assertThrows(InvalidInputException.class, () -> KeepSchedule.constant(1.01));
        assertThrows(InvalidInputException.class, () -> KeepSchedule.linear(-0.1, 0.5));
        assertThrows(InvalidInputException.class, () -> KeepSchedule.falling(Double.NaN));
        assertThrows(InvalidInputException.class, () -> KeepSchedule.step(0.5, 2, Double.NaN));
    }
}
