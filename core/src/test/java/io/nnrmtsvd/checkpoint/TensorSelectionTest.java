package io.nnrmtsvd.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.io.Dtype;
import io.nnrmtsvd.io.TensorInfo;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TensorSelectionTest {
    private static TensorInfo tensor(String name, Dtype dtype, long... shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        return new TensorInfo(name, dtype, shape, 0, count * dtype.byteSize());
    }

    @Test
    void globsMatchWholeNamesAcrossDots() {
        assertTrue(TensorSelection.matches("h.*.mlp.*", "h.10.mlp.c_fc.weight"));
        assertTrue(TensorSelection.matches("*.weight", "wte.weight"));
        assertFalse(TensorSelection.matches("*.weight", "wte.weight.extra"));
        assertTrue(TensorSelection.matches("h.?.attn*", "h.3.attn.c_proj.bias"));
        assertFalse(TensorSelection.matches("h.?.attn*", "h.12.attn.c_proj.bias"));
        assertTrue(TensorSelection.matches("a+b[1]", "a+b[1]"), "regex characters are literal");
        assertFalse(TensorSelection.matches("a.b", "axb"));
    }

    @Test
    void everySkipHasItsReason() {
        TensorSelection s = new TensorSelection(List.of("h.*"), List.of("*.c_attn.*"), 10);
        assertEquals(Optional.empty(), s.skipReason(tensor("h.0.mlp.c_fc.weight", Dtype.BF16, 64, 256)));
        assertEquals(Optional.of("not matched by --include h.*"), s.skipReason(tensor("wte.weight", Dtype.F32, 96, 64)));
        assertEquals(Optional.of("excluded by --exclude *.c_attn.*"),
                s.skipReason(tensor("h.0.attn.c_attn.weight", Dtype.F16, 64, 192)));
        assertEquals(Optional.of("not 2-D or 4-D (shape [64])"), s.skipReason(tensor("h.0.ln_1.weight", Dtype.F16, 64)));
        assertEquals(Optional.of("smaller than --min-dim 10 (shape [9, 300])"),
                s.skipReason(tensor("h.0.x.weight", Dtype.F32, 9, 300)));
        assertTrue(s.skipReason(tensor("h.0.ids", Dtype.I64, 16, 16)).orElseThrow().startsWith("unsupported dtype I64"));
        assertTrue(s.skipReason(tensor("h.0.huge", Dtype.BF16, 70000, 70000)).orElseThrow().startsWith("too large"));
        assertEquals(Optional.empty(), s.skipReason(tensor("h.0.conv.weight", Dtype.F32, 64, 32, 3, 3)),
                "a convolution is analysed");
        assertEquals(Optional.of("not 2-D or 4-D (shape [64, 32, 3, 3, 3])"),
                s.skipReason(tensor("h.0.conv3d.weight", Dtype.F32, 64, 32, 3, 3, 3)));
        assertEquals(Optional.of("an empty kernel (shape [64, 32, 0, 3])"),
                s.skipReason(tensor("h.0.empty.weight", Dtype.F32, 64, 32, 0, 3)));
        assertThrows(IllegalArgumentException.class, () -> new TensorSelection(List.of(), List.of(), 0));
    }

    @Test
    void aConvolutionIsAnalysedUnfolded() {
        assertArrayEquals(new long[] {64, 288}, TensorSelection.matrixShape(tensor("c.weight", Dtype.F32, 64, 32, 3, 3)));
        assertArrayEquals(new long[] {64, 32}, TensorSelection.matrixShape(tensor("l.weight", Dtype.F32, 64, 32)));
    }
}
