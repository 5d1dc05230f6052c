package io.nnrmtsvd.io;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.TestReporter;

/**
 * Runs one parser over many generated inputs and records every input that breaks the loaders'
 * contract. An input passes if the parser either returns a result that the caller's check accepts,
 * or throws {@link InvalidInputException} with a non-empty one-line message free of control
 * characters. It fails on any other exception or error, if the parse allocates more than
 * {@link #allowedBytes(long)} on this thread, or if it takes {@link #TIME_LIMIT_NANOS} or longer.
 *
 * <p>The allocation bound is {@value #FACTOR} × the input size + {@value #SLACK_BYTES} bytes. The
 * factor 4 is the widest conversion the binary loaders make (a 2-byte float16 element becomes an
 * 8-byte double); the slack covers their fixed buffers (a read chunk of at most 1 MiB, 64 KiB
 * stream buffers, the JSON parser's recycled buffers) and the exception and its message. The
 * text format (CSV) passes its own, larger factor. Allocation is measured with
 * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}, which counts every
 * heap allocation of the calling thread, garbage included.
 *
 * <p>Inputs are written to one reused file, since the loaders read from paths.
 */
public final class FuzzHarness {
    /** Bytes allowed per input byte. */
    public static final long FACTOR = 4;
    /** Fixed allowance per parse. */
    public static final long SLACK_BYTES = 2 << 20;
    /** Time allowed per input, parse and check together. */
    public static final long TIME_LIMIT_NANOS = 1_000_000_000L;

    private static final Pattern LINE_BREAK_OR_CONTROL = Pattern.compile("[\\p{Cc}\\u2028\\u2029]");
    private static final int FAILURES_SHOWN = 10;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Reads {@code file}; the result goes to the check. */
    @FunctionalInterface
    public interface Parse<T> {
        T parse(Path file) throws Exception;
    }

    /** Checks a successful parse for consistency; throws (an AssertionError, say) if it is not. */
    @FunctionalInterface
    public interface Check<T> {
        void check(T result, byte[] input) throws Exception;
    }

    /** Builds one input with flaws chosen by {@code rng}, appending their names to {@code label}. */
    @FunctionalInterface
    public interface Structured {
        byte[] build(SplittableRandom rng, StringBuilder label);
    }

    private final String name;
    private final Path file;
    private final long factor;
    private int inputs;
    private int accepted;
    private int rejected;
    private final List<String> failures = new ArrayList<>();
    private int failureCount;
    private long maxNanos;
    private long maxAllocated;
    private long parseNanos;

    /**
     * @param name the parser's name in the summary line
     * @param file the file each input is written to
     * @param factor bytes allowed per input byte ({@link #FACTOR} for binary formats)
     */
    public FuzzHarness(String name, Path file, long factor) {
        if (!THREADS.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot measure per-thread allocation");
        }
        THREADS.setThreadAllocatedMemoryEnabled(true);
        this.name = name;
        this.file = file;
        this.factor = factor;
    }

    public FuzzHarness(String name, Path file) {
        this(name, file, FACTOR);
    }

    /** The allocation allowed for an input of {@code size} bytes. */
    public long allowedBytes(long size) {
        return factor * size + SLACK_BYTES;
    }

    /** Runs one input whose allocation bound follows from its own size. */
    public <T> void run(String label, byte[] input, Parse<T> parse, Check<T> check) throws IOException {
        run(label, input, input.length, parse, check);
    }

    /**
     * Runs one input.
     *
     * @param label names the input class and how to regenerate it (seed and index)
     * @param boundSize the size the allocation bound is computed from: the input's length, or
     *     more for compressed inputs, whose content may legitimately be larger
     */
    public <T> void run(String label, byte[] input, long boundSize, Parse<T> parse, Check<T> check)
            throws IOException {
        write(input);
        inputs++;
        T result = null;
        Throwable thrown = null;
        long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        try {
            result = parse.parse(file);
        } catch (Throwable t) { // errors too: an OutOfMemoryError is exactly what this looks for
            thrown = t;
        }
        long nanos = System.nanoTime() - start;
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
        maxNanos = Math.max(maxNanos, nanos);
        parseNanos += nanos;
        maxAllocated = Math.max(maxAllocated, allocated);
        String problem = null;
        if (thrown instanceof InvalidInputException e) {
            rejected++;
            String message = e.getMessage();
            if (message == null || message.isBlank()) {
                problem = "empty message";
            } else if (LINE_BREAK_OR_CONTROL.matcher(message).find()) {
                problem = "message is not one line of printable text: " + visible(message);
            }
        } else if (thrown != null) {
            problem = describe(thrown);
        } else {
            accepted++;
            try {
                check.check(result, input);
            } catch (Throwable t) {
                problem = "accepted but inconsistent: " + describe(t);
            }
        }
        if (problem == null && allocated > allowedBytes(boundSize)) {
            problem = "allocated " + allocated + " bytes, over the bound of " + allowedBytes(boundSize)
                    + " for " + boundSize + " bytes";
        }
        if (problem == null && nanos >= TIME_LIMIT_NANOS) {
            problem = "took " + nanos / 1_000_000 + " ms";
        }
        if (problem != null) {
            failureCount++;
            if (failures.size() < FAILURES_SHOWN) {
                failures.add(label + " (" + input.length + " bytes): " + problem);
            }
        }
    }

