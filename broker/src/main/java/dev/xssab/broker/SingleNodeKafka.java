package dev.xssab.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/**
 * One Kafka 4.4 node in KRaft mode (broker and controller in one process) on 127.0.0.1: the
 * settings and the storage format, in one place for {@code xssab broker} and the tests' in-JVM
 * broker, so that the two cannot drift apart.
 */
public final class SingleNodeKafka {
    /**
     * The largest record the broker accepts. Requests carry whole images; this must be at least
     * the clients' limit (Topics.MAX_MESSAGE_BYTES, checked by a test in deploy).
     */
    public static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

    private SingleNodeKafka() {}

    /** The settings of a node listening on 127.0.0.1 only, with its log segments in {@code logDir}. */
    public static Properties config(Path logDir, int port, int controllerPort) {
        return config(logDir, "127.0.0.1", "127.0.0.1", port, controllerPort);
    }

    /**
     * The same, listening on {@code listenHost} (0.0.0.0 in a container) and telling clients to
     * connect to {@code advertisedHost}; the controller stays on 127.0.0.1.
     */
    public static Properties config(Path logDir, String listenHost, String advertisedHost, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("listeners", "PLAINTEXT://" + listenHost + ":" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + advertisedHost + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("log.dirs", logDir.toString());
        // A single node: every replication factor and min.isr is 1, or transactions hang.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        // Fewer internal partitions than the default 50: one node, faster start.
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created by the services with their settings (compaction, sizes), never by accident.
        p.put("auto.create.topics.enable", "false");
        p.put("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        p.put("replica.fetch.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        return p;
    }

    /** Writes the settings as a server.properties file, the form kafka.Kafka and StorageTool read. */
    public static void write(Properties config, Path file, String comment) throws IOException {
        try (var out = Files.newBufferedWriter(file)) {
            config.store(out, comment);
        }
    }

    /**
     * Formats the node's storage as {@code kafka-storage.sh format --standalone} does (a new
     * cluster id, this node as the only controller voter).
     *
     * @throws IllegalStateException with StorageTool's output if it fails
     */
    public static void formatStorage(Path configFile) {
        formatStorage(configFile, java.util.List.of());
    }

    /** The same, with more arguments for StorageTool (a secured node's SCRAM credentials). */
    public static void formatStorage(Path configFile, java.util.List<String> extra) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("format", "--standalone", "-t",
                Uuid.randomUuid().toString(), "-c", configFile.toString()));
        args.addAll(extra);
        int rc = StorageTool.execute(args.toArray(new String[0]), new PrintStream(log, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("formatting Kafka storage failed: " + log.toString(StandardCharsets.UTF_8).trim());
        }
    }
}
