package dev.xssab.cli.smoke;

import dev.xssab.broker.LoopbackPorts;
import dev.xssab.ui.UiRole;
import dev.xssab.ui.UiUsers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The long-running commands of the README, each a child JVM of the CLI on free ports of
 * 127.0.0.1 (every host and port given as its flag), sharing one temporary XSSAB_HOME: broker,
 * registry, audit run, gateway, explainer, aggregates and ui. They start in the background, in the
 * order they need each other, while the test runs the commands that need no cluster.
 */
final class SmokeStack implements AutoCloseable {
    /** The ports other stacks on this machine use (the settings' defaults): none of them is ever taken here. */
    static final Set<Integer> DEFAULT_PORTS = Set.of(9092, 9093, 9094, 9095, 9096, 9097, 8081, 8082, 8090, 9401, 9402, 9403,
            9404, 9405);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    /** The services' ports: the broker's, the controller's, the registry's, the aggregates' HTTP, the UI's, then the metrics ports. */
    private static final int PORTS = 10;

    final int brokerPort;
    final int registryPort;
    final int aggregatesHttpPort;
    final int uiPort;
    /** The /metrics and /health port of each service, by its name. */
    final Map<String, Integer> metricsPorts = new LinkedHashMap<>();
    /** Start order; also the names of their pid files for down (XSSAB_HOME/run/NAME.pid). */
    final Map<String, ServiceChild> children = new LinkedHashMap<>();
    /** The UI's one user, as user:password. */
    final String uiUser;
    private final Path home;
    private final ExecutorService starter = Executors.newSingleThreadExecutor();
    private final Future<?> ready;
    /** Should the test JVM end without {@link #close} (killed, timed out), no child outlives it. */
    private final Thread orphanGuard = new Thread(this::killAll, "smoke-stack-orphan-guard");

    private SmokeStack(Path home, Path logs) throws IOException {
        this.home = home;
        this.uiUser = "smoke:" + UiUsers.create(logs.resolve("ui-credentials"), "smoke", UiRole.OPERATOR);
        List<Integer> ports = unusedPorts(PORTS);
        brokerPort = ports.get(0);
        int controllerPort = ports.get(1);
        registryPort = ports.get(2);
        aggregatesHttpPort = ports.get(3);
        uiPort = ports.get(4);
        List<String> services = List.of("registry", "audit", "gateway", "explainer", "aggregates");
        for (int i = 0; i < services.size(); i++) {
            metricsPorts.put(services.get(i), ports.get(5 + i));
        }
        add("broker", ServiceChild.Readiness.port(brokerPort), logs, "broker", "--broker-port", brokerPort, "--controller-port",
                controllerPort, "--broker-listen-host", "127.0.0.1", "--broker-advertised-host", "127.0.0.1");
        add("registry", health("registry"), logs, "registry", "--bootstrap", bootstrap(), "--registry-host", "127.0.0.1",
                "--registry-port", registryPort, "--registry-metrics-port", metricsPorts.get("registry"), "--metrics-host", "127.0.0.1");
        add("audit", health("audit"), logs, with(clusterFlags(), "audit", "run", "--audit-metrics-port", metricsPorts.get("audit"),
                "--metrics-host", "127.0.0.1"));
        add("gateway", health("gateway"), logs, with(clusterFlags(), "gateway", "--gateway-metrics-port", metricsPorts.get("gateway"),
                "--threads", 1, "--metrics-host", "127.0.0.1"));
        add("explainer", health("explainer"), logs, with(clusterFlags(), "explainer", "--explainer-metrics-port",
                metricsPorts.get("explainer"), "--batch", 4, "--metrics-host", "127.0.0.1"));
        add("aggregates", health("aggregates"), logs, with(clusterFlags(), "aggregates", "--aggregates-metrics-port",
                metricsPorts.get("aggregates"), "--http-host", "127.0.0.1", "--http-port", aggregatesHttpPort, "--metrics-host",
                "127.0.0.1"));
        add("ui", ServiceChild.Readiness.port(uiPort), logs, with(clusterFlags(), "ui", "--ui-host", "127.0.0.1", "--ui-port", uiPort,
                "--ui-credentials", logs.resolve("ui-credentials"), "--ui-aggregates-url", "http://127.0.0.1:" + aggregatesHttpPort,
                "--ui-health-urls", healthUrls()));
        Runtime.getRuntime().addShutdownHook(orphanGuard);
        this.ready = starter.submit(this::startInOrder);
    }

