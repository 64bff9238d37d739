package dev.xssab.cli.service;

import dev.xssab.cli.UserException;
import dev.xssab.cli.XssabSettings;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.Replication;
import dev.xssab.config.ServiceConfig;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.TopicAdmin;
import dev.xssab.schemas.Topics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How up waits for the local stack: each Kafka node's port, the cluster's live brokers, then each
 * service's readiness; a process that exits meanwhile fails the wait at once, naming its log.
 */
public final class StackReadiness {
    private StackReadiness() {}

    interface Check {
        boolean ok() throws Exception;
    }

    /** Every node listens, then (once) users, ACLs and topics, before any service connects. */
    static void awaitCluster(LocalCluster cluster, SecureStack secure, Duration timeout) throws Exception {
        for (String node : cluster.processNames()) {
            int port = cluster.layout().clientPort(LocalCluster.nodeId(node));
            await("Kafka node " + node + " on port " + port, timeout, () -> portOpen(port), node);
        }
        KafkaClients admin = secure != null ? secure.admin() : KafkaClients.plaintext(cluster.bootstrap());
        // Topics of replication 3 can be made only once every node has registered with the controller.
        await(cluster.size() + " live broker(s)", timeout, () -> {
            try {
                TopicAdmin.requireBrokersFor(admin, cluster.replication());
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }, cluster.processNames().get(0));
        provisionTopics(admin, cluster, secure); // once, before the services that would each create them at the same time
    }

    /**
     * Creates the application topics as the services would (their settings from the environment),
     * so that the services start on topics that exist; their own creation stays idempotent. The
     * secured stack's topics come with its users and ACLs. Then the face topics get the declared
     * retention, also those made by an older up (which kept them for the broker's 7 days).
     */
    private static void provisionTopics(KafkaClients admin, LocalCluster cluster, SecureStack secure) {
        ServiceConfig c = ServiceConfig.load(XssabSettings.CATALOG, null, Stack.withDefaults(System.getenv(), cluster.replicationEnvironment()), Map.of());
        long retentionMs = c.longValue(CommonSettings.TOPICS_RETENTION_MS);
        if (secure != null) {
            secure.provision();
        } else {
            Replication replication = Replication.from(c);
            TopicAdmin.requireBrokersFor(admin, replication);
            Topics topics = Topics.create(Map.of(CommonSettings.REGISTRY_URL.key(), "mock://provisioning"));
            List<String> created = TopicAdmin.ensureTopics(admin, topics, c.integer(CommonSettings.TOPICS_PARTITIONS), replication, retentionMs);
            if (!created.isEmpty()) {
                System.err.println("created topics: " + String.join(", ", created));
            }
        }
        printCorrections(TopicAdmin.correctFaceRetention(admin, TopicAdmin.existingFaceTopics(admin), retentionMs));
    }

    /** One line per distinct change: "retention.ms=86400000 segment.ms=3600000 set on: a, b". */
    private static void printCorrections(Map<String, Map<String, String>> corrected) {
        corrected.entrySet().stream().collect(Collectors.groupingBy(
                        e -> e.getValue().entrySet().stream().map(s -> s.getKey() + "=" + s.getValue()).collect(Collectors.joining(" ")),
                        TreeMap::new, Collectors.mapping(Map.Entry::getKey, Collectors.joining(", "))))
                .forEach((set, topics) -> System.err.println(set + " set on: " + topics));
    }

    /** Waits until the service is ready: its /health/ready, or the UI's port. */
    static void await(LocalService service, Duration timeout) throws Exception {
        if (service.servesHealth()) {
            awaitReady(service, timeout);
        } else {
            await("the web UI on port " + service.port(), timeout, () -> portOpen(service.port()), service.id());
        }
    }

    /** Waits until the service's /health/ready answers 200. */
    static void awaitReady(LocalService service, Duration timeout) throws Exception {
        URI ready = service.healthUrl("/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = Stack.get(ready);
            if (r != null && r.statusCode() == 200) {
                System.err.printf("ready     %-9s %s%n", service.id(), ready);
                return;
            }
            last = r == null ? "no answer on " + ready : r.body();
            if (!Stack.isRunning(service.id())) {
                throw new UserException(service.id() + " exited during start-up; see " + Stack.runDir().resolve(service.logFile()));
            }
            Thread.sleep(500);
        }
        throw new UserException(service.id() + " is not ready after " + timeout.toSeconds() + " s: " + last + "; see "
                + Stack.runDir().resolve(service.logFile()));
    }

    private static void await(String what, Duration timeout, Check check, String process) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            if (!Stack.isRunning(process)) {
                throw new UserException(process + " exited during start-up; see " + Stack.runDir().resolve(Stack.logFile(process)));
            }
            Thread.sleep(300);
        }
        throw new UserException(what + " did not come up within " + timeout.toSeconds() + " s; see "
                + Stack.runDir().resolve(Stack.logFile(process)));
    }

    static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
