package dev.xssab.explainer.stream;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.BatchLoopClients;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Where the explainer loop gets a new pair of Kafka clients each time it (re)opens them: request
 * ids as keys, Avro bytes as values, deserialized by the loop itself so that an unreadable pair
 * becomes a rejection. Services use {@link #of(KafkaClients)}; a test can hand in Kafka's
 * MockProducer and MockConsumer.
 */
public interface LoopClients extends BatchLoopClients<String, byte[], byte[]> {
    /** Real clients from the process's client factory, which keeps each client's meters until it is released. */
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

            @Override
            public void release(Object client) {
                clients.release(client);
            }
        };
    }
}
