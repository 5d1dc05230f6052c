package io.nnrmtsvd.cli;

import java.util.Locale;

/** One line that says which limit of the Java runtime a command ran into and how to raise it. */
final class ResourceLimits {
    private ResourceLimits() {
    }

    static String explain(Error e) {
        if (e instanceof StackOverflowError) {
            return "the thread stack ran out (the input is nested too deeply for it); raise it with "
                    + "RMTSVD_JAVA_OPTS=-Xss16m (./rmtsvd) or java -Xss16m -jar rmtsvd.jar";
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("Direct buffer") || message.contains("Physical memory") || message.contains("allocate")) {
            return "out of native memory (" + message.lines().findFirst().orElse("") + "); give the process more with "
                    + "RMTSVD_JAVA_OPTS=-Dorg.bytedeco.javacpp.maxBytes=<size> or lower --max-memory and --jobs";
        }
        return String.format(Locale.ROOT, "out of memory: the Java heap is full at its limit of %.1f GiB; raise it with "
                + "RMTSVD_JAVA_OPTS=-Xmx<size> (./rmtsvd) or java -Xmx<size> -jar rmtsvd.jar, e.g. -Xmx%dg",
                Runtime.getRuntime().maxMemory() / (double) (1L << 30),
                Math.max(2, 2 * (int) Math.ceil(Runtime.getRuntime().maxMemory() / (double) (1L << 30))));
    }
}
