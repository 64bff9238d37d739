package dev.xssab.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * One Kafka 4.4 node in KRaft mode (broker and controller in one process) on 127.0.0.1: the
 * one-node case of {@link KafkaClusterLayout}, in one place for {@code xssab broker} and the tests'
 * in-JVM broker, so that the two cannot drift apart.
 */
public final class SingleNodeKafka {
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
        return KafkaClusterLayout.of(List.of(port), List.of(controllerPort)).nodeConfig(1, logDir, listenHost, advertisedHost);
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
        formatStorage(configFile, List.of());
    }

    /** The same, with more arguments for StorageTool (a secured node's SCRAM credentials). */
    public static void formatStorage(Path configFile, List<String> extra) {
        KafkaClusterLayout.format(configFile, Uuid.randomUuid().toString(), true, extra);
    }
}
