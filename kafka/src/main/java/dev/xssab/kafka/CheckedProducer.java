package dev.xssab.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A producer whose lost records are an error, not silence: every send is watched, and
 * {@link #flush()} throws if the broker did not take one of the records sent since the last
 * flush. For the clients that publish requests (submit, demo, evaluate) and for the tests.
 */
public final class CheckedProducer implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final List<String> failedKeys = new ArrayList<>();
    private Exception firstFailure;

    /** @param own the caller's producer settings (acks, linger, sizes) on top of the clients' common ones */
    public CheckedProducer(KafkaClients clients, Map<String, ?> own) {
        this.producer = clients.producer(own, new StringSerializer(), new ByteArraySerializer());
    }

    public void send(ProducerRecord<String, byte[]> record) {
        producer.send(record, (metadata, e) -> {
            if (e != null) {
                synchronized (failedKeys) {
                    failedKeys.add(record.topic() + "/" + record.key());
                    if (firstFailure == null) {
                        firstFailure = e;
                    }
                }
            }
        });
    }

    /**
     * Waits until everything sent so far is acknowledged or has failed.
     *
     * @throws IllegalStateException naming the records that were not delivered, with the first cause
     */
    public void flush() {
        producer.flush();
        synchronized (failedKeys) {
            if (!failedKeys.isEmpty()) {
                String message = failedKeys.size() + " record(s) were not delivered (" + String.join(", ",
                        failedKeys.subList(0, Math.min(10, failedKeys.size()))) + "): " + firstFailure.getMessage();
                Exception cause = firstFailure;
                failedKeys.clear();
                firstFailure = null;
                throw new IllegalStateException(message, cause);
            }
        }
    }

    /** Flushes (and so reports what was lost), then closes. */
    @Override
    public void close() {
        try {
            flush();
        } finally {
            producer.close();
        }
    }
}
