package dev.xssab.explainer.stream;

import dev.xssab.config.KafkaClients;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Where the explainer loop gets a new pair of Kafka clients each time it (re)opens them. Services
 * use {@link #of(KafkaClients)}; a test can hand in Kafka's MockProducer and MockConsumer to
 * drive failures (a commit that times out) the real broker cannot produce on demand.
 */
public interface LoopClients {
    /** A new transactional producer with the loop's settings. */
    Producer<String, byte[]> producer(Map<String, Object> config);

    /** A new consumer with the loop's settings. */
    Consumer<String, byte[]> consumer(Map<String, Object> config);

    /** Real clients from the process's client factory. */
    static LoopClients of(KafkaClients clients) {
        return new LoopClients() {
            @Override
            public Producer<String, byte[]> producer(Map<String, Object> config) {
                return clients.producer(config, new StringSerializer(), new ByteArraySerializer());
            }

            @Override
            public Consumer<String, byte[]> consumer(Map<String, Object> config) {
                return clients.consumer(config, new StringDeserializer(), new ByteArrayDeserializer());
            }
        };
    }
}
