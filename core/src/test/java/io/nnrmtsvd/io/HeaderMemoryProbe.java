package io.nnrmtsvd.io;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * Opens the safetensors file named by its argument and prints how many tensors it holds and how
 * many bytes opening it allocated: run by {@link HeaderMemoryTest} in a JVM of small heap.
 */
public final class HeaderMemoryProbe {
    private HeaderMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Path file = Path.of(args[0]);
        long before = threads.getCurrentThreadAllocatedBytes();
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            System.out.println(st.tensors().size() + " " + allocated);
        }
    }
}
