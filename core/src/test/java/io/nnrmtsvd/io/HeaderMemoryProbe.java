package io.nnrmtsvd.io;

import java.nio.file.Path;

/**
 * Opens the safetensors file named by its argument and prints how many tensors it holds: run by
 * {@link HeaderMemoryTest} in a JVM of small heap.
 */
public final class HeaderMemoryProbe {
    private HeaderMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (SafetensorsFile st = SafetensorsFile.open(Path.of(args[0]))) {
            System.out.println(st.tensors().size());
        }
    }
}
