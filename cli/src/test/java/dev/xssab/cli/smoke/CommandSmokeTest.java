package dev.xssab.cli.smoke;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.cli.ModelOptions;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.SettingGroup;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Every command of README.md's command table, through the CLI's real picocli tree: its --help
 * exits 0 and names it, and a minimal valid argument line parses to it and resolves what it reads
 * at start (its declared settings at their defaults, its model). Fast: nothing runs, nothing
 * connects; {@link CommandSmokeIT} runs each command for real.
 */
class CommandSmokeTest {
    /** Each README command's smallest valid argument line (after the command's own words). Files need not exist to parse. */
    static final Map<String, List<String>> MINIMAL_ARGUMENTS = minimalArguments();

    private static Map<String, List<String>> minimalArguments() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("models", List.of());
        m.put("models list", List.of());
        m.put("models fetch", List.of("--to", "flat-models"));
        m.put("explain", List.of("probe.jpg", "reference.jpg"));
        m.put("verify", List.of("probe.jpg", "reference.jpg"));
        m.put("calibrate", List.of("--pairs", "pairs.csv", "--images", "faces"));
        m.put("bench", List.of());
        m.put("broker", List.of());
        m.put("registry", List.of());
        m.put("gateway", List.of());
        m.put("explainer", List.of());
        m.put("audit", List.of());
        m.put("audit run", List.of());
        m.put("audit list", List.of());
        m.put("audit show", List.of("request-1", "--out", "panels"));
        m.put("audit purge", List.of("--older-than", "P30D"));
        m.put("audit erase", List.of("--request", "request-1"));
        m.put("audit rotate-key", List.of());
        m.put("submit", List.of("probe.jpg", "reference.jpg"));
        m.put("up", List.of());
        m.put("down", List.of());
        m.put("demo", List.of());
        m.put("bench-pipeline", List.of());
        m.put("aggregates", List.of());
        m.put("evaluate", List.of("--dataset", "csv:faces"));
        m.put("patchlfw", List.of("--dataset", "csv:faces", "--out", "patched"));
        m.put("report", List.of("run-1"));
        m.put("config", List.of("--doc"));
        m.put("threshold", List.of());
        m.put("threshold set", List.of("fr_feature", "0.42", "--reason", "smoke test"));
        m.put("status", List.of());
        m.put("probe", List.of("tcp://127.0.0.1:1"));
        m.put("bench-gateway", List.of());
        m.put("bench-latency", List.of("--rate", "1"));
        m.put("ui", List.of());
        m.put("ui add-user", List.of("alice", "--role", "auditor"));
        m.put("chaos", List.of());
        return m;
    }

    @TestFactory
    Stream<DynamicTest> everyReadmeCommandHelpsParsesAndResolvesItsSettings() {
        Map<String, Executable> checks = new LinkedHashMap<>();
        MINIMAL_ARGUMENTS.forEach((path, args) -> checks.put(path, () -> {
            helpNamesTheCommand(path);
            resolves(path, CliRun.join(ReadmeCommands.words(path), args.toArray(String[]::new)));
        }));
        return ReadmeCommands.tests("CommandSmokeTest.MINIMAL_ARGUMENTS", checks, path -> "./xssab " + path);
    }

    private static void helpNamesTheCommand(String path) {
        CliRun help = CliRun.of(CliRun.join(ReadmeCommands.words(path), "--help"));
        assertEquals(0, help.code(), help.describe());
        assertTrue(help.out().startsWith("Usage: xssab " + path + " "), "the usage names the command: " + help.describe());
    }

    /** Parses the line on a fresh tree and resolves what the command it reaches reads before it does anything. */
    private static void resolves(String path, List<String> line) throws Exception {
        ParseResult leaf = CliRun.commandTree().parseArgs(line.toArray(String[]::new));
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        List<String> words = ReadmeCommands.words(path);
        assertEquals(words.get(words.size() - 1), leaf.commandSpec().name(), String.join(" ", line) + " reaches its command");
        CommandLine command = leaf.commandSpec().commandLine();
        Object user = command.getCommand();
        if (!command.getSubcommands().isEmpty()) {
            String usage = command.getUsageMessage();
            command.getSubcommands().keySet().forEach(sub -> assertTrue(usage.contains(sub), path + "'s usage lists " + sub));
        }
        for (Object mixin : command.getMixins().values()) {
            if (mixin instanceof ModelOptions model) {
                assertNotNull(assertDoesNotThrow(model::spec, path + " resolves its model"));
            }
        }
        if (user instanceof ServiceOptions.UsesSettings settingsUser) {
            readsItsSettingsAtTheirDefaults(path, command, settingsUser.settingGroups());
        } else {
            assertFalse(command.getMixins().values().stream().anyMatch(ServiceOptions.class::isInstance),
                    path + " has --config but declares no setting groups (ServiceOptions.UsesSettings)");
        }
    }

    /** config() on the parsed command succeeds, every setting of its groups has its flag, and each left alone keeps its default. */
    private static void readsItsSettingsAtTheirDefaults(String path, CommandLine command, List<SettingGroup> groups) {
        ServiceOptions options = command.getMixins().values().stream().filter(ServiceOptions.class::isInstance)
                .map(ServiceOptions.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError(path + " declares setting groups " + groups + " but has no ServiceOptions mixin"));
        ServiceConfig config = assertDoesNotThrow(options::config, path + " reads its settings");
        List<Setting> declared = groups.stream().flatMap(g -> g.settings().stream()).toList();
        assertFalse(declared.isEmpty(), path + " declares groups without settings: " + groups);
        Set<ConfigDef.Type> comparable = EnumSet.of(ConfigDef.Type.INT, ConfigDef.Type.LONG, ConfigDef.Type.SHORT,
                ConfigDef.Type.STRING, ConfigDef.Type.BOOLEAN);
        for (Setting s : declared) {
            assertNotNull(command.getCommandSpec().findOption(s.flag()), path + " has the flag " + s.flag() + " of " + s.key());
            boolean setHere = System.getenv(s.env()) != null;
            if (!setHere && !s.secret() && s.defaultValue() != null && !String.valueOf(s.defaultValue()).isBlank()
                    && comparable.contains(s.type())) {
                assertEquals(String.valueOf(s.defaultValue()), config.optional(s), path + ": " + s.key() + " at its default");
            }
        }
    }
}
