package dev.xssab.gateway.stream;

import dev.xssab.config.Replication;
import dev.xssab.observability.XssabMetrics;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * requests -> [deserialize, dedupe, validate, detect, align] -> aligned pairs | rejections.
 *
 * <p>One processor, two sinks: every request produces exactly one record on one of them, and
 * with exactly_once_v2 the output, the dedup store's changelog and the input offset commit in
 * one transaction.
 */
public final class GatewayTopology {
    static final String SOURCE = "requests";
    static final String PROCESSOR = "gateway";
    static final String ALIGNED_SINK = "aligned-pairs";
    static final String REJECTED_SINK = "rejections";
    /** requestId -> first time seen (ms), for the duplicate window. */
    static final String SEEN_STORE = "seen-request-ids";

    /** In {@code evaluationPrincipals}: every request may carry its own threshold (a closed test cluster only). */
    public static final String ANY_PRINCIPAL = "*";

    private GatewayTopology() {}

    /**
     * How the gateway judges requests.
     *
     * @param dedupWindow a requestId seen again within it is a DUPLICATE_REQUEST; ids are kept this long, no longer
     * @param evaluationPrincipals principals whose requests may carry their own (evaluation)
     *     threshold; {@link #ANY_PRINCIPAL} allows every request
     * @param metrics where requests and rejections are counted
     */
    public record Options(Duration dedupWindow, Set<String> evaluationPrincipals, XssabMetrics metrics) {}

    public static Topology buildTopology(Topics topics, Supplier<PairAligner> alignerFactory, Options options) {
        Deserializer<VerificationRequest> requestDeserializer = topics.requests().valueSerde().deserializer();
        // Retention = the window: whole segments older than it are dropped, so the store holds only
        // the ids of the last window (plus one segment) however long the gateway runs.
        StoreBuilder<WindowStore<String, Long>> seen = Stores.windowStoreBuilder(Stores.persistentWindowStore(SEEN_STORE,
                options.dedupWindow(), options.dedupWindow(), false), Serdes.String(), Serdes.Long());
        Topology topology = new Topology();
        // Raw bytes in: deserialization happens in the processor, where a bad record becomes a rejection.
        // The shared request topic and every client's own (authenticated) one.
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), Topics.REQUEST_TOPICS);
        topology.addProcessor(PROCESSOR, () -> new GatewayProcessor(requestDeserializer, alignerFactory, options), SOURCE);
        topology.addStateStore(seen, PROCESSOR);
        topology.addSink(ALIGNED_SINK, Topics.ALIGNED_PAIRS, topics.alignedPairs().keySerde().serializer(),
                topics.alignedPairs().valueSerde().serializer(), PROCESSOR);
        // A rejection goes where the rest of its request's outcomes would: the principal's own dead-letter topic.
        topology.addSink(REJECTED_SINK, GatewayTopology::rejectionTopic, topics.rejections().keySerde().serializer(),
                topics.rejections().valueSerde().serializer(), PROCESSOR);
        return topology;
    }

    /** The dead-letter topic of a rejected request: its sender's own, or the shared one (a request from the shared topic). */
    static String rejectionTopic(String key, Rejection rejection, RecordContext context) {
        return Topics.outcomesOfRequestsIn(rejection.getSourceTopic()).rejections();
    }

    /**
     * The gateway's own Streams settings (exactly once, threads, state); the Kafka client factory
     * adds the bootstrap servers and the user's client settings.
     */
    public static Map<String, Object> streamsConfig(String applicationId, String stateDir, int threads,
            Replication replication) {
        Map<String, Object> p = new HashMap<>();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        // The dedup store's changelog: replicated as declared, or a broker's loss forgets which ids were seen.
        p.putAll(replication.streamsSettings());
        // Face preprocessing takes tens of ms per image: keep polls small so a batch fits the poll interval.
        p.put(StreamsConfig.consumerPrefix("max.poll.records"), 50);
        // With exactly_once_v2 an aligned pair becomes visible (read_committed) only at the commit,
        // so the interval adds up to itself to every request's latency: at a door that matters more
        // than the few milliseconds a transaction commit costs.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
        p.put(StreamsConfig.producerPrefix("max.request.size"), Topics.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), Topics.MAX_MESSAGE_BYTES);
        return p;
    }
}
