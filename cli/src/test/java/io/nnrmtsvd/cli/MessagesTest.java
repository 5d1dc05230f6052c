package io.nnrmtsvd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nnrmtsvd.prune.LayerReport;
import io.nnrmtsvd.prune.PruneEvent;
import io.nnrmtsvd.rmt.Bema;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessagesTest {
    @Test
    void countsAgreeWithTheirNouns() {
        assertEquals("1 epoch", Messages.count(1, "epoch"));
        assertEquals("2 epochs", Messages.count(2, "epoch"));
        assertEquals("0 jobs", Messages.count(0, "job"));
    }

    @Test
    void aLayerLeftAloneSaysWhyAtTheEndWithoutNestedParentheses() {
        LayerReport kept = new LayerReport(1, 10, 1000, 0.042, true, 3e-4, 4e-4, 0, 0, 0.45, 10, "unchanged",
                "keeps all 10 singular values", 10_010, 10_010);
        LayerReport split = new LayerReport(0, 1000, 784, 0.0031, true, 4e-4, 1.5e-3, 0, 0, 0.45, 352, "split", "",
                785_000, 628_968);
        List<String> lines = Messages.prune(new PruneEvent(1, Bema.create(), List.of(split, kept), "784-1000-10",
                "784-352-1000-10", 795_010, 638_978));
        assertEquals(List.of("prune before epoch 1: 784-1000-10 -> 784-352-1000-10, 795010 -> 638978 parameters",
                "  layer 0 (1000x784): fit error 0.0031, good fit, spikes 0, k 352, split, 785000 -> 628968 parameters",
                "  layer 1 (10x1000): fit error 0.0420, good fit, spikes 0, k 10, unchanged, 10010 -> 10010 "
                        + "parameters; keeps all 10 singular values"), lines);
        assertEquals(Optional.empty(), lines.stream().filter(l -> l.contains("((") || l.contains("))")).findAny());
    }
}
