package io.nnrmtsvd.cli;

import io.nnrmtsvd.io.Printable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one line a mistake on the command line gets: what was wrong, the closest command or option
 * when the word looks like a typo of one, and where the help is, e.g.
 * {@code unknown option '--epoch'; did you mean --epochs? See 'rmtsvd train --help'.}
 */
final class UsageErrors {
    private UsageErrors() {
    }

    /** The line for {@code e}, without the {@code rmtsvd: } prefix. */
    static String line(ParameterException e) {
        CommandLine cli = e.getCommandLine();
        String help = " See '" + cli.getCommandSpec().qualifiedName() + " --help'.";
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            return unmatched(cli, unmatched) + help;
        }
        return sentence(firstLine(e.getMessage())) + help;
    }

    private static String unmatched(CommandLine cli, UnmatchedArgumentException e) {
        String word = e.getUnmatched().get(0);
        boolean option = word.startsWith("-") && word.length() > 1;
        String shown = Printable.name(option ? word.split("=", 2)[0] : word);
        String what;
        if (option) {
            what = "unknown option '" + shown + "'";
        } else if (!cli.getSubcommands().isEmpty()) {
            what = "unknown command '" + shown + "'";
        } else {
            what = "unexpected argument '" + shown + "'";
        }
        List<String> candidates = new ArrayList<>();
        if (option) {
            cli.getCommandSpec().options().stream().filter(o -> !o.hidden())
                    .forEach(o -> candidates.addAll(List.of(o.names())));
        } else {
            cli.getSubcommands().forEach((name, sub) -> {
                if (!sub.getCommandSpec().usageMessage().hidden()) {
                    candidates.add(name);
                }
            });
        }
        return closest(option ? word.split("=", 2)[0] : word, candidates)
                .map(c -> what + "; did you mean " + c + "?").orElse(what + ".");
    }

    /**
     * The candidate nearest to {@code word} if it is near enough to be a typo of it: at most one
     * edit in three characters, and two at least, counting a swap of neighbours as one edit.
     */
    static Optional<String> closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = editDistance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, word.replaceFirst("^-+", "").length() / 3);
        return best != null && bestDistance > 0 && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Insertions, deletions, substitutions and swaps of adjacent characters that turn a into b. */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** picocli's message as a sentence in the style of the others: lower-case start, one full stop. */
    private static String sentence(String message) {
        String text = Printable.text(message, false).strip();
        if (text.length() > 1 && Character.isUpperCase(text.charAt(0)) && Character.isLowerCase(text.charAt(1))) {
            text = text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
        }
        return text.endsWith(".") ? text : text + ".";
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
