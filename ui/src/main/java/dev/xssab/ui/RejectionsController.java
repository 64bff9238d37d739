package dev.xssab.ui;

import dev.xssab.kafka.CheckedProducer;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationRequest;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The rejections page: the dead-letter topic's newest rejections, the reasons to filter by, and replay. */
final class RejectionsController {
    private static final Logger LOG = LoggerFactory.getLogger(RejectionsController.class);

    /** One rejection; {@code topic} (the shared dead-letter topic or a client's own), {@code partition} and {@code offset} are what a replay names it by. */
    record RejectionRow(String requestId, String reason, String stage, String message, String rejectedAt, String topic, int partition,
            long offset, boolean replayable) {
        static RejectionRow of(Rejection x, ConsumerRecord<?, ?> r) {
            return new RejectionRow(x.getRequestId(), x.getReason().name(), x.getStage().name(), x.getMessage(),
                    x.getRejectedAtMs().toString(), r.topic(), r.partition(), r.offset(), x.getOriginalValue() != null);
        }
    }

    /** The answer to a replay: the new request's id. */
    record Replayed(String requestId) {}

    private final UiServer.Sources sources;
    private final DeadLetters deadLetters;

    RejectionsController(UiServer.Sources sources) {
        this.sources = sources;
        this.deadLetters = new DeadLetters(sources.clients());
    }

    /** GET /api/rejections[?reason=R]: newest first. */
    void rejections(Context ctx) {
        String reason = ctx.queryParam("reason");
        if (reason != null && !reason.isBlank() && Arrays.stream(ReasonCode.values()).noneMatch(r -> r.name().equals(reason))) {
            ctx.status(HttpStatus.BAD_REQUEST).json(new ApiError("reason must be one of GET /api/rejections/reasons"));
            return;
        }
        List<RejectionRow> rows = deadLetters.newest().stream().map(r -> RejectionRow.of(rejection(r), r))
                .filter(x -> reason == null || reason.isBlank() || x.reason().equals(reason)).toList();
        ctx.json(rows);
    }

    /** GET /api/rejections/reasons: every reason the schema defines, so the filter offers one before its first rejection arrives. */
    void reasons(Context ctx) {
        ctx.json(Arrays.stream(ReasonCode.values()).map(Enum::name).sorted().toList());
    }

    /**
     * POST /api/rejections/replay?partition=P&amp;offset=O[&amp;topic=T] republishes a rejected
     * request's original bytes as a new request (a new requestId, so that the gateway's duplicate
     * check does not refuse it): after a registry outage, say. T is a dead-letter topic (default:
     * the shared one).
     */
    void replay(Context ctx) {
        String topic = ctx.queryParam("topic") == null ? Topics.REJECTIONS : ctx.queryParam("topic");
        if (!Topics.REJECTION_TOPICS.matcher(topic).matches()) {
            ctx.status(HttpStatus.BAD_REQUEST).json(new ApiError("topic must be " + Topics.REJECTIONS + " or a client's own "
                    + Topics.REJECTIONS + ".by.<principal>"));
            return;
        }
        Optional<Long> partitionParam = wholeNumber(ctx, "partition", Integer.MAX_VALUE);
        Optional<Long> offsetParam = partitionParam.isEmpty() ? Optional.empty() : wholeNumber(ctx, "offset", Long.MAX_VALUE);
        if (offsetParam.isEmpty()) {
            return;
        }
        int partition = partitionParam.get().intValue();
        long offset = offsetParam.get();
        Optional<Rejection> rejection = deadLetters.at(topic, partition, offset).map(this::rejection);
        if (rejection.isEmpty() || rejection.get().getOriginalValue() == null) {
            ctx.status(HttpStatus.NOT_FOUND).json(new ApiError("no replayable rejection at " + topic + "/" + partition + "/" + offset));
            return;
        }
        String newId = (rejection.get().getRequestId() == null ? "unreadable" : rejection.get().getRequestId()) + "-replay-"
                + Long.toString(System.currentTimeMillis(), 36);
        try (CheckedProducer producer = new CheckedProducer(sources.clients(), Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES))) {
            producer.send(new ProducerRecord<>(sources.requestTopic(), newId, renamed(rejection.get(), newId)));
        }
        LOG.info("replayed rejection {}/{}/{} as request {}", topic, partition, offset, newId);
        ctx.json(new Replayed(newId));
    }

    /**
     * A query parameter that must be a whole number from 0 to {@code max}; a missing or malformed
     * one is the caller's mistake, answered 400 with the reason (and empty here), never a 500.
     */
    private static Optional<Long> wholeNumber(Context ctx, String name, long max) {
        String raw = ctx.queryParam(name);
        try {
            long value = Long.parseLong(raw == null ? "" : raw.strip());
            if (value >= 0 && value <= max) {
                return Optional.of(value);
            }
        } catch (NumberFormatException malformed) {
            // answered below, as a value out of range is
        }
        String shown = raw == null ? "missing" : "'" + (raw.length() > 40 ? raw.substring(0, 40) + "..." : raw) + "'";
        ctx.status(HttpStatus.BAD_REQUEST).json(new ApiError(name + " must be a whole number from 0 to " + max + ", not " + shown));
        return Optional.empty();
    }

    /** The rejected request's bytes under a new id and submission time. */
    private byte[] renamed(Rejection rejection, String newId) {
        byte[] original = new byte[rejection.getOriginalValue().remaining()];
        rejection.getOriginalValue().duplicate().get(original);
        try {
            VerificationRequest request = sources.topics().requests().valueSerde().deserializer().deserialize(Topics.REQUESTS, original);
            request.setRequestId(newId);
            request.setSubmittedAtMs(Instant.now());
            return sources.topics().requests().valueSerde().serializer().serialize(sources.requestTopic(), request);
        } catch (RuntimeException unreadable) {
            // Bytes that never were a request go back as they were: the gateway will refuse them again, visibly.
            return original;
        }
    }

    private Rejection rejection(ConsumerRecord<String, byte[]> r) {
        return sources.topics().rejections().valueSerde().deserializer().deserialize(r.topic(), r.value());
    }
}
