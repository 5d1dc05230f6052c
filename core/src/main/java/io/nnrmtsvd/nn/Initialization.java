package io.nnrmtsvd.nn;

import io.nnrmtsvd.io.InvalidInputException;
import java.util.Locale;
import java.util.SplittableRandom;

/** How a new network's parameters are drawn. */
public enum Initialization {
    /**
     * PyTorch's {@code nn.Linear} default (SPEC §7): weights and biases uniform on
     * [-1/sqrt(in), 1/sqrt(in)].
     */
    UNIFORM,
    /**
     * The follow-up paper's (arXiv 2310.03165, its notebook's {@code SplittableLinear}): weights
     * normal with mean 0 and variance 1/in, biases zero.
     */
    NORMAL;

    /** The name used on the command line and in JSON: {@code uniform} or {@code normal}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code uniform} or {@code normal}.
     *
     * @throws InvalidInputException for any other text
     */
    public static Initialization parse(String text) {
        for (Initialization i : values()) {
            if (i.cliName().equals(text.strip())) {
                return i;
            }
        }
        throw new InvalidInputException("--init must be uniform or normal, got " + text);
    }

    /** Fills the weights (out x in) and biases (out) of a layer with {@code in} inputs. Modified. */
    void fill(float[] weights, float[] biases, int in, SplittableRandom random) {
        double scale = 1.0 / Math.sqrt(in);
        if (this == UNIFORM) {
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) random.nextDouble(-scale, scale);
            }
            for (int i = 0; i < biases.length; i++) {
                biases[i] = (float) random.nextDouble(-scale, scale);
            }
        } else {
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) (scale * random.nextGaussian());
            }
            java.util.Arrays.fill(biases, 0f);
        }
    }

    @Override
    public String toString() {
        return cliName();
    }
}
