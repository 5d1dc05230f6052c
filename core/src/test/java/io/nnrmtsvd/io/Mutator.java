package io.nnrmtsvd.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded byte-level mutations of valid files: truncation, bit flips, insertions, deletions,
 * overwrites with boundary values (0, -1, the extremes of 16-, 32- and 64-bit integers in both byte
 * orders), duplicated ranges, and splices of format-specific tokens. Each call applies one to
 * three of them and names them in {@link Mutated#label()}, so a failure says which class of input
 * broke the parser.
 */
public final class Mutator {
    private static final long[] BOUNDARY = {0, -1, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, Integer.MAX_VALUE,
        Integer.MIN_VALUE, 0xffffffffL, Long.MAX_VALUE, Long.MIN_VALUE, 100_000_001, 1L << 40, 1L << 31};

    /** A mutated input and the names of the mutations applied. */
    public record Mutated(byte[] bytes, String label) {
    }

    private final List<byte[]> tokens;

    /** @param tokens format-specific byte strings to splice in (JSON punctuation, keywords, ...) */
    public Mutator(List<String> tokens) {
        this.tokens = tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** The seed for input {@code index} of a run seeded with {@code seed}: reproducible one by one. */
    public static SplittableRandom random(long seed, int index) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    }

    /** One to three mutations of {@code seed} (not modified). */
    public Mutated mutate(byte[] seed, SplittableRandom rng) {
        byte[] bytes = seed.clone();
        int n = 1 + rng.nextInt(3);
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int kind = rng.nextInt(9);
            label.append(i == 0 ? "" : "+");
            switch (kind) {
                case 0 -> {
                    bytes = Arrays.copyOf(bytes, bytes.length == 0 ? 0 : rng.nextInt(bytes.length));
                    label.append("truncate");
                }
                case 1 -> {
                    int flips = 1 + rng.nextInt(8);
                    for (int f = 0; f < flips && bytes.length > 0; f++) {
                        bytes[rng.nextInt(bytes.length)] ^= (byte) (1 << rng.nextInt(8));
                    }
                    label.append("bitflip");
                }
                case 2 -> {
                    byte[] inserted = new byte[1 + rng.nextInt(16)];
                    rng.nextBytes(inserted);
                    bytes = splice(bytes, rng.nextInt(bytes.length + 1), 0, inserted);
                    label.append("insert");
                }
                case 3 -> {
                    if (bytes.length > 0) {
                        int at = rng.nextInt(bytes.length);
                        bytes = splice(bytes, at, 1 + rng.nextInt(Math.min(32, bytes.length - at)), new byte[0]);
                    }
                    label.append("delete");
                }
                case 4 -> {
                    overwriteBoundary(bytes, rng);
                    label.append("boundary");
                }
                case 5 -> {
                    if (bytes.length > 0) {
                        int from = rng.nextInt(bytes.length);
                        int length = 1 + rng.nextInt(Math.min(64, bytes.length - from));
                        byte[] copy = Arrays.copyOfRange(bytes, from, from + length);
                        bytes = splice(bytes, rng.nextInt(bytes.length + 1), 0, copy);
                    }
                    label.append("duplicate");
                }
                case 6, 7 -> {
                    byte[] token = tokens.get(rng.nextInt(tokens.size()));
                    int at = rng.nextInt(bytes.length + 1);
                    int replaced = rng.nextBoolean() ? 0 : Math.min(bytes.length - at, rng.nextInt(4));
                    bytes = splice(bytes, at, replaced, token);
                    label.append("token");
                }
                default -> {
                    byte[] tail = new byte[rng.nextInt(64)];
                    rng.nextBytes(tail);
                    bytes = splice(bytes, bytes.length, 0, tail);
                    label.append("append");
                }
            }
        }
        return new Mutated(bytes, label.toString());
    }

    private static void overwriteBoundary(byte[] bytes, SplittableRandom rng) {
        int width = new int[] {1, 2, 4, 8}[rng.nextInt(4)];
        if (bytes.length < width) {
            return;
        }
        long value = BOUNDARY[rng.nextInt(BOUNDARY.length)];
        int at = rng.nextInt(bytes.length - width + 1);
        boolean bigEndian = rng.nextBoolean();
        for (int i = 0; i < width; i++) {
            int shift = 8 * (bigEndian ? width - 1 - i : i);
            bytes[at + i] = (byte) (value >>> shift);
        }
    }

    /** {@code bytes} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
    public static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + inserted.length);
        out.write(bytes, 0, at);
        out.write(inserted, 0, inserted.length);
        out.write(bytes, at + removed, bytes.length - at - removed);
        return out.toByteArray();
    }
}
