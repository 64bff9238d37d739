package dev.xssab.cli;

import dev.xssab.schemas.CheckedProducer;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.schemas.avro.VerificationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What an access-control system does: publish requests, then read back what happened to them,
 * correlated by requestId. Outcome topics are read from their current end (read_committed), so
 * only answers to this client's requests are of interest and nothing old is replayed.
 */
final class PipelineClient implements AutoCloseable {
    /** What came back for one request. */
    record Outcome(VerificationResult result, Rejection rejection, Explanation explanation) {}

    private final Topics topics;
    private final CheckedProducer producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, VerificationResult> results = new ConcurrentHashMap<>();
    private final Map<String, Rejection> rejections = new ConcurrentHashMap<>();
    private final Map<String, Explanation> explanations = new ConcurrentHashMap<>();

    PipelineClient(String bootstrap, Topics topics) {
        this.topics = topics;
        // The services create the topics too, but a client may be first: creating is idempotent.
        dev.xssab.schemas.TopicAdmin.ensureTopics(bootstrap, topics, 4, (short) 1);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new CheckedProducer(p);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : List.of(Topics.RESULTS, Topics.REJECTIONS, Topics.EXPLANATIONS)) {
            consumer.partitionsFor(t, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(t, i.partition())));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // pin "the end" now, before anything is sent
    }

    void send(VerificationRequest request) {
        producer.send(new ProducerRecord<>(Topics.REQUESTS, request.getRequestId(),
                topics.requests().valueSerde().serializer().serialize(Topics.REQUESTS, request)));
    }

    /** Waits until every request sent so far is on the broker; a request that is not is an error here, not a timeout later. */
    void flush() {
        try {
            producer.flush();
        } catch (IllegalStateException e) {
            throw new UserException("could not publish to " + Topics.REQUESTS + ": " + e.getMessage());
        }
    }

    /** Reads whatever arrived within {@code wait}. */
    void poll(Duration wait) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
            switch (r.topic()) {
                case Topics.RESULTS -> {
                    VerificationResult v = topics.results().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    results.put(v.getRequestId(), v);
                }
                case Topics.EXPLANATIONS -> {
                    Explanation v = topics.explanations().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    explanations.put(v.getRequestId(), v);
                }
                default -> {
                    Rejection v = topics.rejections().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (v.getRequestId() != null) {
                        rejections.put(v.getRequestId(), v);
                    }
                }
            }
        }
    }

    /** The outcome of a request once complete (a rejection, or a result and the explanation if asked). */
    Outcome outcome(String requestId, boolean explain) {
        Rejection rejected = rejections.get(requestId);
        if (rejected != null) {
            return new Outcome(null, rejected, null);
        }
        VerificationResult result = results.get(requestId);
        if (result == null || (explain && !explanations.containsKey(requestId))) {
            return null;
        }
        return new Outcome(result, null, explanations.get(requestId));
    }

    Outcome await(String requestId, boolean explain, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Outcome o;
        while ((o = outcome(requestId, explain)) == null && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
        }
        return o;
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        producer.close();
    }
}
