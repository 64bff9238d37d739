package dev.xssab.registry.testing;

import dev.xssab.broker.LoopbackPorts;
import dev.xssab.config.Replication;
import dev.xssab.registry.SchemaRegistryServer;
import dev.xssab.schemas.Topics;
import dev.xssab.testkit.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Test fixture: a real in-JVM broker, the real schema registry on 127.0.0.1 over it, and the
 * topic registry whose serdes talk to it. Shared by the tests of every stage (test-jar).
 */
public final class KafkaWithRegistry implements AutoCloseable {
    private final EmbeddedKafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final Topics topics;

    private KafkaWithRegistry(EmbeddedKafkaBroker broker, SchemaRegistryServer registry) {
        this.broker = broker;
        this.registry = registry;
        this.topics = Topics.create(Map.of("schema.registry.url", registry.url()));
    }

    public static KafkaWithRegistry start() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        try {
            return new KafkaWithRegistry(broker,
                    SchemaRegistryServer.start(broker.clients(), Topics.SCHEMAS, Replication.SINGLE_NODE, "127.0.0.1", 0));
        } catch (IOException e) {
            broker.close();
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Plain clients of the broker. */
    public dev.xssab.kafka.KafkaClients clients() {
        return broker.clients();
    }

    public String registryUrl() {
        return registry.url();
    }

    public Topics topics() {
        return topics;
    }

    /**
     * Topics whose serdes point at a registry that is down: a loopback port nobody listens on.
     * Each call gets its own URL, so no schema cached by an earlier client can hide the outage.
     */
    public static Topics topicsWithRegistryDown() {
        return topicsWithRegistryAt(LoopbackPorts.unused());
    }

    /** Topics whose serdes point at a registry on this loopback port (down until {@link #registryOn} starts it). */
    public static Topics topicsWithRegistryAt(int port) {
        return Topics.create(Map.of("schema.registry.url", "http://127.0.0.1:" + port));
    }

    /**
     * A second registry over the same broker and schema log, on {@code port}: what a registry
     * coming back after an outage looks like to the serdes of {@link #topicsWithRegistryAt}.
     */
    public SchemaRegistryServer registryOn(int port) {
        try {
            return SchemaRegistryServer.start(broker.clients(), Topics.SCHEMAS, Replication.SINGLE_NODE, "127.0.0.1", port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
    @Override
    public void close() {
        registry.close();
        broker.close();
    }
}
