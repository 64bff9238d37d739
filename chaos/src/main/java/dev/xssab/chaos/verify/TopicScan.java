package dev.xssab.chaos.verify;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the outcome topics (results, rejections, explanations, aligned pairs) from their start
 * to their end twice: read_committed, keeping a compact copy of each record, and
 * read_uncommitted, keeping only offsets. The offsets only the second pass saw are the records
 * of aborted transactions (transaction markers are seen by neither, so they do not count).
 * Consumers are assigned, never in a group, so the scan leaves no trace in the cluster.
 */
public final class TopicScan {
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaClients clients;
    private final Topics topics;
    private final Duration timeout;

    /** A scan with {@code timeout} per topic and pass; the topics must be quiescent first (else read_committed stops at the open transaction). */
    public TopicScan(KafkaClients clients, Topics topics, Duration timeout) {
        this.clients = clients;
        this.topics = topics;
        this.timeout = timeout;
    }

    /** Scans every outcome topic fully, in both isolation levels. */
    public Outcomes scan() {
        List<String> problems = new ArrayList<>();
        Map<String, Long> aborted = new LinkedHashMap<>();
        List<Scanned<VerificationResult>> results = new ArrayList<>();
        List<Scanned<Rejection>> rejections = new ArrayList<>();
        List<Scanned<ExplanationFigures>> explanations = new ArrayList<>();
        List<Scanned<Boolean>> pairs = new ArrayList<>();
        aborted.put(Topics.RESULTS, both(Topics.RESULTS, topics.results().valueSerde().deserializer(),
                r -> results.add(scanned(r, r.value().getRequestId(), r.value())), problems));
        aborted.put(Topics.REJECTIONS, both(Topics.REJECTIONS, topics.rejections().valueSerde().deserializer(),
                r -> rejections.add(scanned(r, r.value().getRequestId(), withoutOriginal(r.value()))), problems));
        aborted.put(Topics.EXPLANATIONS, both(Topics.EXPLANATIONS, topics.explanations().valueSerde().deserializer(),
                r -> explanations.add(scanned(r, r.value().getRequestId(), ExplanationFigures.of(r.value()))), problems));
        aborted.put(Topics.ALIGNED_PAIRS, both(Topics.ALIGNED_PAIRS, topics.alignedPairs().valueSerde().deserializer(),
                r -> pairs.add(scanned(r, r.value().getRequestId(), r.value().getExplain())), problems));
        return new Outcomes(results, rejections, explanations, pairs, aborted, problems);
    }

    /** Both passes over one topic: returns how many offsets only read_uncommitted saw. */
    private <V> long both(String topic, Deserializer<V> values, Consumer<ConsumerRecord<String, V>> keep, List<String> problems) {
        Map<TopicPartition, Set<Long>> committed = read(topic, IsolationLevel.READ_COMMITTED, values, keep, problems);
        Map<TopicPartition, Set<Long>> all = read(topic, IsolationLevel.READ_UNCOMMITTED, new ByteArrayDeserializer(), r -> { }, problems);
        long onlyUncommitted = 0;
        for (Map.Entry<TopicPartition, Set<Long>> e : all.entrySet()) {
            Set<Long> c = committed.getOrDefault(e.getKey(), Set.of());
            onlyUncommitted += e.getValue().stream().filter(o -> !c.contains(o)).count();
        }
        return onlyUncommitted;
    }

    /** Reads {@code topic} from its start to its end offset at {@code isolation}; the offsets seen per partition. */
    private <V> Map<TopicPartition, Set<Long>> read(String topic, IsolationLevel isolation, Deserializer<V> values,
            Consumer<ConsumerRecord<String, V>> keep, List<String> problems) {
        Map<String, Object> own = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<TopicPartition, Set<Long>> seen = new HashMap<>();
        try (KafkaConsumer<String, V> c = clients.consumer(own, new StringDeserializer(), values)) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (!atEnd(c, end) && System.currentTimeMillis() < deadline) {
                poll(c, seen, keep, problems);
            }
            for (TopicPartition tp : tps) {
                if (c.position(tp) < end.get(tp)) {
                    problems.add(tp + " " + isolation + ": read to " + c.position(tp) + " of " + end.get(tp) + " in " + timeout);
                }
            }
        }
        return seen;
    }

    private static <V> void poll(KafkaConsumer<String, V> c, Map<TopicPartition, Set<Long>> seen, Consumer<ConsumerRecord<String, V>> keep,
            List<String> problems) {
        try {
            for (ConsumerRecord<String, V> r : c.poll(POLL)) {
                seen.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new HashSet<>()).add(r.offset());
                keep.accept(r);
            }
        } catch (RecordDeserializationException e) {
            // One unreadable record must not hide the rest: note it and step over it.
            problems.add(e.topicPartition() + "@" + e.offset() + ": unreadable (" + e.getMessage() + ")");
            c.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    private static boolean atEnd(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
    }

    private static <T> Scanned<T> scanned(ConsumerRecord<String, ?> r, String requestId, T value) {
        return new Scanned<>(requestId, new TopicPartition(r.topic(), r.partition()), r.offset(), r.timestamp(), value);
    }

    /** The original request (two images) is dropped: the checks need the id and the reason only. */
    private static Rejection withoutOriginal(Rejection r) {
        r.setOriginalKey(null);
        r.setOriginalValue(null);
        return r;
    }
}
