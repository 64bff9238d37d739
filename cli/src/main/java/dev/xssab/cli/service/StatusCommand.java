package dev.xssab.cli.service;

import dev.xssab.cli.Json;
import dev.xssab.cli.Logging;
import dev.xssab.cli.UserException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xssab.chaos.cluster.ClusterProbe;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.models.XssabHome;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xssab status}: each service of the local stack with its pid, readiness, metrics URL,
 * consumer lag and requests per second over the last minute, as a table or as JSON.
 */
@Command(name = "status", description = "Pid, readiness, metrics URL, lag and requests/s of each service of the local stack.")
public final class StatusCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON (one object per service) instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Logging.quietKafkaClients(); // a node that is down is a row of the table, not a warning per connection attempt
        ArrayNode services = Json.MAPPER.createArrayNode();
        boolean allReady = true;
        LocalCluster cluster = LocalCluster.remembered(Stack.runDir());
        for (String node : cluster.processNames()) {
            allReady &= nodeRow(processRow(services, node), cluster, node);
        }
        for (LocalService service : LocalService.values()) {
            ObjectNode row = processRow(services, service.id());
            allReady &= service.servesHealth() ? healthRow(row, service) : uiRow(row, service.port());
        }
        allReady &= clusterRow(services.addObject(), cluster);
        if (json) {
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(services));
        } else {
            printTable(services);
        }
        return allReady ? 0 : 3;
    }

    /** A new row with the process's name and pid (null when it is not running). */
    private static ObjectNode processRow(ArrayNode services, String process) throws java.io.IOException {
        ObjectNode s = services.addObject();
        s.put("service", process);
        Optional<ProcessHandle> pid = Stack.running(process);
        if (pid.isPresent()) {
            s.put("pid", pid.get().pid());
        } else {
            s.putNull("pid");
        }
        return s;
    }

    private static boolean nodeRow(ObjectNode s, LocalCluster cluster, String node) {
        int port = cluster.layout().clientPort(LocalCluster.nodeId(node));
        boolean open = StackReadiness.portOpen(port);
        s.put("ready", open);
        s.putNull("metricsUrl");
        s.put("detail", (open ? "accepts connections on 127.0.0.1:" : "nothing listens on 127.0.0.1:") + port);
        return open;
    }

    private static boolean uiRow(ObjectNode s, int port) {
        boolean open = StackReadiness.portOpen(port);
        s.put("ready", open);
        s.putNull("metricsUrl");
        s.put("url", "http://127.0.0.1:" + port + "/");
        s.put("detail", open ? "serves http://127.0.0.1:" + port + "/" : "nothing listens on port " + port);
        return open;
    }

    /** Readiness, lag, requests/s and the failing checks, from the service's /health/ready. */
    private static boolean healthRow(ObjectNode s, LocalService service) throws java.io.IOException {
        URI metrics = service.healthUrl("/metrics");
        s.put("metricsUrl", metrics.toString());
        HttpResponse<String> r = Stack.get(service.healthUrl("/health/ready"));
        boolean ready = r != null && r.statusCode() == 200;
        s.put("ready", ready);
        if (r == null) {
            s.put("detail", "no answer");
            return false;
        }
        JsonNode body = Json.MAPPER.readTree(r.body());
        s.put("lag", body.path("consumerLag").asDouble());
        s.put("requestsPerSecond", body.path("requestsPerSecond").asDouble());
        StringBuilder failing = new StringBuilder();
        body.path("checks").fields().forEachRemaining(c -> {
            if (!"ok".equals(c.getValue().asText())) {
                failing.append(failing.length() == 0 ? "" : "; ").append(c.getKey()).append(": ").append(c.getValue().asText());
            }
        });
        s.put("detail", failing.length() == 0 ? "ok" : failing.toString());
        return ready;
    }

    private static void printTable(ArrayNode services) {
        System.out.printf("%-11s %-8s %-6s %-34s %8s %8s  %s%n", "service", "pid", "ready", "metrics", "lag", "req/s", "detail");
        for (JsonNode s : services) {
            System.out.printf(Locale.ROOT, "%-11s %-8s %-6s %-34s %8s %8s  %s%n", s.get("service").asText(),
                    s.get("pid").isNull() ? "-" : s.get("pid").asText(), s.get("ready").asBoolean() ? "yes" : "no",
                    s.get("metricsUrl").isNull() ? "-" : s.get("metricsUrl").asText(),
                    s.has("lag") ? String.format(Locale.ROOT, "%.0f", s.get("lag").asDouble()) : "-",
                    s.has("requestsPerSecond") ? String.format(Locale.ROOT, "%.2f", s.get("requestsPerSecond").asDouble()) : "-",
                    s.path("detail").asText());
        }
    }

    /**
     * The cluster as its controllers and brokers see it: the live brokers, the active controller
     * and the partitions whose ISR is short. Ready when every node is a live broker and nothing is
     * under-replicated.
     */
    private static boolean clusterRow(ObjectNode row, LocalCluster cluster) {
        row.put("service", "cluster");
        row.putNull("pid");
        row.putNull("metricsUrl");
        Map<String, Object> quick = Map.of("request.timeout.ms", 3000, "default.api.timeout.ms", 8000);
        Map<String, Object> controllers = new java.util.HashMap<>(quick);
        controllers.put("bootstrap.controllers", cluster.layout().bootstrapControllers());
        KafkaClients brokers = KafkaClients.plaintext(cluster.bootstrap());
        try {
            if (cluster.secure()) { // asked as the admin, the one principal allowed to describe the cluster
                SecureStack secured = SecureStack.open(XssabHome.dir().resolve("secure"), cluster);
                brokers = secured.admin();
                controllers.putAll(secured.controllerClientSettings());
            }
        } catch (java.io.IOException | UserException e) {
            row.put("ready", false);
            row.put("detail", "cannot read the secured stack's files: " + e.getMessage());
            return false;
        }
        try (ClusterProbe probe = ClusterProbe.connect(brokerSettings(brokers, quick), controllers)) {
            var live = probe.liveBrokers();
            int controller = probe.activeController();
            var under = probe.underReplicatedPartitions();
            boolean ready = live.size() == cluster.size() && under.isEmpty();
            row.put("ready", ready);
            row.putPOJO("brokers", live);
            row.put("activeController", controller);
            row.put("underReplicated", under.size());
            row.put("detail", "brokers " + live + ", active controller " + controller + ", " + under.size()
                    + " under-replicated partition(s)" + (under.isEmpty() ? "" : " " + under.keySet().stream().limit(5).toList()));
            return ready;
        } catch (RuntimeException e) {
            row.put("ready", false);
            row.put("detail", "cannot describe the cluster: " + e.getMessage());
            return false;
        }
    }

    private static Map<String, Object> brokerSettings(KafkaClients brokers, Map<String, Object> overrides) {
        Map<String, Object> settings = new java.util.HashMap<>();
        brokers.properties(overrides).forEach((k, v) -> settings.put(String.valueOf(k), v));
        return settings;
    }
}
