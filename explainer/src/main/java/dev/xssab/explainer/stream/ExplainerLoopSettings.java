package dev.xssab.explainer.stream;

import dev.xssab.kafka.BatchLoopSettings;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.List;

/**
 * How the explainer loop batches and commits.
 *
 * @param clients the process's Kafka client factory (servers, security)
 * @param groupId consumer group; more instances in the same group share the partitions
 * @param transactionalId unique and stable per instance, so a restarted instance fences its
 *     predecessor and aborts its open transaction at once
 * @param maxBatch largest number of pairs per model call
 * @param maxWait longest wait to fill a batch once the first pair arrived
 * @param commitDeadline how long a commit that timed out (outcome unknown) is retried before the
 *     producer is closed and a new one resumes from the committed offsets
 */
public record ExplainerLoopSettings(KafkaClients clients, String groupId, String transactionalId, int maxBatch,
        Duration maxWait, Duration commitDeadline) {
    /** The default {@link #commitDeadline()}: two of the producer's default max.block.ms. */
    public static final Duration DEFAULT_COMMIT_DEADLINE = Duration.ofMinutes(2);

    public ExplainerLoopSettings {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        if (commitDeadline.isNegative()) {
            throw new IllegalArgumentException("commitDeadline must not be negative");
        }
    }

    /** Settings with the default commit deadline. */
    public ExplainerLoopSettings(KafkaClients clients, String groupId, String transactionalId, int maxBatch, Duration maxWait) {
        this(clients, groupId, transactionalId, maxBatch, maxWait, DEFAULT_COMMIT_DEADLINE);
    }

    /** The transactional loop's share: the aligned pairs, batched and committed as set here. */
    public BatchLoopSettings loop() {
        return new BatchLoopSettings("explainer", List.of(Topics.ALIGNED_PAIRS), groupId, transactionalId, maxBatch, maxWait,
                commitDeadline);
    }
}
