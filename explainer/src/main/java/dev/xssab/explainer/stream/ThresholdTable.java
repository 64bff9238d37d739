package dev.xssab.explainer.stream;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.TopicFollower;
import dev.xssab.kafka.TopicReader;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ModelThreshold;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current threshold per model, read from the compacted thresholds topic from its beginning
 * and kept live by a {@link TopicFollower}; models without an entry use a fallback (the calibrated
 * or shipped default). The follower retries every failure and reports it through
 * {@link #problem()}, so that readiness turns red instead of decisions silently keeping a stale
 * threshold; meanwhile decisions keep the last known thresholds.
 */
public final class ThresholdTable implements AutoCloseable, LiveThresholds {
    private static final Logger LOG = LoggerFactory.getLogger(ThresholdTable.class);
    private final Map<String, Double> thresholds = new ConcurrentHashMap<>();
    private final ToDoubleFunction<String> fallback;
    private final TopicFollower<String, ModelThreshold> follower;

    public ThresholdTable(KafkaClients clients, Topics topics, ToDoubleFunction<String> fallback) {
        this.fallback = fallback;
        this.follower = new TopicReader<>(clients, Topics.THRESHOLDS, () -> topics.thresholds().keySerde().deserializer(),
                () -> topics.thresholds().valueSerde().deserializer()).follow(TopicReader.From.BEGINNING, "threshold-table", this::apply);
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

    /** Waits until the topic has been read to its end once (so the first decisions use it). */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /** For readiness: null while the table follows the topic, else why not. */
    public String problem() {
        return follower.problem();
    }

    /** The live threshold for a model, else the fallback's. */
    @Override
    public double thresholdFor(String modelId) {
        Double t = thresholds.get(modelId);
        return t != null ? t : fallback.applyAsDouble(modelId);
    }

    @Override
    public void close() {
        follower.close();
    }
}
