package dev.xssab.audit;

import dev.xssab.schemas.Topics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * results + explanations -> audit store. Each poll is one database transaction; offsets are
 * committed only after it, so a crash replays at most one poll, which the upserts absorb.
 * Records are counted and logged by requestId only: images never reach a log.
 */
public final class AuditSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditSink.class);
    private final KafkaConsumer<String, byte[]> consumer;
    private final AuditStore store;
    private final Topics topics;
    private final AtomicBoolean running = new AtomicBoolean(true);

    public AuditSink(String bootstrapServers, String groupId, Topics topics, AuditStore store) {
        this.topics = topics;
        this.store = store;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public void run() {
        consumer.subscribe(List.of(Topics.RESULTS, Topics.EXPLANATIONS));
        try {
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                store(records);
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        }
    }

    /** Upserts one poll's records in one transaction. */
    void store(ConsumerRecords<String, byte[]> records) {
        try {
            for (ConsumerRecord<String, byte[]> r : records) {
                try {
                    if (Topics.RESULTS.equals(r.topic())) {
                        store.upsert(topics.results().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    } else {
                        store.upsert(topics.explanations().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    }
                } catch (org.apache.kafka.common.errors.SerializationException e) {
                    // Our own explainer wrote it; an unreadable one is a bug to see, not a reason to stop auditing.
                    LOG.error("unreadable record {} at {}-{}@{}: {}", r.key(), r.topic(), r.partition(), r.offset(), e.getMessage());
                }
            }
            store.commit();
        } catch (SQLException e) {
            store.rollback();
            throw new IllegalStateException("audit store write failed: " + e.getMessage(), e);
        }
    }

    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
