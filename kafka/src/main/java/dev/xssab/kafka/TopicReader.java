package dev.xssab.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads one topic, or every topic of a family (a pattern: the shared topic and every principal's
 * own, as far as this client may see them), by assignment, with no consumer group (every reader sees every partition, and
 * nothing is committed), read_committed (no record of an aborted transaction is shown). It reads
 * to the end as of the call ({@link #readToEnd}), fetches one record ({@link #recordAt}), or
 * follows the topic on a thread of its own, retrying every failure ({@link #follow}).
 *
 * <p>Deserializers come from suppliers because a consumer closes its deserializers, and a
 * follower opens a new consumer after each failure.
 */
public final class TopicReader<K, V> {
    /** Where reading starts in each partition. */
    public enum From { BEGINNING, END }

    private final KafkaClients clients;
    private final Pattern topics;
    /** The topic's name, or the family's pattern, for messages. */
    private final String name;
    private final Supplier<Deserializer<K>> keys;
    private final Supplier<Deserializer<V>> values;
    private final int maxFetchBytes;

    public TopicReader(KafkaClients clients, String topic, Supplier<Deserializer<K>> keys, Supplier<Deserializer<V>> values) {
        this(clients, Pattern.compile(Pattern.quote(topic)), topic, keys, values, ConsumerConfig.DEFAULT_MAX_PARTITION_FETCH_BYTES);
    }

    /** A reader of every existing topic whose name matches {@code family} (e.g. {@code Topics.RESULT_TOPICS}). */
    public TopicReader(KafkaClients clients, Pattern family, Supplier<Deserializer<K>> keys, Supplier<Deserializer<V>> values) {
        this(clients, family, family.pattern(), keys, values, ConsumerConfig.DEFAULT_MAX_PARTITION_FETCH_BYTES);
    }

    private TopicReader(KafkaClients clients, Pattern topics, String name, Supplier<Deserializer<K>> keys,
            Supplier<Deserializer<V>> values, int maxFetchBytes) {
        this.clients = clients;
        this.topics = topics;
        this.name = name;
        this.keys = keys;
        this.values = values;
        this.maxFetchBytes = maxFetchBytes;
    }

    /** The same reader, fetching up to {@code bytes} per partition (records larger than the default 1 MiB). */
    public TopicReader<K, V> withMaxFetchBytes(int bytes) {
        return new TopicReader<>(clients, topics, name, keys, values, bytes);
    }

    /** The topic's name, or the family's pattern. */
    public String topic() {
        return name;
    }

    /** Whether {@code topic} is this reader's topic, or one of its family. */
    public boolean reads(String topic) {
        return topic != null && topics.matcher(topic).matches();
    }

    Consumer<K, V> open() {
        return clients.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxFetchBytes),
                keys.get(), values.get());
    }

    /** Assigns every partition of the topic (of each topic of the family), waiting up to {@code timeout} for the metadata. */
    List<TopicPartition> assignAll(Consumer<K, V> c, Duration timeout) {
        List<TopicPartition> parts = partitions(c, timeout);
        if (parts.isEmpty()) {
            throw new IllegalStateException(name + " has no partitions (yet)");
        }
        c.assign(parts);
        return parts;
    }

    /** The partitions of the matching topics as the cluster lists them now (only the topics this client may describe). */
    List<TopicPartition> partitions(Consumer<K, V> c, Duration timeout) {
        List<TopicPartition> parts = new ArrayList<>();
        c.listTopics(timeout).forEach((topic, infos) -> {
            if (topics.matcher(topic).matches()) {
                infos.forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            }
        });
        parts.sort(Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition));
        return parts;
    }

    /**
     * Hands every record from the start to the end of each partition, as the end was when this
     * call began, to {@code each}. The start is the beginning, or at most {@code lastPerPartition}
     * records before the end.
     *
     * @return false when {@code timeout} passed before the end was reached
     */
    public boolean readToEnd(long lastPerPartition, Duration timeout, java.util.function.Consumer<ConsumerRecord<K, V>> each) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Consumer<K, V> c = open()) {
            List<TopicPartition> parts = assignAll(c, timeout);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Map<TopicPartition, Long> begin = c.beginningOffsets(parts);
            for (TopicPartition tp : parts) {
                c.seek(tp, Math.max(begin.get(tp), end.get(tp) - lastPerPartition));
            }
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                for (ConsumerRecord<K, V> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        each.accept(r);
                    }
                }
            }
            return true;
        }
    }

    /** Every record from the beginning to the current end, however long that takes. */
    public void readAll(java.util.function.Consumer<ConsumerRecord<K, V>> each) {
        readToEnd(Long.MAX_VALUE, Duration.ofDays(1), each);
    }

    /** The record at {@code partition/offset} of this reader's one topic, if it arrives within {@code timeout}. */
    public Optional<ConsumerRecord<K, V>> recordAt(int partition, long offset, Duration timeout) {
        return recordAt(name, partition, offset, timeout);
    }

    /** The record at {@code topic/partition/offset}, if {@code topic} is of this reader's family and the record arrives within {@code timeout}. */
    public Optional<ConsumerRecord<K, V>> recordAt(String topic, int partition, long offset, Duration timeout) {
        if (!reads(topic)) {
            return Optional.empty(); // never a topic outside the family, whatever a caller passes
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Consumer<K, V> c = open()) {
            if (c.partitionsFor(topic, timeout).stream().noneMatch(p -> p.partition() == partition)) {
                return Optional.empty(); // a partition that does not exist holds nothing: no need to wait for it
            }
            TopicPartition tp = new TopicPartition(topic, partition);
            c.assign(List.of(tp));
            c.seek(tp, offset);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<K, V> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() == offset) {
                        return Optional.of(r);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Follows the topic on a daemon thread named {@code threadName} until the follower is closed,
     * handing each record to {@code each}; see {@link TopicFollower} for what happens on failure.
     */
    public TopicFollower<K, V> follow(From from, String threadName, java.util.function.Consumer<ConsumerRecord<K, V>> each) {
        return new TopicFollower<>(this, from, threadName, each);
    }
}
