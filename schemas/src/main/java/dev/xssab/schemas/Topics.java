package dev.xssab.schemas;

import dev.xssab.schemas.avro.AlignedPair;
import dev.xssab.schemas.avro.ErrorRates;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.ModelThreshold;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.schemas.avro.VerificationResult;
import dev.xssab.schemas.serde.AvroSerde;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the system, defined once: name, key serde, value serde, whether it is compacted
 * and whether its records hold face bytes. Immutable; built from the serde configuration (registry
 * URL and Confluent's flags). Every key is a string: requestId, except modelId for thresholds.
 *
 * <p>Requests and their outcomes are topic families: a shared topic, and one topic of the family
 * per principal ({@code <base>.by.<principal>}), so that ACLs can keep each principal's outcomes
 * to itself.
 */
public final class Topics {
    /** Access-control systems publish requests here (the shared topic: who sent a request is self-declared). */
    public static final String REQUESTS = "xssab.verification-requests";
    /**
     * A principal's own topic of a family is the family's base name, this infix and the principal.
     * Only that principal may write its own request topic (an ACL), so the gateway knows who
     * submitted a request read from it; its outcomes go to its own outcome topics.
     */
    private static final String BY = ".by.";
    /** A client's own request topic is this prefix plus its principal. */
    public static final String REQUESTS_BY_PREFIX = REQUESTS + BY;
    /** Principals in a request topic's name (a dot is allowed here, as it always was). */
    private static final Pattern REQUEST_PRINCIPAL = Pattern.compile("[A-Za-z0-9._-]+");
    /**
     * Principals with outcome topics of their own: no dot, so that the group and topic prefix
     * {@code a.} of principal {@code a} cannot cover those of a principal {@code a.x}.
     */
    private static final Pattern OUTCOME_PRINCIPAL = Pattern.compile("[A-Za-z0-9_-]+");
    /** The gateway's output: requests whose faces were found and aligned. */
    public static final String ALIGNED_PAIRS = "xssab.aligned-pairs";
    /** One decision per accepted request. */
    public static final String RESULTS = "xssab.verification-results";
    /** xSSAB maps, for requests that asked for them. */
    public static final String EXPLANATIONS = "xssab.explanations";
    /** The dead-letter topic: every refused request, with its reason and original bytes. */
    public static final String REJECTIONS = "xssab.rejections";
    /** Every topic the gateway reads: the shared one and every principal's own. */
    public static final Pattern REQUEST_TOPICS = family(REQUESTS);
    /** The shared results topic and every principal's own. */
    public static final Pattern RESULT_TOPICS = family(RESULTS);
    /** The shared explanations topic and every principal's own. */
    public static final Pattern EXPLANATION_TOPICS = family(EXPLANATIONS);
    /** The shared dead-letter topic and every principal's own. */
    public static final Pattern REJECTION_TOPICS = family(REJECTIONS);
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

    /** The topic {@code base} and every principal's own topic of that family ({@code <base>.by.<principal>}). */
    public static Pattern family(String base) {
        return Pattern.compile(Pattern.quote(base) + "(" + Pattern.quote(BY) + REQUEST_PRINCIPAL.pattern() + ")?");
    }

    /** The topics of several families at once (e.g. what the audit reads: results and explanations). */
    public static Pattern families(String... bases) {
        return Pattern.compile(Arrays.stream(bases).map(b -> "(?:" + family(b).pattern() + ")")
                .collect(Collectors.joining("|")));
    }

    /** The request topic only {@code principal} may write. */
    public static String requestsFrom(String principal) {
        if (!REQUEST_PRINCIPAL.matcher(principal).matches()) {
            throw new IllegalArgumentException("a principal in a topic name may use letters, digits, . _ - only: " + principal);
        }
        return REQUESTS_BY_PREFIX + principal;
    }

    /** The principal whose own topic this is, or empty for the shared topic (or any other). */
    public static Optional<String> principalOf(String requestTopic) {
        return requestTopic != null && requestTopic.startsWith(REQUESTS_BY_PREFIX)
                ? Optional.of(requestTopic.substring(REQUESTS_BY_PREFIX.length())) : Optional.empty();
    }

    /** Where the outcomes of one request go: three topic names. */
    public record Outcomes(String results, String explanations, String rejections) {
        /** The three names, in that order. */
        public List<String> all() {
            return List.of(results, explanations, rejections);
        }
    }

    /**
     * The outcome topics of requests from {@code principal}'s own request topic, or the shared
     * ones for requests whose sender is not known (the shared request topic).
     *
     * @throws IllegalArgumentException for a principal with characters other than letters, digits, _ and -
     */
    public static Outcomes outcomesFor(Optional<String> principal) {
        if (principal.isEmpty()) {
            return new Outcomes(RESULTS, EXPLANATIONS, REJECTIONS);
        }
        String p = principal.get();
        if (!OUTCOME_PRINCIPAL.matcher(p).matches()) {
            throw new IllegalArgumentException("a principal with outcome topics of its own may use letters, digits, _ - only"
                    + " (with a dot, another principal's prefix would cover its topics and groups): " + p);
        }
        return new Outcomes(RESULTS + BY + p, EXPLANATIONS + BY + p, REJECTIONS + BY + p);
    }

    /**
     * Where the outcomes of requests read from {@code requestTopic} go: the own outcome topics of
     * the principal whose request topic it is, or the shared ones for the shared request topic. A
     * principal whose name can have no outcome topics (one with a dot, {@link #outcomesFor}) gets
     * the shared ones, which no client may read on a secured cluster: such a client sees nothing
     * rather than another's outcomes. Never throws.
     */
    public static Outcomes outcomesOfRequestsIn(String requestTopic) {
        return outcomesOfSubmitter(principalOf(requestTopic));
    }

    /** As {@link #outcomesOfRequestsIn}, for the principal the broker vouched for (empty: the sender is not known). */
    public static Outcomes outcomesOfSubmitter(Optional<String> authenticatedPrincipal) {
        return outcomesFor(authenticatedPrincipal.filter(p -> OUTCOME_PRINCIPAL.matcher(p).matches()));
    }

    /** Whether {@code principal} may have outcome topics of its own (letters, digits, _ and - only). */
    public static boolean hasOwnOutcomes(String principal) {
        return OUTCOME_PRINCIPAL.matcher(principal).matches();
    }

    /** What a topic holds, whether it is the shared topic of its family or a principal's own. */
    public enum Kind {
        REQUESTS(true), ALIGNED_PAIRS(true), RESULTS(false), EXPLANATIONS(true), REJECTIONS(true), OTHER(false);

        private final boolean faces;

        Kind(boolean faces) {
            this.faces = faces;
        }

        /** True for the kinds whose records hold face images (requests, aligned faces, maps, rejected requests). */
        public boolean carriesFaces() {
            return faces;
        }
    }

    /** The kind of {@code topic}; {@link Kind#OTHER} for a topic outside the families (and for null). */
    public static Kind kindOf(String topic) {
        if (topic == null) {
            return Kind.OTHER;
        }
        if (ALIGNED_PAIRS.equals(topic)) {
            return Kind.ALIGNED_PAIRS;
        }
        return REQUEST_TOPICS.matcher(topic).matches() ? Kind.REQUESTS
                : RESULT_TOPICS.matcher(topic).matches() ? Kind.RESULTS
                : EXPLANATION_TOPICS.matcher(topic).matches() ? Kind.EXPLANATIONS
                : REJECTION_TOPICS.matcher(topic).matches() ? Kind.REJECTIONS : Kind.OTHER;
    }

    /** Whether records on {@code topic} hold face bytes: such topics get the declared retention. */
    public static boolean carriesFaces(String topic) {
        return kindOf(topic).carriesFaces();
    }

    /**
     * A topic with its serdes.
     *
     * @param faces whether its records hold face bytes (so that it gets the declared retention)
     */
    public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted, boolean faces) {}

    private final Topic<String, VerificationRequest> requests;
    private final Topic<String, AlignedPair> alignedPairs;
    private final Topic<String, VerificationResult> results;
    private final Topic<String, Explanation> explanations;
    private final Topic<String, Rejection> rejections;
    private final Topic<String, ModelThreshold> thresholds;
    private final Topic<String, ErrorRates> aggregates;

    private Topics(Map<String, ?> serdeConfig) {
        requests = topic(REQUESTS, serdeConfig, false);
        alignedPairs = topic(ALIGNED_PAIRS, serdeConfig, false);
        results = topic(RESULTS, serdeConfig, false);
        explanations = topic(EXPLANATIONS, serdeConfig, false);
        rejections = topic(REJECTIONS, serdeConfig, false);
        thresholds = topic(THRESHOLDS, serdeConfig, true);
        aggregates = topic(AGGREGATES, serdeConfig, true);
    }

    /** Whether it carries faces follows from its name, so that the flag and {@link #kindOf} cannot disagree. */
    private static <V extends GenericContainer> Topic<String, V> topic(String name, Map<String, ?> serdeConfig, boolean compacted) {
        return new Topic<>(name, Serdes.String(), avro(serdeConfig), compacted, carriesFaces(name));
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
