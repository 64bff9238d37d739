package dev.xssab.chaos.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.audit.AuditStore;
import dev.xssab.chaos.Ledger;
import dev.xssab.config.Replication;
import dev.xssab.registry.testing.KafkaWithRegistry;
import dev.xssab.schemas.Decision;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.kafka.TopicAdmin;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.AlignedFaceImage;
import dev.xssab.schemas.avro.AlignedPair;
import dev.xssab.schemas.avro.DirectionMaps;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.Stage;
import dev.xssab.schemas.avro.VerificationResult;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier on a real broker: outcomes written in one committed and one aborted transaction.
 * The scan sees the aborted records only read_uncommitted; the verdict passes on the committed
 * data and fails once the ledger holds an acknowledged id nothing decided.
 */
class VerifierIT {
    private static final Verifier.Options OPTIONS = new Verifier.Options(Duration.ofSeconds(20), Duration.ofSeconds(10),
            id -> id.startsWith("xssab-"), Verdict.Expectations.faultRun());

    @Test
    void scansBothIsolationLevelsAndJudgesTheCommittedData(@TempDir Path tmp) throws Exception {
        try (KafkaWithRegistry kafka = KafkaWithRegistry.start();
                AuditStore audit = AuditStore.open(AuditStore.embeddedUrl(tmp), "sa", "")) {
            Topics topics = kafka.topics();
            TopicAdmin.ensureTopics(kafka.clients(), topics, 2, Replication.SINGLE_NODE);
            long now = System.currentTimeMillis();
            VerificationResult a = result("a", true, now);
            VerificationResult b = result("b", false, now);
            Explanation ax = explanation("a");
            try (KafkaProducer<String, byte[]> p = kafka.clients().producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "verifier-it"),
                    new StringSerializer(), new ByteArraySerializer())) {
                p.initTransactions();
                p.beginTransaction();
                send(p, topics.alignedPairs(), "a", pair("a", true, now));
                send(p, topics.alignedPairs(), "b", pair("b", false, now));
                send(p, topics.results(), "a", a);
                send(p, topics.explanations(), "a", ax);
                send(p, topics.results(), "b", b);
                send(p, topics.rejections(), "c", rejection("c", now));
                p.commitTransaction();
                // What a fenced or killed explainer leaves behind: a second decision of a, and one of an unsent id.
                p.beginTransaction();
                send(p, topics.results(), "a", result("a", true, now));
                send(p, topics.results(), "x", result("x", false, now));
                p.flush();
                p.abortTransaction();
            }
            audit.upsert(a);
            audit.upsert(b);
            audit.upsert(ax);
            audit.commit();

            Ledger ledger = new Ledger();
            for (String id : List.of("a", "b", "c")) {
                ledger.record(new Ledger.Send(id, false, id.equals("a"), Ledger.Status.ACKED, now - 1_000, null));
            }
            Verifier verifier = new Verifier(kafka.clients(), topics, audit, OPTIONS);
            Evidence evidence = verifier.gather();
            assertEquals(List.of(), evidence.notQuiescent());
            assertEquals(2L, evidence.outcomes().abortedByTopic().get(Topics.RESULTS), "the aborted transaction's two results");
            assertEquals(0L, evidence.outcomes().abortedByTopic().get(Topics.REJECTIONS));
            assertEquals(List.of("a", "b"), evidence.outcomes().results().stream().map(Scanned::requestId).sorted().toList(),
                    "read_committed never shows the aborted records");

            VerificationReport report = Verdict.evaluate(ledger, evidence, OPTIONS.expectations());
            assertTrue(report.passed(), report::summary);

            ledger.record(new Ledger.Send("lost", false, false, Ledger.Status.ACKED, now, null));
            VerificationReport lost = verifier.verify(ledger);
            assertFalse(lost.passed(), lost::summary);
            assertEquals(List.of(Verdict.ACKED_DECIDED_ONCE), lost.failedChecks(), lost::summary);
            assertEquals(1, lost.counts().lost());
        }
    }

    private static <V> void send(KafkaProducer<String, byte[]> p, Topics.Topic<String, V> topic, String key, V value) {
        p.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    private static VerificationResult result(String id, boolean explained, long now) {
        return VerificationResult.newBuilder().setRequestId(id).setModelId("arcface").setScore(0.61).setThreshold(0.4)
                .setDecision(Decision.MATCH).setExplained(explained).setSubmittedAtMs(Instant.ofEpochMilli(now - 500))
                .setCompletedAtMs(Instant.ofEpochMilli(now)).setGatewayMs(1).setModelMs(2).setBatchSize(1).setTags(Map.of("run", "it"))
                .build();
    }

    private static AlignedPair pair(String id, boolean explain, long now) {
        AlignedFaceImage face = AlignedFaceImage.newBuilder().setWidth(1).setHeight(1).setRgb(ByteBuffer.wrap(new byte[3]))
                .setDetectionScore(1).setFitErrorPx(0).build();
        return AlignedPair.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.ofEpochMilli(now - 500)).setExplain(explain)
                .setProbe(face).setReference(face).setGatewayMs(1).build();
    }

    private static Explanation explanation(String id) {
        DirectionMaps maps = DirectionMaps.newBuilder().setSPlus(1).setSMinus(-1).setPositive(ByteBuffer.wrap(new byte[2]))
                .setNegative(ByteBuffer.wrap(new byte[2])).setCombined(ByteBuffer.wrap(new byte[2])).build();
        return Explanation.newBuilder().setRequestId(id).setModelId("arcface").setScore(0.61).setThreshold(0.4).setWidth(1).setHeight(1)
                .setProbeFace(ByteBuffer.wrap(new byte[3])).setReferenceFace(ByteBuffer.wrap(new byte[3])).setProbe(maps).setReference(maps)
                .build();
    }

    private static Rejection rejection(String id, long now) {
        return Rejection.newBuilder().setRequestId(id).setReason(ReasonCode.NO_FACE).setStage(Stage.GATEWAY).setMessage("no face")
                .setSourceTopic(Topics.REQUESTS).setSourcePartition(0).setSourceOffset(0).setOriginalValue(ByteBuffer.wrap(new byte[8]))
                .setRejectedAtMs(Instant.ofEpochMilli(now)).build();
    }
}
