package dev.xssab.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.kafka.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;

/**
 * The records a test wrote to one topic and the broker acknowledged, and the check that reading
 * the topic back (read_committed) finds each of them exactly once.
 */
final class RecordLedger {
    /** Retries ride out a leader's death: fencing (6 s) and a new leader take well under this. */
    static final Map<String, Object> DURABLE = Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            ProducerConfig.LINGER_MS_CONFIG, 5);

    private final String topic;
    private final Set<Long> acknowledged = new ConcurrentSkipListSet<>();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    RecordLedger(String topic) {
        this.topic = topic;
    }

    static KafkaProducer<Long, Long> producer(KafkaClients clients, Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(DURABLE);
        settings.putAll(extra);
        return clients.producer(settings, new LongSerializer(), new LongSerializer());
    }

    /**
     * Sends values {@code from..to-1} (each its own key), recording those the broker acknowledges.
     * In a transaction, acknowledged means written; the test then commits, or the check fails.
     */
    void send(KafkaProducer<Long, Long> producer, long from, long to) {
        for (long v = from; v < to; v++) {
            long value = v;
            producer.send(new ProducerRecord<>(topic, value, value), (meta, e) -> {
                if (e == null) {
                    acknowledged.add(value);
                } else {
                    firstFailure.compareAndSet(null, e);
                }
            });
        }
    }

    /** Every acknowledged value is in the topic exactly once. */
    void assertReadBackExactlyOnce(KafkaClients clients, int partitions, Duration timeout) {
        Map<Long, Integer> seen = readAll(clients, partitions, timeout);
        Set<Long> missing = new TreeSet<>(acknowledged);
        missing.removeAll(seen.keySet());
        Set<Long> twice = new TreeSet<>();
        seen.forEach((v, n) -> {
            if (n > 1) {
                twice.add(v);
            }
        });
        assertTrue(missing.isEmpty(), missing.size() + " of " + acknowledged.size() + " acknowledged records lost in " + topic
                + ", e.g. " + missing.stream().limit(10).toList());
        assertTrue(twice.isEmpty(), twice.size() + " records read more than once in " + topic + ", e.g. "
                + twice.stream().limit(10).toList());
    }

    /** All {@code sent} records were acknowledged: the cluster stayed writable through the failure. */
    void assertAllAcknowledged(int sent) {
        assertEquals(sent, acknowledged.size(), "records acknowledged of " + sent + " sent to " + topic + "; first failure: "
                + firstFailure.get());
    }

    private Map<Long, Integer> readAll(KafkaClients clients, int partitions, Duration timeout) {
        Map<String, Object> settings = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<Long, Integer> seen = new HashMap<>();
        try (KafkaConsumer<Long, Long> consumer = clients.consumer(settings, new LongDeserializer(), new LongDeserializer())) {
            List<TopicPartition> all = java.util.stream.IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!seen.keySet().containsAll(acknowledged) && System.nanoTime() < deadline) {
                for (ConsumerRecord<Long, Long> r : consumer.poll(Duration.ofMillis(500))) {
                    seen.merge(r.value(), 1, Integer::sum);
                }
            }
            // A little longer: duplicates would come after the last new value.
            for (ConsumerRecord<Long, Long> r : consumer.poll(Duration.ofMillis(500))) {
                seen.merge(r.value(), 1, Integer::sum);
            }
        }
        return seen;
    }
}
