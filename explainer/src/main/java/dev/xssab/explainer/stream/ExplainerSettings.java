package dev.xssab.explainer.stream;

import dev.xssab.config.KafkaClients;
import java.time.Duration;

/**
 * How the explainer loop batches and commits.
 *
 * @param clients the process's Kafka client factory (servers, security)
 * @param groupId consumer group; more instances in the same group share the partitions
 * @param transactionalId unique and stable per instance, so a restarted instance fences its
 *     predecessor and aborts its open transaction at once
 * @param maxBatch largest number of pairs per model call
 * @param maxWait longest wait to fill a batch once the first pair arrived
 */
public record ExplainerSettings(KafkaClients clients, String groupId, String transactionalId, int maxBatch,
        Duration maxWait) {
    public ExplainerSettings {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
    }
}
