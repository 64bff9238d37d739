package dev.xssab.cli.smoke;

import dev.xssab.broker.BrokerSettings;
import dev.xssab.cli.XssabSettings;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.Setting;
import dev.xssab.registry.RegistrySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local stack as {@code ./xssab up} starts it, in an XSSAB_HOME of its own, with every declared
 * port moved to a free 127.0.0.1 port by its XSSAB_* variable: up, status, demo and down run as
 * child JVMs with that environment, and every process up starts inherits it. So they run for real
 * without touching the default ports, where other stacks on this machine listen.
 */
final class MovedLocalStack implements AutoCloseable {
    /** Every port setting of ./xssab (a new one is moved too): the broker's two (node 1's; one node), the registry's, ... */
    static final List<Setting> PORTS = XssabSettings.CATALOG.all().stream().filter(s -> s.validator() == Setting.PORT).toList();
    /** What up starts, in its order. */
    static final List<String> PROCESSES = List.of("broker", "registry", "gateway", "explainer", "audit", "aggregates", "ui");
    /** Up waits up to 2 minutes for each service; demo starts nothing more, and down up to 60 s for each. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(8);

    final Path home;
    private final Path logs;
    private final Map<Setting, Integer> ports = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    /** Should the test JVM end before {@link #close}, nothing up started outlives it (up's processes are not its children). */
    private final Thread orphanGuard = new Thread(() -> running().values().forEach(ProcessHandle::destroyForcibly),
            "moved-stack-orphan-guard");

    /** A new home in {@code dir} (its models folder linked to {@code models}) and its environment, on ports free now. */
    MovedLocalStack(Path dir, Path models) throws IOException {
        home = Files.createDirectories(dir.resolve("home"));
        Files.createSymbolicLink(home.resolve("models"), models);
        logs = dir.resolve("commands");
        List<Integer> free = SmokeStack.unusedPorts(PORTS.size());
        for (int i = 0; i < PORTS.size(); i++) {
            ports.put(PORTS.get(i), free.get(i));
            env.put(PORTS.get(i).env(), String.valueOf(free.get(i)));
        }
        env.put("XSSAB_HOME", home.toString());
        // What demo's own client reads; the services get them as flags from up.
        env.put(CommonSettings.BOOTSTRAP_SERVERS.env(), "127.0.0.1:" + port(BrokerSettings.PORT));
        env.put(CommonSettings.REGISTRY_URL.env(), "http://127.0.0.1:" + port(RegistrySettings.PORT));
        // Up's seven JVMs start light, as the smoke stack's do (inherited like the XSSAB_*; up's own flags come after).
        env.put("JAVA_TOOL_OPTIONS", String.join(" ", ServiceChild.LIGHT_JVM));
        Runtime.getRuntime().addShutdownHook(orphanGuard);
    }

    /** The port a port setting was moved to. */
    int port(Setting setting) {
        return ports.get(setting);
    }

    Map<Setting, Integer> ports() {
        return ports;
    }

    /** {@code ./xssab ARGS} as a child JVM in this stack's environment, to its end. */
    CliRun xssab(String... args) throws IOException, InterruptedException {
        return CliChild.run(env, logs, COMMAND_TIMEOUT, List.of(args));
    }

    /** The live processes of the pid files up wrote (XSSAB_HOME/run/NAME.pid), by name. */
    Map<String, ProcessHandle> running() {
        Map<String, ProcessHandle> live = new LinkedHashMap<>();
        Path run = home.resolve("run");
        if (!Files.isDirectory(run)) {
            return live;
        }
        try (Stream<Path> files = Files.list(run)) {
            for (Path pid : files.filter(f -> f.toString().endsWith(".pid")).sorted().toList()) {
                String name = pid.getFileName().toString().replace(".pid", "");
                process(pid).ifPresent(p -> live.put(name, p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the pid files in " + run, e);
        }
        return live;
    }

    private static Optional<ProcessHandle> process(Path pidFile) throws IOException {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).filter(ProcessHandle::isAlive);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Stops whatever up started that still runs (down does it in the test; this is for a test that failed before). */
    @Override
    public void close() {
        List<ProcessHandle> left = new ArrayList<>(running().values());
        left.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : left) {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                left.forEach(ProcessHandle::destroyForcibly);
                break;
            }
        }
        Runtime.getRuntime().removeShutdownHook(orphanGuard);
    }
}
