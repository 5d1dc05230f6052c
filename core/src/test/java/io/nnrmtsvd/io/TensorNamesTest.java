package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TensorNamesTest {
    /** The order as first written: runs of digits compared as numbers, via stripped substrings. */
    private static int reference(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int ei = i;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                int ej = j;
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                String na = a.substring(i, ei).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(j, ej).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    @Test
    void ordersDigitRunsByValue() {
        List<String> names = new ArrayList<>(List.of("layers.10.weight", "layers.2.weight", "layers.2.bias",
                "layers.002.weight", "layers.0.weight", "h.1.attn", "layers.1.weight", "layers.00.weight"));
        names.sort(TensorNames.NATURAL);
        assertEquals(List.of("h.1.attn", "layers.0.weight", "layers.00.weight", "layers.1.weight", "layers.2.bias",
                "layers.2.weight", "layers.002.weight", "layers.10.weight"), names);
    }

    @Test
    void agreesWithTheReferenceOnRandomNames() {
        SplittableRandom rng = new SplittableRandom(23);
        String alphabet = "0012.9a\u0663\u0660b";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder();
            for (int k = rng.nextInt(8); k > 0; k--) {
                s.append(alphabet.charAt(rng.nextInt(alphabet.length())));
            }
            names.add(s.toString());
        }
        for (int i = 0; i < 20_000; i++) {
            String a = names.get(rng.nextInt(names.size()));
            String b = names.get(rng.nextInt(names.size()));
            assertEquals(Integer.signum(reference(a, b)), Integer.signum(TensorNames.NATURAL.compare(a, b)),
                    a + " vs " + b);
        }
    }

    /** Sorting 160,000 names allocates only the sort's own buffer: comparing makes no Strings. */
    @Test
    void comparingAllocatesNothing() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 160_000; i++) {
            names.add("model.layers." + i + ".mlp.down_proj.weight");
        }
        Collections.shuffle(names, new Random(29));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        names.sort(TensorNames.NATURAL);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4L << 20, "sorting allocated " + allocated + " bytes");
        assertEquals("model.layers.0.mlp.down_proj.weight", names.get(0));
        assertEquals("model.layers.159999.mlp.down_proj.weight", names.get(names.size() - 1));
    }
}
