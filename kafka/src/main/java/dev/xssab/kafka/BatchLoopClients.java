package dev.xssab.kafka;

import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Where a {@link TransactionalBatchLoop} gets a new pair of Kafka clients each time it (re)opens
 * them. A test can hand in Kafka's MockProducer and MockConsumer to drive failures (a commit that
 * times out) that a real broker cannot produce on demand.
 *
 * @param <K> the key type, in and out
 * @param <I> the value type read
 * @param <O> the value type written
 */
public interface BatchLoopClients<K, I, O> {
    /** A new transactional producer with the loop's settings. */
    Producer<K, O> producer(Map<String, Object> config);

    /** A new consumer with the loop's settings. */
    Consumer<K, I> consumer(Map<String, Object> config);

    /** After a client is closed: lets the factory drop what it kept for it (its meters). */
    default void release(Object client) {}
}
