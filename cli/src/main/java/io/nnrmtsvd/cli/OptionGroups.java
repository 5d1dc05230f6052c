package io.nnrmtsvd.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The option list of a command's help in groups: the command's own options first, then one group
 * per options class it mixes in (data, network, pruning, BEMA fit, ...) under a heading, and the
 * options every command shares last, all in declaration order and in one column layout.
 */
final class OptionGroups implements IHelpSectionRenderer {
    /** Heading of the options every command shares (and of --help and --version). */
    static final String COMMON = "Common options";
    /** Each options class's heading, in the order the groups are shown. */
    private static final Map<Class<?>, String> HEADINGS = new LinkedHashMap<>();

    static {
        HEADINGS.put(DataOptions.class, "Data");
        HEADINGS.put(NetworkOptions.class, "Network and SGD");
        HEADINGS.put(ScheduleOptions.class, "When to prune");
        HEADINGS.put(PruneOptions.class, "Pruning");
        HEADINGS.put(BemaOptions.class, "BEMA fit");
        HEADINGS.put(HeavyTailOptions.class, "Heavy-tailed fit and randomisation");
        HEADINGS.put(RecipeOptions.class, "The follow-up paper's training recipe");
        HEADINGS.put(CheckpointOptions.class, "Checkpoints of other programs");
        HEADINGS.put(AnalysisRunOptions.class, "Checkpoint runs");
        HEADINGS.put(ReportOptions.class, "Run directory and report");
        HEADINGS.put(ThreadOptions.class, COMMON);
        HEADINGS.put(CommonOptions.class, COMMON);
    }

    @Override
    public String render(Help help) {
        Map<String, List<OptionSpec>> groups = new LinkedHashMap<>();
        groups.put("", new ArrayList<>());
        HEADINGS.values().forEach(h -> groups.put(h, new ArrayList<>()));
        for (OptionSpec o : help.commandSpec().options()) {
            if (!o.hidden()) {
                groups.get(heading(o)).add(o);
            }
        }
        boolean ownOptions = hasOwnOptions(help);
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, List<OptionSpec>> g : groups.entrySet()) {
            if (g.getValue().isEmpty()) {
                continue;
            }
            if (!g.getKey().isEmpty()) {
                // the first group needs no blank line: the option list heading ends with one
                text.append(text.length() == 0 && !ownOptions ? "" : System.lineSeparator())
                        .append(g.getKey()).append(':').append(System.lineSeparator());
            }
            text.append(help.optionListExcludingGroups(g.getValue(), help.createDefaultLayout(), null,
                    help.parameterLabelRenderer()));
        }
        return text.toString();
    }

    /** Whether the command has options of its own, shown first under its option list heading. */
    static boolean hasOwnOptions(Help help) {
        return help.commandSpec().options().stream().anyMatch(o -> !o.hidden() && heading(o).isEmpty());
    }

    /** The group of {@code option}: the heading of the options class that declares it, "" for the command's own. */
    static String heading(OptionSpec option) {
        if (option.usageHelp() || option.versionHelp()) {
            return COMMON;
        }
        if (option.userObject() instanceof Field field) {
            return HEADINGS.getOrDefault(field.getDeclaringClass(), "");
        }
        return "";
    }
}