    /** Starts the stack in the background; {@link #awaitReady} waits for it. */
    static SmokeStack start(Path home, Path logs) throws IOException {
        return new SmokeStack(home, logs);
    }

    String bootstrap() {
        return "127.0.0.1:" + brokerPort;
    }

    String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    /** The flags that point a command at this cluster. */
    List<String> clusterFlags() {
        return List.of("--bootstrap", bootstrap(), "--registry", registryUrl(), "--partitions", "2");
    }

    /** Waits until every service is ready; fails with the first that is not, and the end of its log. */
    void awaitReady() throws InterruptedException {
        try {
            ready.get(READY_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the smoke stack did not come up: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the smoke stack did not come up within " + READY_TIMEOUT.toSeconds() * 2 + " s");
        }
    }

    private void startInOrder() {
        try {
            // The registry needs the broker, the others the registry; the UI opens the audit sink's database, so it waits for it.
            for (String first : List.of("broker", "registry", "audit")) {
                children.get(first).start(home);
                children.get(first).awaitReady(READY_TIMEOUT);
            }
            List<ServiceChild> rest = List.of(children.get("gateway"), children.get("explainer"), children.get("aggregates"),
                    children.get("ui"));
            rest.forEach(child -> child.start(home));
            for (ServiceChild child : rest) {
                child.awaitReady(READY_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the smoke stack started", e);
        }
    }

    private void add(String name, ServiceChild.Readiness readiness, Path logs, Object... args) {
        List<String> words = new ArrayList<>();
        for (Object a : args) {
            if (a instanceof List<?> list) {
                list.forEach(x -> words.add(String.valueOf(x)));
            } else {
                words.add(String.valueOf(a));
            }
        }
        children.put(name, new ServiceChild(name, words, readiness, logs));
    }

    /** The command's own words, then the cluster flags. */
    private static List<Object> with(List<String> cluster, Object... words) {
        List<Object> all = new ArrayList<>(List.of(words));
        all.addAll(cluster);
        return all;
    }

    private ServiceChild.Readiness health(String service) {
        return ServiceChild.Readiness.health(metricsPorts.get(service));
    }

    /** ui.health.urls of this stack, so that the UI's health page asks these services and never the default ports. */
    private String healthUrls() {
        List<String> urls = new ArrayList<>();
        metricsPorts.forEach((service, port) -> urls.add(service + "=http://127.0.0.1:" + port + "/health/ready"));
        return String.join(",", urls);
    }

    /** {@code count} distinct free 127.0.0.1 ports, none of them a default port ({@link #DEFAULT_PORTS}). */
    static List<Integer> unusedPorts(int count) {
        List<Integer> ports = LoopbackPorts.unused(count);
        return ports.stream().anyMatch(DEFAULT_PORTS::contains) ? unusedPorts(count) : ports;
    }

    /** Stops whatever still runs (the test stops them with down; this is for a test that failed before). */
    @Override
    public void close() {
        ready.cancel(true); // interrupts a start still under way, so that it starts nothing more
        starter.shutdown();
        List<ServiceChild> reverse = new ArrayList<>(children.values());
        java.util.Collections.reverse(reverse);
        try {
            starter.awaitTermination(30, TimeUnit.SECONDS);
            for (ServiceChild child : reverse) {
                child.stopIfRunning();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killAll();
        }
        Runtime.getRuntime().removeShutdownHook(orphanGuard);
    }

    private void killAll() {
        children.values().forEach(child -> {
            if (child.process() != null) {
                child.process().destroyForcibly();
            }
        });
    }
}
