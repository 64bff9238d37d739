package dev.xssab.testkit;

import dev.xssab.broker.LoopbackPorts;
import dev.xssab.broker.SecureNode;
import dev.xssab.broker.SingleNodeKafka;
import dev.xssab.kafka.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka 4.4 broker (KRaft, combined broker+controller) inside the test JVM, listening on
 * 127.0.0.1 only, with the same settings and storage format as {@code xssab broker}
 * ({@link SingleNodeKafka}) on free ports and a temporary folder.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private final KafkaRaftServer server;
    private final SecureNode security;

    private EmbeddedKafkaBroker(Path dataDir, int port, KafkaRaftServer server, SecureNode security) {
        this.dataDir = dataDir;
        this.port = port;
        this.server = server;
        this.security = security;
    }

    public static EmbeddedKafkaBroker start() {
        return start(null, Map.of());
    }

    /**
     * A plain broker with some broker settings changed, such as log.retention.check.interval.ms
     * (5 min by default), so that a test sees time-based deletion within seconds.
     */
    public static EmbeddedKafkaBroker startWith(Map<String, String> brokerSettings) {
        return start(null, brokerSettings);
    }

    /**
     * A secured broker: SASL_SSL with SCRAM-SHA-512 for clients, certificates made now, the
     * StandardAuthorizer with no ACL meaning no access. {@code users} get passwords (see
     * {@link #clientsFor}); creating their credentials and ACLs is the admin's job.
     */
    public static EmbeddedKafkaBroker startSecure(List<String> users) {
        try {
            return start(SecureNode.createOrOpen(Files.createTempDirectory("xssab-kafka-security-"), users), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedKafkaBroker start(SecureNode security, Map<String, String> brokerSettings) {
        try {
            Path dir = Files.createTempDirectory("xssab-kafka-");
            int port = LoopbackPorts.unused();
            int controllerPort = LoopbackPorts.unused();
            Properties p = security == null ? SingleNodeKafka.config(dir.resolve("logs"), port, controllerPort)
                    : security.nodeConfig(dir.resolve("logs"), port, controllerPort);
            p.putAll(brokerSettings);
            Path config = dir.resolve("server.properties");
            SingleNodeKafka.write(p, config, "xssab test broker");
            SingleNodeKafka.formatStorage(config, security == null ? List.of() : security.formatArguments());
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
            server.startup();
            return new EmbeddedKafkaBroker(dir, port, server, security);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The secured broker's certificates and passwords (null for a plain one). */
    public SecureNode security() {
        return security;
    }

    /** Clients that authenticate as {@code user} (a secured broker; "admin" is the super user). */
    public KafkaClients clientsFor(String user) {
        return new KafkaClients(bootstrapServers(), security.clientSettings(user));
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Plain clients of this broker. */
    public KafkaClients clients() {
        return security == null ? KafkaClients.plaintext(bootstrapServers()) : clientsFor(SecureNode.ADMIN);
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> walk = Files.walk(dataDir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }
}
