package dev.xssab.chaos.verify;

import dev.xssab.chaos.Ledger;
import dev.xssab.schemas.Decision;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.Stage;
import dev.xssab.schemas.avro.VerificationResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/** Hand-made scanned data: records built the way the explainer and the gateway write them. */
final class Fixture {
    static final long T0 = 1_700_000_000_000L;

    final Ledger ledger = new Ledger();
    final List<Scanned<VerificationResult>> results = new ArrayList<>();
    final List<Scanned<Rejection>> rejections = new ArrayList<>();
    final List<Scanned<ExplanationFigures>> explanations = new ArrayList<>();
    final List<Scanned<Boolean>> pairs = new ArrayList<>();
    final Map<String, AuditedResult> auditResults = new HashMap<>();
    final Map<String, ExplanationFigures> auditExplanations = new HashMap<>();
    final List<String> openTransactions = new ArrayList<>();
    Optional<Short> transactionVersion = Optional.of((short) 2);
    long aborted = 1;
    private long offset;

    void send(String id, boolean resend, Ledger.Status status, long at, String fault) {
        ledger.record(new Ledger.Send(id, resend, false, status, at, fault));
    }

    /** A result decided at {@code at}, its aligned pair, and its audit row. */
    VerificationResult result(String id, boolean explained, long at) {
        VerificationResult r = VerificationResult.newBuilder().setRequestId(id).setModelId("arcface").setScore(0.7).setThreshold(0.4)
                .setDecision(Decision.MATCH).setExplained(explained).setSubmittedAtMs(Instant.ofEpochMilli(at - 100))
                .setCompletedAtMs(Instant.ofEpochMilli(at)).setGatewayMs(1).setModelMs(2).setBatchSize(1).setTags(Map.of("run", "x"))
                .build();
        results.add(scanned(Topics.RESULTS, id, at, r));
        pairs.add(scanned(Topics.ALIGNED_PAIRS, id, at - 50, explained));
        auditResults.put(id, AuditedResult.of(r));
        if (explained) {
            ExplanationFigures e = new ExplanationFigures("arcface", 0.7, 0.4, "live", 1, -1, 1, -1);
            explanations.add(scanned(Topics.EXPLANATIONS, id, at, e));
            auditExplanations.put(id, e);
        }
        return r;
    }

    /** A gateway rejection, whose record carries the request's timestamp ({@code sentAt}) but was rejected at {@code at}. */
    void rejection(String id, ReasonCode reason, long sentAt, long at) {
        Rejection r = Rejection.newBuilder().setRequestId(id).setReason(reason).setStage(Stage.GATEWAY).setMessage("m")
                .setSourceTopic(Topics.REQUESTS).setSourcePartition(0).setSourceOffset(offset).setRejectedAtMs(Instant.ofEpochMilli(at))
                .build();
        rejections.add(scanned(Topics.REJECTIONS, id, sentAt, r));
    }

    <T> Scanned<T> scanned(String topic, String id, long timestamp, T value) {
        return new Scanned<>(id, new TopicPartition(topic, 0), offset++, timestamp, value);
    }

    Evidence evidence() {
        Outcomes o = new Outcomes(results, rejections, explanations, pairs, Map.of(Topics.RESULTS, aborted), List.of());
        return new Evidence(o, new AuditSnapshot(auditResults, auditExplanations, auditExplanations.size()),
                new ClusterState(openTransactions, transactionVersion), List.of());
    }

    VerificationReport verify() {
        return Verdict.evaluate(ledger, evidence(), Verdict.Expectations.faultRun());
    }

    /**
     * A clean run: a explained; b sent twice (its resend rejected as duplicate); c rejected for no face;
     * d indeterminate and never landed; e failed; f sent under a fault and decided after its heal.
     */
    static Fixture clean() {
        Fixture f = new Fixture();
        f.ledger.record(new Ledger.FaultWindow("kill-leader", T0 + 1_000, T0 + 5_000));
        f.send("a", false, Ledger.Status.ACKED, T0, null);
        f.result("a", true, T0 + 300);
        f.send("b", false, Ledger.Status.ACKED, T0 + 10, null);
        f.result("b", false, T0 + 200);
        f.send("b", true, Ledger.Status.ACKED, T0 + 500, null);
        f.rejection("b", ReasonCode.DUPLICATE_REQUEST, T0 + 500, T0 + 520);
        f.send("c", false, Ledger.Status.ACKED, T0 + 20, null);
        f.rejection("c", ReasonCode.NO_FACE, T0 + 20, T0 + 90);
        f.send("d", false, Ledger.Status.INDETERMINATE, T0 + 30, null);
        f.send("e", false, Ledger.Status.FAILED, T0 + 40, null);
        f.send("f", false, Ledger.Status.ACKED, T0 + 2_000, "kill-leader");
        f.result("f", false, T0 + 9_000);
        return f;
    }
}
