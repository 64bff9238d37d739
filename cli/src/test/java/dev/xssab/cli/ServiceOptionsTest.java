package dev.xssab.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.config.SettingGroup;
import dev.xssab.explainer.ExplainerSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The generated setting flags beside each command's own options. */
class ServiceOptionsTest {
    @Command(name = "shadowing")
    static final class ShadowingCommand implements ServiceOptions.UsesSettings {
        @Mixin
        ServiceOptions service;

        @Option(names = "--batch")
        int batch = 8;

        @Override
        public List<SettingGroup> settingGroups() {
            return List.of(ExplainerSettings.GROUP);
        }
    }

    /** bench-pipeline's own int --batch once crashed config() with a ClassCastException; every command is read here. */
    @Test
    void everyCommandReadsItsSettingsWithItsOwnOptionsAtTheirDefaults() {
        List<String> read = new ArrayList<>();
        for (CommandLine c : commands(XssabCli.commandLine(), new ArrayList<>())) {
            if (c.getMixins().get("service") instanceof ServiceOptions options) {
                assertDoesNotThrow(options::config, c.getCommandName());
                read.add(c.getCommandName());
            }
        }
        List<String> expected = List.of("bench-pipeline", "bench-latency", "gateway", "explainer", "aggregates", "ui", "submit", "evaluate");
        assertTrue(read.containsAll(expected), read.toString());
    }

    @Test
    void aCommandOptionNamedLikeASettingsFlagIsRefusedAtStartNamingBoth() {
        CommandLine cli = new CommandLine(new ShadowingCommand());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServiceOptions.addFlags(cli));
        assertTrue(e.getMessage().contains("--batch") && e.getMessage().contains("explainer.batch"), e.getMessage());
    }

    private static List<CommandLine> commands(CommandLine root, List<CommandLine> out) {
        out.add(root);
        root.getSubcommands().values().forEach(c -> commands(c, out));
        return out;
    }
}
