package dev.xssab.schemas;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xssab.schemas.testing.KafkaWithRegistry;
import java.util.List;
import java.util.Properties;
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
            try (KafkaWithRegistry kafka = KafkaWithRegistry.start()) {
                List<String> created = TopicAdmin.ensureTopics(kafka.bootstrapServers(), kafka.topics(), 2, (short) 1);
                assertEquals(kafka.topics().all().size(), created.size(), "all created on a new cluster");
                Properties p = new Properties();
                p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
                p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
                // A lost record shows within seconds instead of the default two minutes.
                p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
                p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
                try (CheckedProducer producer = new CheckedProducer(p)) {
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
