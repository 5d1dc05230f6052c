package io.nnrmtsvd.rmt;

import java.util.function.Supplier;

/** Builds a {@link RankSelector} from its text form, as the command line takes it. */
public final class RankSelectors {
    private static final String FORMS =
            "bema, mp-edge, gavish-donoho, gavish-donoho:SIGMA, energy:FRACTION or rank:K";

    private RankSelectors() {
    }

    /**
     * Parses one of
     * <ul>
     *   <li>{@code bema}: {@link BemaSelector} with {@code bema};
     *   <li>{@code mp-edge}: {@link MarchenkoPasturEdgeSelector} with {@code bema};
     *   <li>{@code gavish-donoho}: {@link GavishDonohoSelector#unknownNoise()};
     *   <li>{@code gavish-donoho:SIGMA}: {@link GavishDonohoSelector#knownNoise(double)};
     *   <li>{@code energy:FRACTION}: {@link EnergySelector}, FRACTION in (0, 1];
     *   <li>{@code rank:K}: {@link FixedRankSelector}, K &gt;= 0.
     * </ul>
     * Surrounding white space is ignored; names are case-sensitive.
     *
     * @param bema the BEMA settings of the rules that fit the noise level
     *
     * @throws IllegalArgumentException with a one-line message saying what was wrong and what is accepted
     */
    public static RankSelector parse(String text, Bema bema) {
        String spec = text == null ? "" : text.strip();
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        String argument = colon < 0 ? null : spec.substring(colon + 1);
        switch (name) {
            case "bema":
                noArgument(spec, argument);
                return new BemaSelector(bema);
            case "mp-edge":
                noArgument(spec, argument);
                return new MarchenkoPasturEdgeSelector(bema);
            case "gavish-donoho":
                return argument == null ? GavishDonohoSelector.unknownNoise()
                        : wrap(spec, () -> GavishDonohoSelector.knownNoise(number(spec, argument)));
            case "energy":
                return wrap(spec, () -> new EnergySelector(number(spec, required(spec, argument))));
            case "rank":
                return wrap(spec, () -> new FixedRankSelector(integer(spec, required(spec, argument))));
            default:
                throw new IllegalArgumentException("unknown rank rule '" + spec + "'; use " + FORMS);
        }
    }

    private static void noArgument(String spec, String argument) {
        if (argument != null) {
            throw new IllegalArgumentException("rank rule '" + spec + "' takes no argument; use " + FORMS);
        }
    }

    private static String required(String spec, String argument) {
        if (argument == null || argument.isEmpty()) {
            throw new IllegalArgumentException("rank rule '" + spec + "' needs a value after ':'; use " + FORMS);
        }
        return argument;
    }

    private static double number(String spec, String argument) {
        try {
            return Double.parseDouble(argument);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rank rule '" + spec + "': '" + argument + "' is not a number");
        }
    }

    private static int integer(String spec, String argument) {
        try {
            return Integer.parseInt(argument);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rank rule '" + spec + "': '" + argument + "' is not an integer");
        }
    }

    /** Prefixes a constructor's validation message with the rule text. */
    private static RankSelector wrap(String spec, Supplier<RankSelector> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("rank rule")) {
                throw e;
            }
            throw new IllegalArgumentException("rank rule '" + spec + "': " + e.getMessage(), e);
        }
    }
}
