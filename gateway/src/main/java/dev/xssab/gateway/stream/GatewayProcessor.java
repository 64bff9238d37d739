package dev.xssab.gateway.stream;

import dev.xssab.faces.PreprocessingException;
import dev.xssab.observability.XssabMetrics;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.RequestIds;
import dev.xssab.schemas.Rejections;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.AlignedFaceImage;
import dev.xssab.schemas.avro.AlignedPair;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.Stage;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.schemas.serde.SchemaRegistryUnavailableException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One request in, exactly one record out: an aligned pair, or a rejection with a reason code.
 * Input values arrive as raw bytes and are deserialized here, so that a record with bad schema
 * bytes becomes a MALFORMED_REQUEST rejection carrying those bytes instead of stopping the stream.
 */
final class GatewayProcessor implements Processor<String, byte[], String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayProcessor.class);
    static final int MAX_REQUEST_ID_LENGTH = RequestIds.MAX_LENGTH;

    private final Deserializer<VerificationRequest> requestDeserializer;
    private final Supplier<PairAligner> alignerFactory;
    private final Duration dedupWindow;
    private final Set<String> evaluationPrincipals;
    private final XssabMetrics metrics;
    private ProcessorContext<String, Object> context;
    private WindowStore<String, Long> seen;
    private PairAligner aligner;

    GatewayProcessor(Deserializer<VerificationRequest> requestDeserializer, Supplier<PairAligner> alignerFactory,
            GatewayTopology.Options options) {
        this.requestDeserializer = requestDeserializer;
        this.alignerFactory = alignerFactory;
        this.dedupWindow = options.dedupWindow();
        this.evaluationPrincipals = Set.copyOf(options.evaluationPrincipals());
        this.metrics = options.metrics();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        // A window store keeps ids for the dedup window and drops whole segments after it: its size
        // follows the request rate, never the history, and nothing is ever scanned.
        this.seen = context.getStateStore(GatewayTopology.SEEN_STORE);
        this.aligner = alignerFactory.get();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        MDC.put("service", "gateway");
        try {
            handle(record);
        } finally {
            MDC.remove("requestId");
            MDC.remove("service");
        }
    }

    private void handle(Record<String, byte[]> record) {
        long start = System.nanoTime();
        VerificationRequest request = read(record);
        if (request == null) {
            return;
        }
        String id = request.getRequestId();
        MDC.put("requestId", String.valueOf(id));
        if (!RequestIds.valid(id)) {
            // Without a usable id, the rejection is keyed as the request arrived.
            reject(record, record.key(), ReasonCode.MALFORMED_REQUEST, "requestId must be 1.." + MAX_REQUEST_ID_LENGTH
                    + " characters", request.getTags());
            return;
        }
        try {
            long now = context.currentSystemTimeMs();
            refuseADuplicate(id, now);
            // Who sent it: the broker vouches for the principal of a client's own topic (only it may
            // write there); on the shared topic the clientId is the client's word only.
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(Topics.REQUESTS);
            Optional<String> principal = Topics.principalOf(topic);
            refuseAThresholdNotAllowed(request.getEvaluationThreshold(), principal);
            seen.put(id, now, now);
            AlignedFaceImage[] faces = alignBoth(request);
            AlignedPair pair = alignedPair(request, principal, faces, start);
            context.forward(new Record<>(id, pair, record.timestamp()), GatewayTopology.ALIGNED_SINK);
            metrics.request("gateway", true);
        } catch (Refused r) {
            reject(record, id, r.reason, r.getMessage(), request.getTags());
        }
    }

    private static AlignedPair alignedPair(VerificationRequest request, Optional<String> principal, AlignedFaceImage[] faces,
            long start) {
        return AlignedPair.newBuilder()
                .setRequestId(request.getRequestId())
                .setSubmittedAtMs(request.getSubmittedAtMs())
                .setExplain(request.getExplain())
                .setModelId(request.getModelId())
                .setTags(request.getTags())
                .setEvaluationThreshold(request.getEvaluationThreshold())
                .setSubmittedBy(principal.orElse(request.getClientId()))
                .setSubmitterAuthenticated(principal.isPresent())
                .setProbe(faces[0])
                .setReference(faces[1])
                .setGatewayMs((System.nanoTime() - start) / 1e6)
                .build();
    }

    /** Why this request gets a rejection instead of an aligned pair. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final ReasonCode reason;

        Refused(ReasonCode reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /** The request, or null once a MALFORMED_REQUEST rejection carrying the bytes has gone out. */
    private VerificationRequest read(Record<String, byte[]> record) {
        try {
            VerificationRequest request = requestDeserializer.deserialize(Topics.REQUESTS, record.value());
            if (request == null) {
                throw new IllegalArgumentException("the record has no value");
            }
            return request;
        } catch (SchemaRegistryUnavailableException e) {
            // Says nothing about this request: fail the task, so that its replacement thread
            // retries the record from the last commit instead of rejecting a good request.
            throw e;
        } catch (RuntimeException e) {
            reject(record, record.key(), ReasonCode.MALFORMED_REQUEST, "the request cannot be read: " + e.getMessage(), Map.of());
            return null;
        }
    }

    private void refuseADuplicate(String id, long now) throws Refused {
        Long firstSeen = firstSeenWithinWindow(id, now);
        if (firstSeen != null) {
            throw new Refused(ReasonCode.DUPLICATE_REQUEST, "requestId " + id + " was already received "
                    + (now - firstSeen) + " ms ago (window " + dedupWindow.toMillis() + " ms)");
        }
    }

    /**
     * A request's own threshold decides its outcome: only evaluators may bring one, or a door
     * could open itself by asking for a low threshold.
     */
    private void refuseAThresholdNotAllowed(Double requestThreshold, Optional<String> principal) throws Refused {
        if (requestThreshold == null) {
            return;
        }
        boolean allowed = evaluationPrincipals.contains(GatewayTopology.ANY_PRINCIPAL)
                || principal.filter(evaluationPrincipals::contains).isPresent();
        if (!allowed) {
            throw new Refused(ReasonCode.THRESHOLD_NOT_ALLOWED, "requests from " + (principal.isPresent()
                    ? "principal " + principal.get() : "the shared request topic") + " may not carry their own"
                    + " threshold (gateway.evaluation.principals)");
        }
        if (!(requestThreshold >= -1 && requestThreshold <= 1)) {
            throw new Refused(ReasonCode.MALFORMED_REQUEST, "evaluationThreshold must be a cosine in [-1, 1], not " + requestThreshold);
        }
    }

    /** Probe and reference aligned; the reference on another core while the probe is on this thread. */
    private AlignedFaceImage[] alignBoth(VerificationRequest request) throws Refused {
        CompletableFuture<AlignedFaceImage> second = new CompletableFuture<>();
        aligner.executor().execute(() -> {
            try {
                second.complete(align(request.getReference(), request.getReferenceAligned(), request.getModelId(), "reference"));
            } catch (PreprocessingException | RuntimeException e) {
                second.completeExceptionally(e);
            }
        });
        try {
            AlignedFaceImage probe;
            try {
                probe = align(request.getProbe(), request.getProbeAligned(), request.getModelId(), "probe");
            } finally {
                awaitQuietly(second); // never leave the worker busy with a request this thread has moved past
            }
            return new AlignedFaceImage[] {probe, second.join()};
        } catch (PreprocessingException e) {
            throw new Refused(e.reason(), e.getMessage());
        } catch (CompletionException e) {
            if (e.getCause() instanceof PreprocessingException p) {
                throw new Refused(p.reason(), p.getMessage());
            }
            throw e;
        }
    }

    private static void awaitQuietly(CompletableFuture<?> f) {
        try {
            f.join();
        } catch (CompletionException e) {
            // reported by the caller, in order: the probe's failure first
        }
    }

    private AlignedFaceImage align(ByteBuffer image, boolean aligned, String modelId, String which) throws PreprocessingException {
        byte[] bytes = new byte[image.remaining()];
        image.duplicate().get(bytes);
        try {
            return aligner.align(bytes, aligned, modelId);
        } catch (PreprocessingException e) {
            throw new PreprocessingException(e.reason(), which + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A model failure on one image must not stop the stream; it is this request's problem.
            LOG.warn("preprocessing the {} failed unexpectedly", which, e);
            throw new PreprocessingException(ReasonCode.INFERENCE_FAILED, which + ": " + e, e);
        }
    }

    private void reject(Record<String, byte[]> record, String requestId, ReasonCode reason, String message,
            Map<String, String> tags) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        Rejections.Source source = new Rejections.Source(meta == null ? Topics.REQUESTS : meta.topic(),
                meta == null ? -1 : meta.partition(), meta == null ? -1 : meta.offset(), record.key(), record.value());
        Rejection rejection = Rejections.of(Stage.GATEWAY, source, requestId, reason, message, tags,
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        // Never log image bytes: only the id, the code and the message.
        LOG.info("rejected request {}: {} ({})", requestId, reason, message);
        metrics.request("gateway", false);
        metrics.rejection(reason.name());
        context.forward(new Record<>(requestId, rejection, record.timestamp()), GatewayTopology.REJECTED_SINK);
    }

    /** When {@code id} was first seen within the window ending now, or null. */
    private Long firstSeenWithinWindow(String id, long now) {
        try (WindowStoreIterator<Long> it = seen.fetch(id, Instant.ofEpochMilli(now - dedupWindow.toMillis() + 1),
                Instant.ofEpochMilli(now))) {
            return it.hasNext() ? it.next().value : null;
        }
    }

    @Override
    public void close() {
        if (aligner != null) {
            aligner.close();
        }
    }
}