    /**
     * The fuzz run each loader gets: every seed parsed and checked once, outside the measurement, so
     * that class loading is not counted as the parser's allocation; then {@code perClass} mutations
     * of the seeds and {@code perClass} structured inputs; then {@link #finish}, and a check that
     * enough inputs were valid for the checks on accepted results to have been exercised.
     * Input {@code i} of each class depends only on {@code seed} and {@code i}, so a failure's label
     * is enough to rebuild it.
     */
    public <T> void fuzz(TestReporter reporter, long seed, List<byte[]> seeds, List<String> tokens,
            Structured structured, int perClass, Parse<T> parse, Check<T> check) throws Exception {
        for (byte[] input : seeds) {
            write(input);
            check.check(parse.parse(file), input);
        }
        Mutator mutator = new Mutator(tokens);
        for (int i = 0; i < perClass; i++) {
            SplittableRandom rng = Mutator.random(seed, i);
            Mutator.Mutated m = mutator.mutate(seeds.get(rng.nextInt(seeds.size())), rng);
            run("mutated " + m.label() + " #" + i, m.bytes(), parse, check);
        }
        for (int i = 0; i < perClass; i++) {
            SplittableRandom rng = Mutator.random(seed + 1, i);
            StringBuilder label = new StringBuilder("structured #" + i);
            byte[] input = structured.build(rng, label);
            run(label.toString(), input, parse, check);
        }
        finish(reporter, 2 * perClass);
        if (accepted <= 200) {
            throw new AssertionError(summary() + "; expected more than 200 accepted inputs");
        }
    }

    /**
     * Overwrites the file in place and then cuts it to length: truncating to zero first, as
     * {@code Files.write} does, makes ext4 flush the blocks on close, which costs a millisecond
     * an input.
     */
    private void write(byte[] input) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(input);
            while (buffer.hasRemaining()) {
                channel.write(buffer, buffer.position());
            }
            channel.truncate(input.length);
        }
    }

    private static String describe(Throwable t) {
        StringBuilder s = new StringBuilder(t.toString());
        StackTraceElement[] trace = t.getStackTrace();
        for (int i = 0; i < Math.min(6, trace.length); i++) {
            s.append("\n        at ").append(trace[i]);
        }
        return s.toString();
    }

    private static String visible(String message) {
        StringBuilder s = new StringBuilder();
        message.codePoints().limit(300).forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                s.append(String.format("\\u%04x", c));
            } else {
                s.appendCodePoint(c);
            }
        });
        return s.toString();
    }

    /** The summary line, e.g. "fuzz npy: 10000 inputs, 0 failures (...)". */
    public String summary() {
        return "fuzz " + name + ": " + inputs + " inputs, " + failureCount + " failures (" + accepted + " accepted, "
                + rejected + " rejected; slowest " + maxNanos / 1_000_000 + " ms, most allocated "
                + maxAllocated / 1024 + " KiB, " + parseNanos / 1_000_000 + " ms parsing in all)";
    }

    /** Prints and publishes the summary line, then fails if any input failed. */
    public void finish(TestReporter reporter, int minimumInputs) {
        String summary = summary();
        System.out.println(summary);
        reporter.publishEntry("fuzz " + name, summary);
        assertPassed(minimumInputs);
    }

    /** Fails if any input failed or fewer than {@code minimumInputs} ran; prints nothing. */
    public void assertPassed(int minimumInputs) {
        if (failureCount > 0) {
            throw new AssertionError(summary() + "; first failures:\n  " + String.join("\n  ", failures));
        }
        if (inputs < minimumInputs) {
            throw new AssertionError(summary() + "; expected at least " + minimumInputs + " inputs");
        }
    }

    public int inputs() {
        return inputs;
    }

    public int accepted() {
        return accepted;
    }

    public int rejected() {
        return rejected;
    }
}
