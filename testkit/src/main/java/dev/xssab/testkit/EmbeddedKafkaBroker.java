package dev.xssab.testkit;

import dev.xssab.broker.SingleNodeKafka;
import dev.xssab.config.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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

    private EmbeddedKafkaBroker(Path dataDir, int port, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.port = port;
        this.server = server;
    }

    public static EmbeddedKafkaBroker start() {
        try {
            Path dir = Files.createTempDirectory("xssab-kafka-");
            int port = freePort();
            int controllerPort = freePort();
            Properties p = SingleNodeKafka.config(dir.resolve("logs"), port, controllerPort);
            Path config = dir.resolve("server.properties");
            SingleNodeKafka.write(p, config, "xssab test broker");
            SingleNodeKafka.formatStorage(config);
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
            server.startup();
            return new EmbeddedKafkaBroker(dir, port, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Plain clients of this broker. */
    public KafkaClients clients() {
        return KafkaClients.plaintext(bootstrapServers());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
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
