package dev.xssab.schemas;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xssab.testkit.EmbeddedKafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Topics that {@link TopicAdmin} has just created take a new idempotent producer's records at
 * once. Without the wait for serving leaders, about one fresh cluster in seven lost a record
 * here: its first batch for a partition was refused as out of order until it expired.
 */
class TopicAdminIT {
    private static final int ROUNDS = 10;

    @Test
    void freshTopicsTakeEveryRecordAtOnce() {
        Random random = new Random(7);
        for (int round = 0; round < ROUNDS; round++) {
            try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
                // Only raw bytes are sent here: the serdes (and so the registry) are never used.
                Topics topics = Topics.create(Map.of("schema.registry.url", "http://127.0.0.1:1"));
                List<String> created = TopicAdmin.ensureTopics(kafka.clients(), topics, 2, (short) 1);
                assertEquals(topics.all().size(), created.size(), "all created on a new cluster");
                // A lost record shows within seconds instead of the default two minutes.
                Map<String, Object> p = Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
                try (CheckedProducer producer = new CheckedProducer(kafka.clients(), p)) {
                    for (int i = 0; i < 30; i++) {
                        byte[] value = new byte[1 << 20]; // requests are images: about a megabyte each
                        random.nextBytes(value);
                        producer.send(new ProducerRecord<>(Topics.REQUESTS, "r" + i, value));
                    }
                    int r = round;
                    assertDoesNotThrow(producer::flush, () -> "round " + r);
                }
            }
        }
    }
}
