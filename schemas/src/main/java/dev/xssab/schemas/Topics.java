package dev.xssab.schemas;

import dev.xssab.schemas.avro.AlignedPair;
import dev.xssab.schemas.avro.ErrorRates;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.ModelThreshold;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.schemas.avro.VerificationResult;
import dev.xssab.schemas.serde.AvroSerde;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the system, defined once: name, key serde, value serde, and whether it is
 * compacted. Immutable; built from the serde configuration (registry URL and Confluent's flags).
 * Every key is a string: requestId, except modelId for thresholds.
 */
public final class Topics {
    /** Access-control systems publish requests here (the shared topic: who sent a request is self-declared). */
    public static final String REQUESTS = "xssab.verification-requests";
    /**
     * A client's own request topic is this prefix plus its principal. Only that principal may
     * write it (an ACL), so the gateway knows who submitted a request read from it.
     */
    public static final String REQUESTS_BY_PREFIX = REQUESTS + ".by.";
    /** Every topic the gateway reads: the shared one and every principal's own. */
    public static final Pattern REQUEST_TOPICS = Pattern.compile(Pattern.quote(REQUESTS) + "(" + Pattern.quote(".by.")
            + "[A-Za-z0-9._-]+)?");
    /** The gateway's output: requests whose faces were found and aligned. */
    public static final String ALIGNED_PAIRS = "xssab.aligned-pairs";
    /** One decision per accepted request. */
    public static final String RESULTS = "xssab.verification-results";
    /** xSSAB maps, for requests that asked for them. */
    public static final String EXPLANATIONS = "xssab.explanations";
    /** The dead-letter topic: every refused request, with its reason and original bytes. */
    public static final String REJECTIONS = "xssab.rejections";
    /** Compacted: the current threshold per model. */
    public static final String THRESHOLDS = "xssab.model-thresholds";
    /** Compacted: FMR/FNMR per evaluation cell, kept current by the aggregates topology. */
    public static final String AGGREGATES = "xssab.evaluation-aggregates";
    /** Compacted: the schema registry's own log (Confluent's name and format). */
    public static final String SCHEMAS = "_schemas";

    /**
     * Largest record on the request and rejection topics: two images at the gateway's default
     * 10 MB limit plus envelope, and a rejection that carries such a request. Topics, producers
     * and the broker must all allow it.
     */
    public static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

    /** The request topic only {@code principal} may write. */
    public static String requestsFrom(String principal) {
        if (!principal.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a principal in a topic name may use letters, digits, . _ - only: " + principal);
        }
        return REQUESTS_BY_PREFIX + principal;
    }

    /** The principal whose own topic this is, or empty for the shared topic (or any other). */
    public static Optional<String> principalOf(String requestTopic) {
        return requestTopic != null && requestTopic.startsWith(REQUESTS_BY_PREFIX)
                ? Optional.of(requestTopic.substring(REQUESTS_BY_PREFIX.length())) : Optional.empty();
    }

    /** A topic with its serdes. */
    public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {}

    private final Topic<String, VerificationRequest> requests;
    private final Topic<String, AlignedPair> alignedPairs;
    private final Topic<String, VerificationResult> results;
    private final Topic<String, Explanation> explanations;
    private final Topic<String, Rejection> rejections;
    private final Topic<String, ModelThreshold> thresholds;
    private final Topic<String, ErrorRates> aggregates;

    private Topics(Map<String, ?> serdeConfig) {
        requests = new Topic<>(REQUESTS, Serdes.String(), avro(serdeConfig), false);
        alignedPairs = new Topic<>(ALIGNED_PAIRS, Serdes.String(), avro(serdeConfig), false);
        results = new Topic<>(RESULTS, Serdes.String(), avro(serdeConfig), false);
        explanations = new Topic<>(EXPLANATIONS, Serdes.String(), avro(serdeConfig), false);
        rejections = new Topic<>(REJECTIONS, Serdes.String(), avro(serdeConfig), false);
        thresholds = new Topic<>(THRESHOLDS, Serdes.String(), avro(serdeConfig), true);
        aggregates = new Topic<>(AGGREGATES, Serdes.String(), avro(serdeConfig), true);
    }

    /** Topics whose Avro serdes talk to the registry in {@code serdeConfig} (schema.registry.url, ...). */
    public static Topics create(Map<String, ?> serdeConfig) {
        return new Topics(serdeConfig);
    }

    private static <T extends GenericContainer> Serde<T> avro(Map<String, ?> config) {
        AvroSerde<T> serde = new AvroSerde<>();
        serde.configure(config, false);
        return serde;
    }

    public Topic<String, VerificationRequest> requests() {
        return requests;
    }

    public Topic<String, AlignedPair> alignedPairs() {
        return alignedPairs;
    }

    public Topic<String, VerificationResult> results() {
        return results;
    }

    public Topic<String, Explanation> explanations() {
        return explanations;
    }

    public Topic<String, Rejection> rejections() {
        return rejections;
    }

    public Topic<String, ModelThreshold> thresholds() {
        return thresholds;
    }

    public Topic<String, ErrorRates> aggregates() {
        return aggregates;
    }

    /** Every application topic (not the registry's), for creation at start-up. */
    public List<Topic<String, ?>> all() {
        return List.of(requests, alignedPairs, results, explanations, rejections, thresholds, aggregates);
    }
}
