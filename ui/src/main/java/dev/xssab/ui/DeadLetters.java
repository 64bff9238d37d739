package dev.xssab.ui;

import dev.xssab.config.KafkaClients;
import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the dead-letter topic by assignment, with no consumer group: each scan is the UI's own
 * look at what is there now, and rejections carry whole requests (hence the large fetch size).
 */
final class DeadLetters {
    private static final int PER_PARTITION = 500;

    private final KafkaClients clients;

    DeadLetters(KafkaClients clients) {
        this.clients = clients;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return clients.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Topics.MAX_MESSAGE_BYTES), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The newest rejections, newest first (a few hundred per partition at most). */
    List<ConsumerRecord<String, byte[]>> newest() {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            List<TopicPartition> parts = c.partitionsFor(Topics.REJECTIONS, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Map<TopicPartition, Long> begin = c.beginningOffsets(parts);
            for (TopicPartition tp : parts) {
                c.seek(tp, Math.max(begin.get(tp), end.get(tp) - PER_PARTITION));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        out.sort((a, b) -> Long.compare(b.timestamp(), a.timestamp()));
        return out;
    }

    /** The record at {@code partition/offset}, if it arrives within 10 s. */
    Optional<ConsumerRecord<String, byte[]>> at(int partition, long offset) {
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            TopicPartition tp = new TopicPartition(Topics.REJECTIONS, partition);
            c.assign(List.of(tp));
            c.seek(tp, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() == offset) {
                        return Optional.of(r);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
