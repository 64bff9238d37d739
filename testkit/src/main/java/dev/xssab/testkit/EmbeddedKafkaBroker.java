package dev.xssab.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka 4.4 broker (KRaft, combined broker+controller) inside the test JVM, listening on
 * 127.0.0.1 only. Storage is formatted with StorageTool ({@code format --standalone}) exactly as
 * for the broker process. Every replication factor and min.isr is 1, which a single node needs
 * (transactions hang otherwise).
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
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            p.put("controller.listener.names", "CONTROLLER");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
            p.put("log.dirs", dir.resolve("logs").toString());
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "4");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("transaction.state.log.num.partitions", "4");
            p.put("min.insync.replicas", "1");
            p.put("default.replication.factor", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("auto.create.topics.enable", "false");
            // Requests carry whole images (see Topics.MAX_MESSAGE_BYTES).
            p.put("message.max.bytes", String.valueOf(32 * 1024 * 1024));
            p.put("replica.fetch.max.bytes", String.valueOf(32 * 1024 * 1024));
            Path config = dir.resolve("server.properties");
            try (var out = Files.newBufferedWriter(config)) {
                p.store(out, "xssab test broker");
            }
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "--standalone", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()}, new PrintStream(log, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed: " + log.toString(StandardCharsets.UTF_8));
            }
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
