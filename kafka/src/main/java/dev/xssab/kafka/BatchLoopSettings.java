package dev.xssab.kafka;

import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How a {@link TransactionalBatchLoop} reads, batches and commits.
 *
 * @param role what the loop is, for its log lines and errors (explainer, audit)
 * @param topics the topics consumed
 * @param groupId consumer group; more instances in the same group share the partitions
 * @param transactionalId unique and stable per instance, so a restarted instance fences its
 *     predecessor and aborts its open transaction at once; also the static group member id
 * @param maxBatch largest number of records per batch
 * @param maxWait longest wait to fill a batch once the first record arrived
 * @param commitDeadline how long a commit that timed out (outcome unknown) is retried before the
 *     producer is closed and a new one resumes from the committed offsets
 */
public record BatchLoopSettings(String role, List<String> topics, String groupId, String transactionalId, int maxBatch,
        Duration maxWait, Duration commitDeadline) {
    public BatchLoopSettings {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        if (commitDeadline.isNegative()) {
            throw new IllegalArgumentException("commitDeadline must not be negative");
        }
        topics = List.copyOf(topics);
    }

    /** The consumer's settings: read_committed, offsets committed only with the transaction. */
    public Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxBatch());
        // Static membership: a restarted instance (same id) takes over its partitions at once
        // instead of waiting for the dead one's session to time out.
        c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, transactionalId());
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
        return c;
    }

    /** The producer's settings: transactional, idempotent. */
    public Map<String, Object> producerConfig() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // An instance that dies mid-batch holds its transaction open at most this long if it
        // never comes back under the same transactional id.
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        return p;
    }
}
