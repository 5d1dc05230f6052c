package io.nnrmtsvd.prune;

import io.nnrmtsvd.io.InvalidInputException;

/**
 * The fraction of noise singular values a prune keeps, as a function of the epoch (SPEC §5:
 * k = gt + floor(keep * lt)). Values are clamped to [0, 1]; 0 keeps only the signal. Each
 * schedule's {@code toString()} is the text {@link #parse} reads back to it.
 */
public interface KeepSchedule {
    /** The text forms {@link #parse} accepts. */
    String FORMS = "a fraction like 0.45, linear:A:B, falling:H or step:A:EPOCH:B";

    /**
     * @param epoch the 1-based epoch about to train (the prune before the first epoch is epoch 1)
     * @param epochs the number of epochs of the run
     */
    double keep(int epoch, int epochs);

    /** The same fraction every time; the published value is 0.45. */
    static KeepSchedule constant(double keep) {
        return new Constant(keep);
    }

    /** Linear from {@code from} at epoch 1 to {@code to} at the last epoch. */
    static KeepSchedule linear(double from, double to) {
        return new Linear(from, to);
    }

    /**
     * max(0, 1 - (epoch - 1) / horizon): the follow-up paper's falling schedule
     * (horizon 300, counting its first prune as epoch 0).
     */
    static KeepSchedule falling(double horizon) {
        return new Falling(horizon);
    }

    /** {@code before} until epoch {@code at} (exclusive), {@code after} from then on. */
    static KeepSchedule step(double before, int at, double after) {
        return new Step(before, at, after);
    }

    /**
     * Parses {@code 0.45}, {@code linear:A:B}, {@code falling:H} or {@code step:A:E:B}.
     *
     * @throws InvalidInputException naming what is wrong
     */
    static KeepSchedule parse(String text) {
        String[] parts = text.trim().split(":");
        try {
            return switch (parts[0]) {
                case "linear" -> {
                    requireParts(text, parts, 3);
                    yield linear(Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
                }
                case "falling" -> {
                    requireParts(text, parts, 2);
                    yield falling(Double.parseDouble(parts[1]));
                }
                case "step" -> {
                    requireParts(text, parts, 4);
                    yield step(Double.parseDouble(parts[1]), Integer.parseInt(parts[2]),
                            Double.parseDouble(parts[3]));
                }
                default -> {
                    requireParts(text, parts, 1);
                    yield constant(Double.parseDouble(parts[0]));
                }
            };
        } catch (NumberFormatException e) {
            throw new InvalidInputException("bad keep schedule '" + text + "': use " + FORMS);
        }
    }

    private static void requireParts(String text, String[] parts, int count) {
        if (parts.length != count) {
            throw new InvalidInputException("bad keep schedule '" + text + "': use " + FORMS);
        }
    }

    private static void checkFraction(String what, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new InvalidInputException(what + " must be a fraction in [0, 1], got " + value);
        }
    }

    /** @see #constant */
    record Constant(double fraction) implements KeepSchedule {
        public Constant {
            checkFraction("keep", fraction);
        }

        @Override
        public double keep(int epoch, int epochs) {
            return fraction;
        }

        @Override
        public String toString() {
            return Double.toString(fraction);
        }
    }

    /** @see #linear */
    record Linear(double from, double to) implements KeepSchedule {
        public Linear {
            checkFraction("linear start", from);
            checkFraction("linear end", to);
        }

        @Override
        public double keep(int epoch, int epochs) {
            return epochs <= 1 ? from : from + (to - from) * (epoch - 1) / (epochs - 1.0);
        }

        @Override
        public String toString() {
            return "linear:" + from + ":" + to;
        }
    }

    /** @see #falling */
    record Falling(double horizon) implements KeepSchedule {
        public Falling {
            if (!(horizon > 0) || Double.isInfinite(horizon)) {
                throw new InvalidInputException("falling horizon must be positive and finite, got " + horizon);
            }
        }

        @Override
        public double keep(int epoch, int epochs) {
            return Math.max(0, 1 - (epoch - 1) / horizon);
        }

        @Override
        public String toString() {
            return "falling:" + horizon;
        }
    }

    /** @see #step */
    record Step(double before, int at, double after) implements KeepSchedule {
        public Step {
            checkFraction("step start", before);
            checkFraction("step end", after);
            if (at < 1) {
                throw new InvalidInputException("step epoch must be at least 1, got " + at);
            }
        }

        @Override
        public double keep(int epoch, int epochs) {
            return epoch < at ? before : after;
        }

        @Override
        public String toString() {
            return "step:" + before + ":" + at + ":" + after;
        }
    }
}
