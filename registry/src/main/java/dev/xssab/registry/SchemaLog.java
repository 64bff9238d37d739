package dev.xssab.registry;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.TopicReader;
import java.time.Duration;
import dev.xssab.config.Replication;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The registry's durable state: a single-partition compacted topic, replayed on start. */
final class SchemaLog implements AutoCloseable {
    private static final int PROBE_TIMEOUT_MS = 2000;
    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final KafkaClients clients;
    /** Kept open for {@link #problem()}: readiness asks the broker each time, not a cache. */
    private final Admin admin;
    private volatile boolean replayed;

    SchemaLog(KafkaClients clients, String topic, Replication replication) {
        this.clients = clients;
        this.topic = topic;
        this.admin = clients.admin();
        try {
            createIfMissing(replication);
        } catch (RuntimeException e) {
            admin.close(Duration.ofSeconds(5));
            throw e;
        }
        this.producer = clients.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true), new StringSerializer(), new StringSerializer());
    }

    private void createIfMissing(Replication replication) {
        try {
            Map<String, String> configs = new java.util.HashMap<>(replication.topicConfigs());
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            NewTopic t = new NewTopic(topic, 1, replication.topicFactor()).configs(configs);
            admin.createTopics(List.of(t)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating " + topic, e);
        }
    }

    /** Feeds every record of the log, from the beginning to the current end, to the state. */
    void replayInto(RegistryState state) {
        new TopicReader<>(clients, topic, StringDeserializer::new, StringDeserializer::new).readAll(r -> state.apply(r.key(), r.value()));
        replayed = true;
    }

    /**
     * Null when the log has been replayed and an append would reach the broker now (the broker
     * answers, and the log's partition has a leader); else why not.
     */
    String problem() {
        if (!replayed) {
            return "the " + topic + " log has not been replayed yet";
        }
        try {
            TopicDescription log = admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(PROBE_TIMEOUT_MS))
                    .allTopicNames().get(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic);
            Node leader = log.partitions().get(0).leader();
            return leader == null || leader.isEmpty() ? "the " + topic + " log has no leader" : null;
        } catch (ExecutionException e) {
            return "the broker of the " + topic + " log cannot be reached: " + e.getCause().getMessage();
        } catch (TimeoutException e) {
            return "the broker of the " + topic + " log did not answer within " + PROBE_TIMEOUT_MS + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while asking the broker of the " + topic + " log";
        }
    }

    /** Appends a record and waits until the broker has it (acks=all). */
    void append(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, key, value)).get();
        } catch (ExecutionException e) {
            throw new RegistryError(500, 50001, "Error while storing the schema: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryError(500, 50001, "interrupted while storing the schema");
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
