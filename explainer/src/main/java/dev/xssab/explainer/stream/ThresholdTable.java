package dev.xssab.explainer.stream;

import dev.xssab.config.KafkaClients;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ModelThreshold;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current threshold per model, read from the compacted thresholds topic from its beginning
 * and kept live by a background consumer; models without an entry use a fallback (the
 * calibrated or shipped default).
 */
public final class ThresholdTable implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ThresholdTable.class);
    private final Map<String, Double> thresholds = new ConcurrentHashMap<>();
    private final ToDoubleFunction<String> fallback;
    private final KafkaConsumer<String, ModelThreshold> consumer;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch caughtUp = new CountDownLatch(1);

    public ThresholdTable(KafkaClients clients, Topics topics, ToDoubleFunction<String> fallback) {
        this.fallback = fallback;
        this.consumer = clients.consumer(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), topics.thresholds().keySerde().deserializer(),
                topics.thresholds().valueSerde().deserializer());
        this.thread = new Thread(this::run, "threshold-table");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.THRESHOLDS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (running.get()) {
                for (ConsumerRecord<String, ModelThreshold> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        thresholds.remove(r.key());
                    } else {
                        Double old = thresholds.put(r.key(), r.value().getThreshold());
                        if (old == null || old != r.value().getThreshold()) {
                            LOG.info("threshold for {} is now {} ({})", r.key(), r.value().getThreshold(), r.value().getSource());
                        }
                    }
                }
                if (caughtUp.getCount() > 0 && parts.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("threshold consumer stopped; decisions keep the last known thresholds", e);
        } finally {
            caughtUp.countDown();
            consumer.close();
        }
    }

    /** Waits until the topic has been read to its end once (so the first decisions use it). */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public double thresholdFor(String modelId) {
        Double t = thresholds.get(modelId);
        return t != null ? t : fallback.applyAsDouble(modelId);
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
