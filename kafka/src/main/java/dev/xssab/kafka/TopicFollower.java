package dev.xssab.kafka;

import dev.xssab.schemas.serde.SchemaRegistryUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A topic followed on a daemon thread, made by {@link TopicReader#follow}. It never gives up: a
 * record no reader can decode is skipped (logged by partition and offset, never its bytes), a
 * record the callback fails on is skipped likewise, and any other failure (broker, registry)
 * closes the consumer and opens a new one after a growing pause, resuming where it was. While it
 * cannot follow, {@link #problem()} says why, so that readiness turns red instead of the service
 * silently keeping stale state.
 */
public final class TopicFollower<K, V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    /** How often a follower lists the topics again, to find new ones of its family. */
    private static final Duration LOOK_FOR_NEW_TOPICS = Duration.ofSeconds(30);
    private final TopicReader<K, V> reader;
    private final TopicReader.From from;
    private final java.util.function.Consumer<ConsumerRecord<K, V>> each;
    /** The open consumer, if any; volatile because {@link #close()} wakes it from another thread. */
    private volatile Consumer<K, V> consumer;
    /** Where to resume per partition after a reopen; only the follower thread touches it. */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile String problem;

    TopicFollower(TopicReader<K, V> reader, TopicReader.From from, String threadName,
            java.util.function.Consumer<ConsumerRecord<K, V>> each) {
        this.reader = reader;
        this.from = from;
        this.each = each;
        this.problem = "reading " + reader.topic() + " to its end";
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
        while (running) {
            try {
                consumer = reader.open();
                if (!running) {
                    return; // close() came while the consumer was being made
                }
                follow(consumer, backoff);
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (running) {
                    problem = "cannot follow " + reader.topic() + " (" + e + "); retrying";
                    LOG.warn("following {} failed: {}; reopening in {} ms", reader.topic(), e.toString(), backoff.next().toMillis());
                    closeConsumer();
                    backoff.pause();
                }
            } finally {
                closeConsumer();
            }
        }
    }

    /** Assigns every partition, resumes where the last consumer stopped, and follows until closed or failed. */
    private void follow(Consumer<K, V> c, Backoff backoff) {
        List<TopicPartition> parts = reader.assignAll(c, Duration.ofSeconds(60));
        for (TopicPartition tp : parts) {
            if (resumeAt.containsKey(tp)) {
                c.seek(tp, resumeAt.get(tp));
            } else if (from == TopicReader.From.BEGINNING) {
                c.seekToBeginning(List.of(tp));
            } else {
                c.seekToEnd(List.of(tp));
            }
        }
        Map<TopicPartition, Long> end = c.endOffsets(parts);
        boolean behind = true;
        long nextLook = System.nanoTime() + LOOK_FOR_NEW_TOPICS.toNanos();
        while (running) {
            pollOnce(c);
            if (System.nanoTime() > nextLook) {
                parts = withNewPartitions(c, parts);
                nextLook = System.nanoTime() + LOOK_FOR_NEW_TOPICS.toNanos();
            }
            parts.forEach(tp -> resumeAt.put(tp, c.position(tp)));
            if (behind && parts.stream().allMatch(tp -> resumeAt.get(tp) >= end.getOrDefault(tp, 0L))) {
                behind = false;
                problem = null;
                backoff.reset();
                caughtUp.countDown();
            }
        }
    }

    /**
     * A family gains a topic when a principal is added: its partitions are read from their
     * beginning, since everything in them arrived after this follower started.
     */
    private List<TopicPartition> withNewPartitions(Consumer<K, V> c, List<TopicPartition> parts) {
        List<TopicPartition> now = reader.partitions(c, Duration.ofSeconds(10));
        List<TopicPartition> fresh = now.stream().filter(tp -> !parts.contains(tp)).toList();
        if (fresh.isEmpty()) {
            return parts;
        }
        List<TopicPartition> all = new ArrayList<>(parts);
        all.addAll(fresh);
        c.assign(all);
        c.seekToBeginning(fresh);
        LOG.info("following {} new partition(s) of {}: {}", fresh.size(), reader.topic(), fresh);
        return all;
    }

    private void pollOnce(Consumer<K, V> c) {
        try {
            for (ConsumerRecord<K, V> r : c.poll(Duration.ofMillis(300))) {
                handOver(r);
            }
        } catch (RecordDeserializationException e) {
            if (e.getCause() instanceof SchemaRegistryUnavailableException) {
                throw e; // says nothing about the record: read it again once the registry answers
            }
            // A record no reader can decode would stop the partition for good: skip it.
            LOG.error("skipping an undecodable record of {} partition {} offset {}: {}", e.topicPartition().topic(),
                    e.topicPartition().partition(), e.offset(), e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            c.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    private void handOver(ConsumerRecord<K, V> r) {
        try {
            each.accept(r);
        } catch (RuntimeException e) {
            LOG.warn("skipping record {}/{} of {}: {}", r.partition(), r.offset(), r.topic(), e.toString());
        }
    }

    private void closeConsumer() {
        Consumer<K, V> c = consumer;
        consumer = null;
        if (c != null) {
            try {
                c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.debug("closing the consumer of {}", reader.topic(), e);
            }
        }
    }

    /** Waits until the topic has been read to its end once (so that first answers use it). */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * For readiness: null while following (read to the end once since the last reopen), else why
     * not (still catching up, or the consumer failing and being retried).
     */
    public String problem() {
        return running ? problem : "closed";
    }

    @Override
    public void close() {
        running = false;
        Consumer<K, V> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
