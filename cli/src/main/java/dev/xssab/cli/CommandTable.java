package dev.xssab.cli;

import java.util.Map;
import picocli.CommandLine;

/**
 * The README's command table, generated from the picocli tree so that it cannot drift from the code:
 * one row per subcommand, nested ones as "parent child", each with its own description.
 * {@code java -cp 'cli/target/classes:cli/target/lib/*' dev.xssab.cli.CommandTable} prints it.
 */
public final class CommandTable {
    private CommandTable() {
    }

    public static void main(String[] args) {
        System.out.print(markdown());
    }

    /** The table as Markdown, header included, every line ending in a newline. */
    static String markdown() {
        StringBuilder table = new StringBuilder("| command | what it does |\n| --- | --- |\n");
        appendRows(table, "", XssabCli.commandLine());
        return table.toString();
    }

    private static void appendRows(StringBuilder table, String prefix, CommandLine parent) {
        for (Map.Entry<String, CommandLine> entry : parent.getSubcommands().entrySet()) {
            CommandLine sub = entry.getValue();
            // getSubcommands() lists every alias as a key of its own; one row per command.
            if (!entry.getKey().equals(sub.getCommandName())) {
                continue;
            }
            String name = prefix + sub.getCommandName();
            String description = String.join(" ", sub.getCommandSpec().usageMessage().description());
            table.append("| `").append(name).append("` | ").append(description.replace("|", "\\|")).append(" |\n");
            appendRows(table, name + " ", sub);
        }
    }
}
