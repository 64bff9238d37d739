package dev.xssab.kafka.client;

import dev.xssab.kafka.ClusterDiagnosis;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.CheckedProducer;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.schemas.avro.VerificationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Requests go to the shared request topic, or, for a client that authenticates as a
 * principal, to that principal's own topic, so that the audit records who submitted them.
 * Failures to reach, authenticate or publish are {@link PipelineClientException}s naming the cause.
 */
public final class PipelineClient implements AutoCloseable {
    /** What came back for one request. */
    public record Outcome(VerificationResult result, Rejection rejection, Explanation explanation) {}

    private final Topics topics;
    private final KafkaClients clients;
    private final String requestTopic;
    private CheckedProducer producer;
    private KafkaConsumer<String, byte[]> consumer;
    private final Map<String, VerificationResult> results = new ConcurrentHashMap<>();
    private final Map<String, Rejection> rejections = new ConcurrentHashMap<>();
    private final Map<String, Explanation> explanations = new ConcurrentHashMap<>();

    /**
     * Connects and pins the current end of the outcome topics, which it reads by assignment.
     *
     * @param principal the SASL user this client authenticates as, or null to use the shared topic
     * @throws PipelineClientException naming why the cluster cannot be used (address, TLS, credentials, ACLs)
     */
    public PipelineClient(KafkaClients clients, Topics topics, String principal) {
        this(clients, topics, principal, null);
    }

    /**
     * As {@link #PipelineClient(KafkaClients, Topics, String)}, reading the outcome topics through
     * the consumer group {@code groupId} instead (on a secured cluster a client may use only groups
     * named with its own prefix, {@code <principal>.}). A new group starts at the topics' end.
     */
    public PipelineClient(KafkaClients clients, Topics topics, String principal, String groupId) {
        this.topics = topics;
        this.clients = clients;
        this.requestTopic = principal == null ? Topics.REQUESTS : Topics.requestsFrom(principal);
        // A client reads only its own outcomes: those of the topic it writes to.
        List<String> outcomeTopics = Topics.outcomesOfRequestsIn(requestTopic).all();
        try {
            producer = new CheckedProducer(clients, Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                    Topics.MAX_MESSAGE_BYTES, ProducerConfig.ACKS_CONFIG, "all"));
            Map<String, Object> settings = new HashMap<>(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                    Topics.MAX_MESSAGE_BYTES));
            if (groupId != null) {
                settings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
                settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            }
            consumer = clients.consumer(settings, new StringDeserializer(), new ByteArrayDeserializer());
            if (groupId == null) {
                assignAtTheEnd(outcomeTopics);
            } else {
                subscribe(outcomeTopics);
            }
        } catch (RuntimeException e) {
            close();
            throw new PipelineClientException(ClusterDiagnosis.explain(clients, e), e);
        }
    }

    private void assignAtTheEnd(List<String> outcomeTopics) {
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : outcomeTopics) {
            consumer.partitionsFor(t, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(t, i.partition())));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(p -> consumer.position(p, Duration.ofSeconds(30))); // pin "the end" now, before anything is sent
    }

    /** Joins the group and waits for its partitions, so that nothing sent after this returns is missed. */
    private void subscribe(List<String> outcomeTopics) {
        consumer.subscribe(outcomeTopics);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (consumer.assignment().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no partition of " + outcomeTopics + " assigned within 60 s");
            }
            poll(Duration.ofMillis(200));
        }
        consumer.assignment().forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
    }

    /** Commits what was read (a client that reads through a group resumes there). */
    public void commit() {
        consumer.commitSync(Duration.ofSeconds(30));
    }

    public void send(VerificationRequest request) {
        producer.send(new ProducerRecord<>(requestTopic, request.getRequestId(),
                topics.requests().valueSerde().serializer().serialize(requestTopic, request)));
    }

    /** Waits until every request sent so far is on the broker; a request that is not is an error here, not a timeout later. */
    public void flush() {
        try {
            producer.flush();
        } catch (IllegalStateException e) {
            throw new PipelineClientException("could not publish to " + requestTopic + ": "
                    + ClusterDiagnosis.explain(clients, e.getCause() == null ? e : e.getCause()), e);
        }
    }

    /** Reads whatever arrived within {@code wait}. */
    public void poll(Duration wait) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
            switch (Topics.kindOf(r.topic())) {
                case RESULTS -> {
                    VerificationResult v = topics.results().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    results.put(v.getRequestId(), v);
                }
                case EXPLANATIONS -> {
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
    public Outcome outcome(String requestId, boolean explain) {
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

    public Outcome await(String requestId, boolean explain, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Outcome o;
        while ((o = outcome(requestId, explain)) == null && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
        }
        return o;
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
        if (producer != null) {
            producer.close();
        }
    }
}
