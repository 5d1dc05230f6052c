package io.nnrmtsvd.cli;

import java.util.ResourceBundle;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How every command's {@code --help} reads: a short synopsis ({@code rmtsvd train [OPTIONS]}), the
 * options in groups ({@link OptionGroups}), the examples in each command's footer, and option
 * descriptions reworded for the command they are shown in where a shared option means something
 * different there ({@code HelpTexts.properties}, keys {@code rmtsvd.<command>.<option>}).
 */
final class HelpFormat {
    /** The resource bundle of per-command option descriptions. */
    static final String TEXTS = "io.nnrmtsvd.cli.HelpTexts";

    private HelpFormat() {
    }

    /** Applies the format to {@code root} and all its subcommands. */
    static void apply(CommandLine root) {
        System.setProperty("rmtsvd.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        root.setResourceBundle(ResourceBundle.getBundle(TEXTS));
        format(root);
    }

    private static void format(CommandLine cli) {
        cli.getCommandSpec().versionProvider(new Version());
        UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
        usage.abbreviateSynopsis(true).sortOptions(false);
        if (usage.parameterListHeading().isEmpty()) {
            usage.parameterListHeading("%nArguments:%n");
        }
        if (usage.descriptionHeading().isEmpty()) {
            usage.descriptionHeading("%n");
        }
        if (usage.optionListHeading().isEmpty()) {
            usage.optionListHeading("%nOptions:%n");
        }
        if (usage.commandListHeading().equals("Commands:%n")) {
            usage.commandListHeading("%nCommands:%n");
        }
        cli.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING,
                help -> OptionGroups.hasOwnOptions(help) ? help.optionListHeading() : System.lineSeparator());
        cli.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, new OptionGroups());
        cli.getSubcommands().values().forEach(HelpFormat::format);
    }
}
