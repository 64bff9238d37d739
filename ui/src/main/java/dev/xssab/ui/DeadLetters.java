package dev.xssab.ui;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.TopicReader;
import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The dead-letter topics as the UI reads them (the shared one and every client's own): each scan is the UI's own look at what is there now
 * (no consumer group), and rejections carry whole requests (hence the large fetch size).
 */
final class DeadLetters {
    private static final int PER_PARTITION = 500;

    private final TopicReader<String, byte[]> reader;

    DeadLetters(KafkaClients clients) {
        this.reader = new TopicReader<>(clients, Topics.REJECTION_TOPICS, StringDeserializer::new, ByteArrayDeserializer::new)
                .withMaxFetchBytes(Topics.MAX_MESSAGE_BYTES);
    }

    /** The newest rejections, newest first (a few hundred per partition at most, whatever arrives in 20 s). */
    List<ConsumerRecord<String, byte[]>> newest() {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        reader.readToEnd(PER_PARTITION, Duration.ofSeconds(20), out::add);
        out.sort((a, b) -> Long.compare(b.timestamp(), a.timestamp()));
        return out;
    }

    /** The record at {@code topic/partition/offset}, if it is a dead-letter topic's and arrives within 10 s. */
    Optional<ConsumerRecord<String, byte[]>> at(String topic, int partition, long offset) {
        return reader.recordAt(topic, partition, offset, Duration.ofSeconds(10));
    }
}
