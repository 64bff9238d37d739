package dev.xssab.explainer.stream;

import dev.xssab.config.KafkaClients;
import dev.xssab.schemas.Backoff;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ModelThreshold;
import dev.xssab.schemas.serde.SchemaRegistryUnavailableException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current threshold per model, read from the compacted thresholds topic from its beginning
 * and kept live by a background consumer; models without an entry use a fallback (the
 * calibrated or shipped default).
 *
 * <p>The follower never gives up: a record it cannot decode is skipped (logged by partition and
 * offset), and any other failure (broker, registry) closes the consumer and opens a new one after
 * a growing pause, resuming where it was. While it cannot follow, {@link #problem()} says why, so
 * that readiness turns red instead of decisions silently keeping a stale threshold.
 */
public final class ThresholdTable implements AutoCloseable, LiveThresholds {
    private static final Logger LOG = LoggerFactory.getLogger(ThresholdTable.class);
    private final Map<String, Double> thresholds = new ConcurrentHashMap<>();
    private final ToDoubleFunction<String> fallback;
    private final Supplier<Consumer<String, ModelThreshold>> consumers;
    /** The open consumer, if any; volatile because {@link #close()} wakes it from another thread. */
    private volatile Consumer<String, ModelThreshold> consumer;
    /** Where to resume per partition after a reopen; only the follower thread touches it. */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile String problem = "reading " + Topics.THRESHOLDS + " from its beginning";

    public ThresholdTable(KafkaClients clients, Topics topics, ToDoubleFunction<String> fallback) {
        this.fallback = fallback;
        this.consumers = () -> clients.consumer(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), topics.thresholds().keySerde().deserializer(),
                topics.thresholds().valueSerde().deserializer());
        this.thread = new Thread(this::run, "threshold-table");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
        while (running.get()) {
            try {
                consumer = consumers.get();
                if (!running.get()) {
                    return; // close() came while the consumer was being made
                }
                follow(consumer, backoff);
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (running.get()) {
                    problem = "cannot follow " + Topics.THRESHOLDS + " (" + e + "); retrying";
                    LOG.warn("threshold consumer failed: {}; reopening it in {} ms, decisions keep the last known"
                            + " thresholds meanwhile", e.toString(), backoff.next().toMillis());
                    closeConsumer();
                    backoff.pause();
                }
            } finally {
                closeConsumer();
            }
        }
    }

    /** Assigns every partition, resumes where the last consumer stopped, and follows until closed or failed. */
    private void follow(Consumer<String, ModelThreshold> c, Backoff backoff) {
        List<TopicPartition> parts = c.partitionsFor(Topics.THRESHOLDS).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        if (parts.isEmpty()) {
            throw new IllegalStateException(Topics.THRESHOLDS + " has no partitions (yet)");
        }
        c.assign(parts);
        for (TopicPartition tp : parts) {
            if (resumeAt.containsKey(tp)) {
                c.seek(tp, resumeAt.get(tp));
            } else {
                c.seekToBeginning(List.of(tp));
            }
        }
        Map<TopicPartition, Long> end = c.endOffsets(parts);
        boolean behind = true;
        while (running.get()) {
            pollOnce(c);
            parts.forEach(tp -> resumeAt.put(tp, c.position(tp)));
            if (behind && parts.stream().allMatch(tp -> resumeAt.get(tp) >= end.get(tp))) {
                behind = false;
                problem = null;
                backoff.reset();
                caughtUp.countDown();
            }
        }
    }

    private void pollOnce(Consumer<String, ModelThreshold> c) {
        try {
            for (ConsumerRecord<String, ModelThreshold> r : c.poll(Duration.ofMillis(500))) {
                apply(r);
            }
        } catch (RecordDeserializationException e) {
            if (e.getCause() instanceof SchemaRegistryUnavailableException) {
                throw e; // says nothing about the record: read it again once the registry answers
            }
            // A record no reader can decode would stop the partition for good: skip it (never its bytes into the log).
            LOG.error("skipping an undecodable record of {} partition {} offset {}: {}", e.topicPartition().topic(),
                    e.topicPartition().partition(), e.offset(), e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            c.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    private void apply(ConsumerRecord<String, ModelThreshold> r) {
        if (r.value() == null) {
            thresholds.remove(r.key());
            return;
        }
        Double old = thresholds.put(r.key(), r.value().getThreshold());
        if (old == null || old != r.value().getThreshold()) {
            LOG.info("threshold for {} is now {} ({})", r.key(), r.value().getThreshold(), r.value().getSource());
        }
    }

    private void closeConsumer() {
        Consumer<String, ModelThreshold> c = consumer;
        consumer = null;
        if (c != null) {
            try {
                c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.debug("closing the threshold consumer", e);
            }
        }
    }

    /** Waits until the topic has been read to its end once (so the first decisions use it). */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * For readiness: null while the table follows the topic (read to its end once since the last
     * reopen), else why not (still catching up, or the consumer failing and being retried).
     */
    public String problem() {
        return running.get() ? problem : "closed";
    }

    /** The live threshold for a model, else the fallback's. */
    @Override
    public double thresholdFor(String modelId) {
        Double t = thresholds.get(modelId);
        return t != null ? t : fallback.applyAsDouble(modelId);
    }

    @Override
    public void close() {
        running.set(false);
        Consumer<String, ModelThreshold> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
