package dev.xssab.evaluator.replay;

import dev.xssab.evaluator.Strategy;
import dev.xssab.evaluator.aggregate.EvaluationTags;
import dev.xssab.evaluator.patch.Replacement;
import dev.xssab.evaluator.replay.EvaluationInputs.PreparedPair;
import dev.xssab.kafka.CheckedProducer;
import dev.xssab.kafka.client.PipelineClientException;
import dev.xssab.schemas.Float16;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.RgbImage;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** One model's replay in progress: what is expected, what has an outcome, what was sent. */
final class Replay {
    private final EvaluationRun.Plan plan;
    private final double t;
    private final EvaluationInputs in;
    private final Topics topics;
    private final CheckedProducer producer;
    private final CellRequests requests;
    private final Runnable onProgress;
    private final Set<String> expected = new LinkedHashSet<>();
    private final Set<String> done = new HashSet<>();
    private final Set<String> sent = new HashSet<>();
    private final Map<Integer, PreparedPair> byIndex = new HashMap<>();
    private int rejected;
    /** While replaying stored outcomes, explanations wait until the done set is complete. */
    private boolean catchingUp;
    private final List<Explanation> deferred = new ArrayList<>();

    Replay(EvaluationRun.Plan plan, double t, EvaluationInputs in, Topics topics, CheckedProducer producer, Runnable onProgress) {
        this.plan = plan;
        this.t = t;
        this.in = in;
        this.topics = topics;
        this.producer = producer;
        this.requests = new CellRequests(plan, t);
        this.onProgress = onProgress;
        for (PreparedPair p : in.pairs()) {
            byIndex.put(p.index(), p);
            expected.add(requests.id(EvaluationTags.ORIGINAL, EvaluationTags.NO_STRATEGY, 0, p.index()));
            expected.add(requests.id(EvaluationTags.PATCHED, EvaluationTags.NO_STRATEGY, 0, p.index()));
            for (Strategy s : plan.strategies()) {
                for (int pct : plan.percentages()) {
                    expected.add(requests.replacedId(s, pct, p.index()));
                }
            }
        }
    }

    boolean complete() {
        return done.containsAll(expected);
    }

    EvaluationRun.Summary summary() {
        return new EvaluationRun.Summary(done.size(), expected.size(), rejected);
    }

    /** Reads every outcome already in the topics; replacement variants follow from stored explanations. */
    void catchUp(KafkaConsumer<String, byte[]> consumer) throws Exception {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        catchingUp = true;
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            poll(consumer, Duration.ofMillis(200));
        }
        catchingUp = false;
        for (Explanation x : deferred) {
            replacements(x);
        }
        deferred.clear();
    }

    /** Everything sent so far is on the broker, or the run stops here saying what was lost. */
    private void flush() {
        try {
            producer.flush();
        } catch (IllegalStateException e) {
            throw new PipelineClientException(e.getMessage() + "; run the same command again: it resumes and sends only"
                    + " what has no outcome yet", e);
        }
    }

    void sendInitial() throws Exception {
        for (PreparedPair p : in.pairs()) {
            send(EvaluationTags.ORIGINAL, EvaluationTags.NO_STRATEGY, 0, p, p.first(), false);
            send(EvaluationTags.PATCHED, EvaluationTags.NO_STRATEGY, 0, p, p.patched().image(), true);
        }
        flush();
    }

    void poll(KafkaConsumer<String, byte[]> consumer, Duration wait) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
            if (r.key() == null || !r.key().startsWith(requests.prefix())) {
                continue;
            }
            try {
                switch (Topics.kindOf(r.topic())) {
                    case RESULTS -> markDone(topics.results().valueSerde().deserializer().deserialize(r.topic(), r.value())
                            .getRequestId());
                    case REJECTIONS -> rejected(topics.rejections().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    default -> explained(topics.explanations().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot handle " + r.key() + " from " + r.topic() + ": " + e.getMessage(), e);
            }
        }
        flush();
    }

    private void rejected(Rejection v) {
        if (v.getReason() == ReasonCode.DUPLICATE_REQUEST || !markDone(v.getRequestId())) {
            return;
        }
        rejected++;
        System.err.println("rejected " + v.getRequestId() + ": " + v.getReason() + " " + v.getMessage());
        if (CellRequests.isPatched(v.getRequestId())) {
            // No explanation will come: its replacement cells cannot be built.
            int pair = CellRequests.pairOf(v.getRequestId());
            for (Strategy s : plan.strategies()) {
                for (int pct : plan.percentages()) {
                    expected.remove(requests.replacedId(s, pct, pair));
                }
            }
        }
    }

    private void explained(Explanation x) throws Exception {
        if (catchingUp) {
            deferred.add(x);
        } else {
            replacements(x);
        }
    }

    private boolean markDone(String id) {
        if (expected.contains(id) && done.add(id)) {
            onProgress.run();
            return true;
        }
        return false;
    }

    /** The replacement variants of one explained patched pair (only those not yet done or sent). */
    private void replacements(Explanation x) throws Exception {
        String id = x.getRequestId();
        if (!CellRequests.isPatched(id)) {
            return;
        }
        PreparedPair p = byIndex.get(CellRequests.pairOf(id));
        if (p == null) {
            return;
        }
        byte[] combined = new byte[x.getProbe().getCombined().remaining()];
        x.getProbe().getCombined().duplicate().get(combined);
        float[] map = Float16.decode(combined);
        RgbImage original = p.first();
        RgbImage patched = p.patched().image();
        for (Strategy s : plan.strategies()) {
            int[] order = requests.order(s, map, x.getScore() < t, p.index());
            for (int pct : plan.percentages()) {
                send(EvaluationTags.REPLACED, s.tag(), pct, p, Replacement.restore(original, patched, order, pct), false);
            }
        }
    }

    private void send(String variant, String strategy, int pct, PreparedPair p, RgbImage image1, boolean explain) throws Exception {
        String id = requests.id(variant, strategy, pct, p.index());
        if (done.contains(id) || !sent.add(id)) {
            return;
        }
        VerificationRequest request = requests.request(id, variant, strategy, pct, p, image1, explain);
        producer.send(new ProducerRecord<>(plan.requestTopic(), id,
                topics.requests().valueSerde().serializer().serialize(plan.requestTopic(), request)));
    }
}
