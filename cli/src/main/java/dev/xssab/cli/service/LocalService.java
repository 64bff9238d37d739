package dev.xssab.cli.service;

import dev.xssab.audit.AuditSettings;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.Setting;
import dev.xssab.evaluator.aggregate.AggregatesSettings;
import dev.xssab.explainer.ExplainerSettings;
import dev.xssab.gateway.GatewaySettings;
import dev.xssab.registry.RegistrySettings;
import dev.xssab.ui.UiSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The services of the local stack that {@code up} starts after the Kafka nodes, in start order
 * (the declaration order). Each runs as {@code java ... XssabCli <command>} with its pid and log
 * file in XSSAB_HOME/run. The Kafka nodes are not here: their number, names and arguments come
 * from {@link LocalCluster}, and they are awaited by port and by the cluster's live brokers.
 */
public enum LocalService {
    REGISTRY("registry", List.of("registry"), false, RegistrySettings.METRICS_PORT, true, true),
    GATEWAY("gateway", List.of("gateway"), true, GatewaySettings.METRICS_PORT, false, false),
    EXPLAINER("explainer", List.of("explainer"), true, ExplainerSettings.METRICS_PORT, false, false),
    // The UI opens the audit's embedded H2 file: it must find the sink's database server up,
    // or two processes race for the file lock and one of them fails; hence awaited before the next.
    AUDIT("audit", List.of("audit", "run"), true, AuditSettings.METRICS_PORT, true, true),
    AGGREGATES("aggregates", List.of("aggregates"), true, AggregatesSettings.METRICS_PORT, false, true),
    /** Up and status check the web UI by its own port accepting connections, not by a health URL. */
    UI("ui", List.of("ui"), true, null, false, false);

    private final String id;
    private final List<String> command;
    private final boolean readsRegistry;
    private final Setting metricsPort;
    private final boolean awaitedBeforeNext;
    private final boolean largeHeap;

    LocalService(String id, List<String> command, boolean readsRegistry, Setting metricsPort, boolean awaitedBeforeNext,
            boolean largeHeap) {
        this.id = id;
        this.command = command;
        this.readsRegistry = readsRegistry;
        this.metricsPort = metricsPort;
        this.awaitedBeforeNext = awaitedBeforeNext;
        this.largeHeap = largeHeap;
    }

    /** The name of its process: in up's and status's output, of its pid and log files ({@link Stack#pidFile}), of its secured settings. */
    String id() {
        return id;
    }

    String logFile() {
        return Stack.logFile(id);
    }

    /** The arguments of {@code xssab} that run it on this cluster, against the given registry URL. */
    List<String> startArguments(String bootstrap, String registryUrl) {
        List<String> args = new ArrayList<>(command);
        args.add("--bootstrap");
        args.add(bootstrap);
        if (readsRegistry) {
            args.add("--registry");
            args.add(registryUrl);
        }
        return args;
    }

    /** Whether it answers /health/ready on its metrics port (all but the UI). */
    boolean servesHealth() {
        return metricsPort != null;
    }

    /** The port it is checked on: its /metrics and /health port, or the UI's own port, as the stack's settings say. */
    int port() {
        return Stack.settings().integer(servesHealth() ? metricsPort : UiSettings.PORT);
    }

    /** Its /metrics or /health URL on the local stack. */
    URI healthUrl(String path) {
        return URI.create("http://" + CommonSettings.METRICS_HOST.defaultValue() + ":" + port() + path);
    }

    /** Whether up waits for it to be ready before it starts the next service. */
    boolean awaitedBeforeNext() {
        return awaitedBeforeNext;
    }

    /** Whether it runs with a 1 GiB heap, as the Kafka nodes do (the others keep the JVM's default). */
    boolean largeHeap() {
        return largeHeap;
    }
}
