package dev.xssab.audit;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.Backoff;
import dev.xssab.kafka.CommittedOffsets;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.serde.SchemaRegistryUnavailableException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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
    /** The results and explanations topics, shared and every principal's own. */
    static final Pattern AUDITED = Topics.families(Topics.RESULTS, Topics.EXPLANATIONS);
    private final KafkaConsumer<String, byte[]> consumer;
    private final AuditStore store;
    private final Topics topics;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile long retries;
    /** Partitions held now: readiness means at least one. */
    private volatile int assigned;

    public AuditSink(KafkaClients clients, String groupId, Topics topics, AuditStore store) {
        this.topics = topics;
        this.store = store;
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        this.consumer = clients.consumer(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** How many partitions of the results and explanations this sink holds now. */
    public int assignedPartitions() {
        return assigned;
    }

    /**
     * Until {@link #stop()}. A poll that cannot be stored (the database or the schema registry away)
     * is rolled back and read again after a growing pause: nothing is skipped and the sink does not
     * stop. A record that cannot be read at all is logged and skipped; it is in the topic for replay.
     */
    public void run() {
        // Every client's own outcome topics as well as the shared ones: the audit reads across clients.
        consumer.subscribe(AUDITED, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                assigned = Math.max(0, assigned - partitions.size());
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assigned += partitions.size();
            }
        });
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        try {
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    store(records);
                    consumer.commitSync();
                    backoff.reset();
                } catch (SQLException | SchemaRegistryUnavailableException e) {
                    retries++;
                    LOG.warn("audit: cannot store {} records now ({}); reading them again in {} ms", records.count(),
                            e.getMessage(), backoff.next().toMillis());
                    CommittedOffsets.rewind(consumer);
                    backoff.pause();
                    reconnect();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        }
    }

    /** Upserts one poll's records in one transaction; on failure nothing of it stays. */
    void store(ConsumerRecords<String, byte[]> records) throws SQLException {
        try {
            for (ConsumerRecord<String, byte[]> r : records) {
                try {
                    if (Topics.kindOf(r.topic()) == Topics.Kind.RESULTS) {
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
        } catch (SQLException | RuntimeException e) {
            store.rollback();
            throw e;
        }
    }

    private void reconnect() {
        try {
            store.reconnectIfBroken();
        } catch (SQLException e) {
            LOG.warn("audit: the database is still unreachable: {}", e.getMessage());
        }
    }

    /** How many polls had to be read again because the database or the registry was away. */
    public long retries() {
        return retries;
    }

    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
