package dev.xssab.explainer.stream;

import dev.xssab.render.ArgumentMaps;
import dev.xssab.explainer.FacePair;
import dev.xssab.render.PairExplanation;
import dev.xssab.observability.XssabMetrics;
import dev.xssab.schemas.Float16;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.Rejections;
import dev.xssab.schemas.RgbImage;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.AlignedFaceImage;
import dev.xssab.schemas.avro.AlignedPair;
import dev.xssab.schemas.avro.DirectionMaps;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.Stage;
import dev.xssab.schemas.avro.VerificationResult;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.MDC;

/**
 * The explainer's records: an aligned pair read from Kafka -> a {@link PairRequest}, and a
 * {@link PairOutcome} -> the result, explanation or rejection records written back. Counts each
 * request's outcome as it writes it.
 */
final class ExplainerRecords {
    /** Where a request came from: the record as read and the pair in it. */
    record Origin(ConsumerRecord<String, byte[]> record, AlignedPair pair) {}

    private final Topics topics;
    private final XssabMetrics metrics;

    ExplainerRecords(Topics topics, XssabMetrics metrics) {
        this.topics = topics;
        this.metrics = metrics;
    }

    /** The request in {@code r}; throws what the deserializer throws (a registry outage included). */
    PairRequest<Origin> request(ConsumerRecord<String, byte[]> r) {
        AlignedPair pair = topics.alignedPairs().valueSerde().deserializer().deserialize(r.topic(), r.value());
        return new PairRequest<>(pair.getRequestId(), pair.getModelId(), pair.getExplain(), pair.getEvaluationThreshold(),
                () -> new FacePair(image(pair.getProbe()), image(pair.getReference())), new Origin(r, pair));
    }

    /** The rejection of a record that is not a readable aligned pair: who sent it is not known, so the shared dead-letter topic. */
    ProducerRecord<String, byte[]> malformed(ConsumerRecord<String, byte[]> r, RuntimeException e) {
        return rejection(r, Topics.REJECTIONS, r.key(), ReasonCode.MALFORMED_REQUEST, "unreadable aligned pair: " + e.getMessage(),
                Map.of());
    }

    /**
     * Where a pair's outcomes go: its sender's own topics when the broker vouched for the sender
     * (the gateway read it from the sender's own request topic; only the gateway writes aligned
     * pairs), else the shared ones.
     */
    static Topics.Outcomes outcomesOf(AlignedPair p) {
        return Topics.outcomesOfSubmitter(p.getSubmitterAuthenticated() ? Optional.of(p.getSubmittedBy()) : Optional.empty());
    }

    /** A decision's result (then its explanation, if any), or a rejection. */
    List<ProducerRecord<String, byte[]>> outputs(PairOutcome<Origin> outcome) {
        Origin o = outcome.request().origin();
        if (outcome instanceof PairOutcome.Rejected<Origin> x) {
            return List.of(rejection(o.record(), outcomesOf(o.pair()).rejections(), o.pair().getRequestId(), x.reason(), x.message(),
                    o.pair().getTags()));
        }
        PairOutcome.Decided<Origin> d = (PairOutcome.Decided<Origin>) outcome;
        return d.explained() ? List.of(result(d), explanation(d)) : List.of(result(d));
    }

    private ProducerRecord<String, byte[]> result(PairOutcome.Decided<Origin> d) {
        AlignedPair p = d.request().origin().pair();
        MDC.put("requestId", p.getRequestId());
        MDC.put("service", "explainer");
        metrics.request("explainer", true);
        metrics.decision(d.modelId(), d.decision().name());
        VerificationResult r = VerificationResult.newBuilder()
                .setRequestId(p.getRequestId())
                .setModelId(d.modelId())
                .setScore(d.score())
                .setThreshold(d.threshold())
                .setDecision(d.decision())
                .setThresholdSource(d.request().thresholdSource())
                .setSubmittedBy(p.getSubmittedBy())
                .setSubmitterAuthenticated(p.getSubmitterAuthenticated())
                .setExplained(d.explained())
                .setTags(p.getTags())
                .setSubmittedAtMs(p.getSubmittedAtMs())
                .setCompletedAtMs(Instant.now())
                .setGatewayMs(p.getGatewayMs())
                .setModelMs(d.modelMs())
                .setBatchSize(d.batchSize())
                .build();
        metrics.decisionLatency(Duration.between(p.getSubmittedAtMs(), r.getCompletedAtMs()));
        MDC.remove("requestId");
        MDC.remove("service");
        return record(outcomesOf(p).results(), p.getRequestId(), topics.results().valueSerde().serializer(), r);
    }

    private ProducerRecord<String, byte[]> explanation(PairOutcome.Decided<Origin> d) {
        AlignedPair p = d.request().origin().pair();
        PairExplanation e = d.explanation();
        Explanation x = Explanation.newBuilder()
                .setRequestId(p.getRequestId())
                .setModelId(d.modelId())
                .setScore(e.cosine())
                .setThreshold(e.threshold())
                .setThresholdSource(d.request().thresholdSource())
                .setTags(p.getTags())
                .setWidth(e.probeMaps().width())
                .setHeight(e.probeMaps().height())
                .setProbeFace(p.getProbe().getRgb())
                .setReferenceFace(p.getReference().getRgb())
                .setProbe(maps(e.probeMaps()))
                .setReference(maps(e.referenceMaps()))
                .build();
        return record(outcomesOf(p).explanations(), p.getRequestId(), topics.explanations().valueSerde().serializer(), x);
    }

    private static DirectionMaps maps(ArgumentMaps m) {
        return DirectionMaps.newBuilder()
                .setSPlus(m.sPlus())
                .setSMinus(m.sMinus())
                .setPositive(ByteBuffer.wrap(Float16.encode(m.positive())))
                .setNegative(ByteBuffer.wrap(Float16.encode(m.negative())))
                .setCombined(ByteBuffer.wrap(Float16.encode(m.combined())))
                .build();
    }

    private ProducerRecord<String, byte[]> rejection(ConsumerRecord<String, byte[]> r, String topic, String requestId,
            ReasonCode reason, String message, Map<String, String> tags) {
        metrics.request("explainer", false);
        metrics.rejection(reason.name());
        Rejection x = Rejections.of(Stage.EXPLAINER, new Rejections.Source(r.topic(), r.partition(), r.offset(), r.key(), r.value()),
                requestId, reason, message, tags, Instant.now());
        return record(topic, requestId, topics.rejections().valueSerde().serializer(), x);
    }

    private static <V> ProducerRecord<String, byte[]> record(String topic, String key, Serializer<V> serializer, V value) {
        return new ProducerRecord<>(topic, key, serializer.serialize(topic, value));
    }

    private static RgbImage image(AlignedFaceImage face) {
        byte[] rgb = new byte[face.getRgb().remaining()];
        face.getRgb().duplicate().get(rgb);
        return new RgbImage(face.getWidth(), face.getHeight(), rgb);
    }
}
