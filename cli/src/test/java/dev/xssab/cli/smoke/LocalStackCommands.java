package dev.xssab.cli.smoke;

import static dev.xssab.cli.smoke.MovedLocalStack.PROCESSES;
import static dev.xssab.cli.smoke.SmokeChecks.fileWritten;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.audit.AuditSettings;
import dev.xssab.broker.BrokerSettings;
import dev.xssab.config.Setting;
import dev.xssab.evaluator.aggregate.AggregatesSettings;
import dev.xssab.explainer.ExplainerSettings;
import dev.xssab.gateway.GatewaySettings;
import dev.xssab.registry.RegistrySettings;
import dev.xssab.ui.UiSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.function.Executable;

/**
 * up, status, demo and down of the local stack, for real, last (once the smoke stack has stopped,
 * so that the two never share the machine's cores): on a {@link MovedLocalStack}, where every port
 * is moved by its XSSAB_* variable, which is what these commands must follow to find the stack.
 */
final class LocalStackCommands {
    /** The port status shows for each service with a /health: its metrics port. */
    private static final Map<String, Setting> METRICS_PORTS = Map.of("registry", RegistrySettings.METRICS_PORT, "gateway",
            GatewaySettings.METRICS_PORT, "explainer", ExplainerSettings.METRICS_PORT, "audit", AuditSettings.METRICS_PORT,
            "aggregates", AggregatesSettings.METRICS_PORT);
    /** The pairs demo explains: one of each kind, so that it draws a MATCH and a NO_MATCH panel. */
    private static final int EXPLAINED = 2;

    private final CommandSmokeIT it;

    LocalStackCommands(CommandSmokeIT it) {
        this.it = it;
    }

    void addTo(Map<String, Executable> e) {
        e.put("up", this::up);
        e.put("status", this::status);
        e.put("demo", this::demo);
        e.put("down", this::down);
    }

    private MovedLocalStack stack() {
        assertNotNull(it.localStack, "the up entry did not make the local stack");
        return it.localStack;
    }

    private static CliRun exited0(CliRun run) {
        assertEquals(0, run.code(), run.describe());
        return run;
    }

    /** Started: every process, in up's order; and every moved port is listened on (up followed every XSSAB_* port). */
    private void up() throws Exception {
        it.localStack = new MovedLocalStack(it.tmp.resolve("local-stack"), it.models);
        CliRun run = exited0(stack().xssab("up"));
        assertTrue(run.err().lines().anyMatch(("started: " + String.join(", ", PROCESSES))::equals), "every process started: "
                + run.describe());
        assertTrue(run.out().contains("ui: http://127.0.0.1:" + stack().port(UiSettings.PORT) + "/ "), "the moved UI: " + run.describe());
        List<String> closed = new ArrayList<>();
        stack().ports().forEach((setting, port) -> {
            if (!ServiceChild.portOpen(port)) {
                closed.add(setting.env() + "=" + port);
            }
        });
        assertEquals(List.of(), closed, "moved ports nobody listens on after up; " + run.describe());
    }

    /** Every row ready, on the moved ports: the broker's client port, the metrics ports, the UI's port. */
    private void status() throws Exception {
        CliRun run = exited0(stack().xssab("status"));
        Map<String, String> rows = rows(run.out());
        List<String> expected = new ArrayList<>(PROCESSES);
        expected.add("cluster");
        assertEquals(expected, List.copyOf(rows.keySet()), "status's rows: " + run.describe());
        rows.forEach((name, row) -> assertEquals("yes", row.split(" +")[2], name + " ready: " + run.describe()));
        assertTrue(rows.get("broker").endsWith(" accepts connections on 127.0.0.1:" + stack().port(BrokerSettings.PORT)),
                "the broker on its moved port: " + run.describe());
        METRICS_PORTS.forEach((name, setting) -> assertEquals("http://127.0.0.1:" + stack().port(setting) + "/metrics",
                rows.get(name).split(" +")[3], name + "'s moved metrics port: " + run.describe()));
        assertTrue(rows.get("ui").endsWith(" serves http://127.0.0.1:" + stack().port(UiSettings.PORT) + "/"),
                "the UI on its moved port: " + run.describe());
    }

    /** status's table: each row by its first word, the header left out. */
    private static Map<String, String> rows(String table) {
        Map<String, String> rows = new LinkedHashMap<>();
        table.lines().skip(1).filter(l -> !l.isBlank()).forEach(l -> rows.put(l.split(" +")[0], l));
        return rows;
    }

    /** Every pair of the small dataset sent and decided on the running stack, summarised, two of them drawn. */
    private void demo() throws Exception {
        Path out = it.tmp.resolve("demo");
        CliRun run = exited0(stack().xssab("demo", "--dataset", it.small.toString(), "--explain", String.valueOf(EXPLAINED), "--out",
                out.toString(), "--timeout", "PT3M"));
        int pairs = SmokeData.PAIRS.size();
        assertTrue(run.out().contains("pairs        " + pairs + " sent, " + pairs + " decided, 0 rejected, 0 missing\n"),
                "every pair sent was decided: " + run.describe());
        assertTrue(Pattern.compile("(?m)^accuracy +\\d\\.\\d{4} against pairs\\.csv \\(TP \\d+, TN \\d+, FP \\d+, FN \\d+\\)$")
                .matcher(run.out()).find(), "the accuracy line: " + run.describe());
        Matcher panel = Pattern.compile("(?m)^panel +(\\S+) \\(").matcher(run.out());
        int panels = 0;
        while (panel.find()) {
            fileWritten(Path.of(panel.group(1)), "demo");
            panels++;
        }
        assertEquals(EXPLAINED, panels, "panels drawn: " + run.describe());
    }

    /** Stopped: all seven, newest first; their processes are gone, and nothing listens on any moved port. */
    private void down() throws Exception {
        Collection<ProcessHandle> before = stack().running().values();
        assertEquals(PROCESSES.size(), before.size(), "up's processes running before down: " + stack().running().keySet());
        CliRun run = exited0(stack().xssab("down"));
        List<String> newestFirst = new ArrayList<>(PROCESSES);
        java.util.Collections.reverse(newestFirst);
        assertTrue(run.err().lines().anyMatch(("stopped: " + String.join(", ", newestFirst))::equals), "all seven stopped: "
                + run.describe());
        assertFalse(before.stream().anyMatch(ProcessHandle::isAlive), "a process down stopped still runs: " + run.describe());
        List<String> open = new ArrayList<>();
        stack().ports().forEach((setting, port) -> {
            if (ServiceChild.portOpen(port)) {
                open.add(setting.env() + "=" + port);
            }
        });
        assertEquals(List.of(), open, "moved ports still listened on after down; " + run.describe());
    }
}
