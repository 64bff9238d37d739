package dev.xssab.kafka;

import dev.xssab.config.CommonSettings;
import dev.xssab.config.KeptClientSettings;
import dev.xssab.config.Replication;
import dev.xssab.config.ServiceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * The one factory of Kafka clients. Every producer, consumer, admin and Streams client of the
 * project is built here from three layers: the bootstrap servers, the settings the calling code
 * chose, and the user's client settings (kafka.* keys and client.config.file: security.protocol,
 * sasl.*, ssl.*, timeouts, ...).
 *
 * <p>Which layer wins is decided here and nowhere else ({@link #properties}): the user's settings
 * win over the code's choices (sizes, timeouts, poll and commit intervals), except the keys in
 * {@link KeptClientSettings}, on which exactly-once processing and "nothing lost" rest; a user value
 * that contradicts one of those is refused. How topics are replicated is not a client setting at
 * all: it comes from the declared settings ({@link Replication}).
 */
public final class KafkaClients {
    private final String bootstrapServers;
    private final Map<String, Object> userSettings;
    /** Where the clients' own metrics go (Micrometer's Kafka binders), or null. */
    private final MeterRegistry meters;
    /** Binders of clients that are still open, so that closing a client can release its meters. */
    private final Map<Object, AutoCloseable> binders = new ConcurrentHashMap<>();

    public KafkaClients(String bootstrapServers, Map<String, Object> userSettings) {
        this(bootstrapServers, userSettings, null);
    }

    private KafkaClients(String bootstrapServers, Map<String, Object> userSettings, MeterRegistry meters) {
        this.bootstrapServers = bootstrapServers;
        this.userSettings = Map.copyOf(userSettings);
        this.meters = meters;
    }

    /** The same clients, each reporting Kafka's own client or Streams metrics to {@code registry}. */
    public KafkaClients withMetrics(MeterRegistry registry) {
        return new KafkaClients(bootstrapServers, userSettings, registry);
    }

    /**
     * Stops reporting a client's metrics; call it when the client is closed for good, before
     * opening a replacement (a binder refreshes its meters on a timer until released).
     */
    public void release(Object client) {
        AutoCloseable binder = client == null ? null : binders.remove(client);
        if (binder != null) {
            try {
                binder.close();
            } catch (Exception e) {
                // the meters only: nothing to recover
            }
        }
    }

    private <T> T bound(T client, java.util.function.Function<T, io.micrometer.core.instrument.binder.MeterBinder> binder) {
        if (meters != null) {
            io.micrometer.core.instrument.binder.MeterBinder b = binder.apply(client);
            b.bindTo(meters);
            binders.put(client, (AutoCloseable) b);
        }
        return client;
    }

    /** The clients of a service, as its settings say: bootstrap servers and the user's kafka.* settings. */
    public static KafkaClients of(ServiceConfig config) {
        return new KafkaClients(config.string(CommonSettings.BOOTSTRAP_SERVERS), config.kafkaClientSettings());
    }

    /** Plain clients on these bootstrap servers, no user settings: the embedded default and tests. */
    public static KafkaClients plaintext(String bootstrapServers) {
        return new KafkaClients(bootstrapServers, Map.of());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The settings every client gets: bootstrap servers and the user's client settings. */
    public Map<String, Object> common() {
        Map<String, Object> p = new HashMap<>(userSettings);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /**
     * The settings of one client: the caller's own under the user's, except {@link KeptClientSettings}.
     *
     * @throws org.apache.kafka.common.config.ConfigException when a user setting contradicts a kept one
     */
    public Properties properties(Map<String, ?> own) {
        Properties p = new Properties();
        p.putAll(own);
        KeptClientSettings.requireNoContradiction(userSettings, own);
        p.putAll(common());
        return p;
    }

    public <K, V> KafkaProducer<K, V> producer(Map<String, ?> own, Serializer<K> keys, Serializer<V> values) {
        return bound(new KafkaProducer<>(properties(own), keys, values), KafkaClientMetrics::new);
    }

    public <K, V> KafkaConsumer<K, V> consumer(Map<String, ?> own, Deserializer<K> keys, Deserializer<V> values) {
        return bound(new KafkaConsumer<>(properties(own), keys, values), KafkaClientMetrics::new);
    }

    /** An admin client; short-lived, so never metered. */
    public Admin admin() {
        return Admin.create(properties(Map.of()));
    }

    /** A Streams client; {@code streamsConfig} comes from the topology's own streamsConfig(...) function. */
    public KafkaStreams streams(Topology topology, Map<String, ?> streamsConfig) {
        return bound(new KafkaStreams(topology, properties(streamsConfig)), KafkaStreamsMetrics::new);
    }

    /** The security protocol in force (PLAINTEXT unless configured). */
    public String securityProtocol() {
        return String.valueOf(userSettings.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"));
    }
}
