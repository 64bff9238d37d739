package dev.xssab.chaos;

import dev.xssab.audit.AuditDatabase;
import dev.xssab.audit.AuditSettings;
import dev.xssab.broker.LoopbackPorts;
import dev.xssab.chaos.process.ManagedProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The services of the stack as processes of their own on a cluster: registry, gateway, two
 * explainer instances, the audit sink and the aggregates, each on free ports of 127.0.0.1, each a
 * {@link ManagedProcess} that a fault may kill or pause. They are started by the project's own CLI
 * ({@code serviceCommand} is its java command line up to the main class), with every setting as a
 * flag, so that they run exactly as deployed.
 */
public final class ServiceProcesses implements AutoCloseable {
    /** The services in start order: the registry first, since the others register their schemas. */
    public static final List<String> NAMES = List.of("registry", "gateway", "explainer-0", "explainer-1", "audit", "aggregates");

    private final Map<String, ManagedProcess> processes = new LinkedHashMap<>();
    private final Map<String, Integer> metricsPorts = new LinkedHashMap<>();
    private final String registryUrl;

    /**
     * @param serviceCommand java, its options and the CLI's main class
     * @param bootstrap the cluster's bootstrap servers
     * @param replication the flags that replicate every topic as the cluster needs (e.g. --replication-factor 3 ...)
     * @param home XSSAB_HOME of the services (state folders; its models folder is the model cache)
     */
    public ServiceProcesses(List<String> serviceCommand, String bootstrap, List<String> replication, AuditDatabase audit,
            Path home, Path logs) {
        int registryPort = LoopbackPorts.unused();
        this.registryUrl = "http://127.0.0.1:" + registryPort;
        for (String name : NAMES) {
            // The database password by environment, not argument: arguments are world-readable in ps.
            Map<String, String> env = name.equals("audit")
                    ? Map.of("XSSAB_HOME", home.toString(), AuditSettings.JDBC_PASSWORD.env(), audit.password())
                    : Map.of("XSSAB_HOME", home.toString());
            int metrics = LoopbackPorts.unused();
            metricsPorts.put(name, metrics);
            List<String> args = new ArrayList<>(serviceCommand);
            args.addAll(arguments(name, metrics, registryPort, audit));
            args.addAll(List.of("--bootstrap", bootstrap));
            args.addAll(replication);
            processes.put(name, new ManagedProcess(name, args, env, logs.resolve(name + ".log")));
        }
    }

    private List<String> arguments(String name, int metrics, int registryPort, AuditDatabase audit) {
        String m = String.valueOf(metrics);
        return switch (name) {
            case "registry" -> List.of("registry", "--registry-port", String.valueOf(registryPort), "--registry-metrics-port", m);
            case "gateway" -> List.of("gateway", "--registry", registryUrl, "--gateway-metrics-port", m);
            case "explainer-0", "explainer-1" -> List.of("explainer", "--registry", registryUrl, "--explainer-metrics-port", m,
                    "--instance", name.substring(name.length() - 1));
            case "audit" -> List.of("audit", "run", "--registry", registryUrl, "--audit-metrics-port", m, "--jdbc-url", audit.jdbcUrl(),
                    "--jdbc-user", audit.user());
            case "aggregates" -> List.of("aggregates", "--registry", registryUrl, "--aggregates-metrics-port", m, "--http-port",
                    String.valueOf(LoopbackPorts.unused()));
            default -> throw new IllegalArgumentException("no service " + name);
        };
    }

    public String registryUrl() {
        return registryUrl;
    }

    public ManagedProcess get(String name) {
        ManagedProcess p = processes.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no service " + name + "; known: " + NAMES);
        }
        return p;
    }

    /** Starts every service in order and waits until each answers ready. */
    public void startAll(Duration timeout) throws InterruptedException {
        for (String name : NAMES) {
            get(name).start();
            if (name.equals("registry")) {
                awaitReady(name, timeout);
            }
        }
        for (String name : NAMES) {
            awaitReady(name, timeout);
        }
    }

    /**
     * Waits until a service's /health/ready answers 200.
     *
     * @throws IllegalStateException naming the service, its last answer and its log
     */
    public void awaitReady(String name, Duration timeout) throws InterruptedException {
        URI ready = URI.create("http://127.0.0.1:" + metricsPorts.get(name) + "/health/ready");
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!get(name).alive()) {
                throw new IllegalStateException(name + " exited; see " + get(name).log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.body();
            } catch (IOException e) {
                last = "no answer on " + ready;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(name + " is not ready after " + timeout.toSeconds() + " s: " + last + "; see "
                + get(name).log());
    }

    /** SIGCONT and SIGKILL for every service, for a shutdown hook. */
    public void emergencyStop() {
        processes.values().forEach(ManagedProcess::emergencyStop);
    }

    /** Stops every service, the last started first (each resumed first if paused). */
    @Override
    public void close() {
        List<ManagedProcess> reversed = new ArrayList<>(processes.values());
        java.util.Collections.reverse(reversed);
        reversed.forEach(p -> p.stop(Duration.ofSeconds(20)));
    }

}
