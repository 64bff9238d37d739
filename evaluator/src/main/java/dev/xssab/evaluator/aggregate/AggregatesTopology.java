package dev.xssab.evaluator.aggregate;

import dev.xssab.config.Replication;
import dev.xssab.schemas.Decision;
import dev.xssab.schemas.DecisionRule;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ErrorRates;
import dev.xssab.schemas.avro.VerificationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * results (tagged by an evaluation run) -> [once per requestId] -> counts per
 * (run, model, dataset, variant, strategy, percentage) -> FMR, FNMR.
 *
 * <p>Duplicates (a result seen twice after a replay) are dropped by requestId before counting,
 * remembering ids for a declared retention in a window store: memory is bounded by the ids of
 * that period, and a result replayed after it would count again (the trade-off, documented);
 * late results simply count when they come, since the counts are not windowed. Every update is
 * published to the compacted aggregates topic, so its latest value per key is correct for the
 * results seen so far, and the table behind it answers interactive queries.
 */
public final class AggregatesTopology {
    /** The KTable's store, for interactive queries. */
    public static final String AGGREGATES_STORE = "evaluation-aggregates";
    static final String SEEN_STORE = "evaluation-seen-results";

    private AggregatesTopology() {}

    /** @param dedupRetention how long a requestId is remembered, so that a replayed result counts once */
    public static Topology buildTopology(Topics topics, Duration dedupRetention) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(SEEN_STORE, dedupRetention, dedupRetention,
                false), Serdes.String(), Serdes.Long()));
        builder.stream(Topics.RESULT_TOPICS, Consumed.with(topics.results().keySerde(), topics.results().valueSerde()))
                // Only results of evaluation runs count; production traffic shares the topic.
                .filter((id, r) -> r != null && r.getTags().containsKey(EvaluationTags.RUN))
                // A requestId counts once, however often its result is seen.
                .processValues(FirstSeen::new, SEEN_STORE)
                .filter((id, r) -> r != null)
                .selectKey((id, r) -> cellKey(r.getTags(), r.getModelId()))
                .groupByKey(Grouped.with(Serdes.String(), topics.results().valueSerde()))
                .aggregate(() -> null, AggregatesTopology::add,
                        Materialized.<String, ErrorRates, KeyValueStore<Bytes, byte[]>>as(AGGREGATES_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(topics.aggregates().valueSerde()))
                .toStream()
                .to(Topics.AGGREGATES, Produced.with(Serdes.String(), topics.aggregates().valueSerde()));
        return builder.build();
    }

    /** "run|model|dataset|variant|strategy|percentage". */
    public static String cellKey(Map<String, String> tags, String model) {
        return String.join("|", tags.get(EvaluationTags.RUN), model, tags.getOrDefault(EvaluationTags.DATASET, "?"),
                tags.getOrDefault(EvaluationTags.VARIANT, "?"), tags.getOrDefault(EvaluationTags.STRATEGY, EvaluationTags.NO_STRATEGY),
                tags.getOrDefault(EvaluationTags.PERCENTAGE, "0"));
    }

    static ErrorRates add(String key, VerificationResult r, ErrorRates current) {
        Map<String, String> tags = r.getTags();
        double t = tags.containsKey(EvaluationTags.THRESHOLD) ? Double.parseDouble(tags.get(EvaluationTags.THRESHOLD))
                : r.getThreshold();
        boolean genuine = Boolean.parseBoolean(tags.get(EvaluationTags.GENUINE));
        boolean match = DecisionRule.decide(r.getScore(), t) == Decision.MATCH;
        ErrorRates base = current != null ? current : ErrorRates.newBuilder()
                .setRun(tags.get(EvaluationTags.RUN)).setModel(r.getModelId())
                .setDataset(tags.getOrDefault(EvaluationTags.DATASET, "?"))
                .setVariant(tags.getOrDefault(EvaluationTags.VARIANT, "?"))
                .setStrategy(tags.getOrDefault(EvaluationTags.STRATEGY, EvaluationTags.NO_STRATEGY))
                .setPercentage(Integer.parseInt(tags.getOrDefault(EvaluationTags.PERCENTAGE, "0")))
                .setThreshold(t).setGenuine(0).setFalseNonMatches(0).setImpostor(0).setFalseMatches(0).setFmr(0).setFnmr(0)
                .setUpdatedAtMs(Instant.EPOCH).build();
        long gen = base.getGenuine() + (genuine ? 1 : 0);
        long fnm = base.getFalseNonMatches() + (genuine && !match ? 1 : 0);
        long imp = base.getImpostor() + (genuine ? 0 : 1);
        long fm = base.getFalseMatches() + (!genuine && match ? 1 : 0);
        return ErrorRates.newBuilder(base).setGenuine(gen).setFalseNonMatches(fnm).setImpostor(imp).setFalseMatches(fm)
                .setFmr(imp == 0 ? 0 : (double) fm / imp).setFnmr(gen == 0 ? 0 : (double) fnm / gen)
                .setUpdatedAtMs(Instant.ofEpochMilli(r.getCompletedAtMs().toEpochMilli())).build();
    }

    /** Passes a result on only the first time its requestId is seen. */
    static final class FirstSeen implements FixedKeyProcessor<String, VerificationResult, VerificationResult> {
        private FixedKeyProcessorContext<String, VerificationResult> context;
        private WindowStore<String, Long> seen;

        @Override
        public void init(FixedKeyProcessorContext<String, VerificationResult> context) {
            this.context = context;
            this.seen = context.getStateStore(SEEN_STORE);
        }

        @Override
        public void process(FixedKeyRecord<String, VerificationResult> record) {
            String id = record.value().getRequestId();
            boolean known;
            // Only the segments still retained exist, so the whole time range is cheap to ask.
            try (WindowStoreIterator<Long> it = seen.fetch(id, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE))) {
                known = it.hasNext();
            }
            if (!known) {
                seen.put(id, record.timestamp(), record.timestamp());
                context.forward(record);
            }
        }
    }

    /** The aggregates' own Streams settings; the Kafka client factory adds servers and client settings. */
    public static Map<String, Object> streamsConfig(String applicationId, String stateDir, Replication replication) {
        Map<String, Object> p = new HashMap<>();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        // The counts and the dedup store live in changelogs: replicated as declared.
        p.putAll(replication.streamsSettings());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 500);
        // Every update reaches the topic: the caches would otherwise hold intermediate counts back.
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        return p;
    }
}
