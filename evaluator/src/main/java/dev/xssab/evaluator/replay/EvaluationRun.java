package dev.xssab.evaluator.replay;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.evaluator.LabelledScores;
import dev.xssab.evaluator.aggregate.EvaluationTags;
import dev.xssab.evaluator.patch.Replacement;
import dev.xssab.evaluator.replay.EvaluationInputs.PreparedPair;
import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.InferenceException;
import dev.xssab.explainer.PairScorer;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.kafka.CheckedProducer;
import dev.xssab.schemas.Float16;
import dev.xssab.schemas.RgbImage;
import dev.xssab.schemas.Topics;
import dev.xssab.kafka.client.PipelineClientException;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.schemas.avro.VerificationResult;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The xSSAB paper's protocol replayed through the production topics.
 *
 * <ol>
 *   <li>{@link #scoreOriginals}: the model's scores of the original pairs, from which the caller
 *       calibrates the EER threshold t.</li>
 *   <li>{@link #replay}: every original pair (score only) and every Patch-LFW pair (explained) is
 *       sent carrying t as its own evaluation threshold, so the explainer judges and explains it
 *       at t while the model's live threshold, which doors rely on, stays untouched.</li>
 *   <li>When a patched pair's explanation arrives, its replacement variants are built from the
 *       combined map of image 1 (best_worst) and from a seeded order (random), for each
 *       percentage, and sent score-only.</li>
 * </ol>
 * Every request is tagged with the run and its cell; the aggregates topology turns results into
 * FMR/FNMR at the run's t. Request ids are deterministic (run/model/variant/strategy/percentage/pair):
 * a second replay of the same run resumes, sending only what has no outcome yet.
 */
public final class EvaluationRun {
    /** The clientId of the evaluator's requests. */
    public static final String CLIENT_ID = "xssab-evaluate";

    /**
     * What to replay.
     *
     * @param requestTopic the shared request topic, or the evaluator principal's own on a secured cluster
     */
    public record Plan(String run, String model, String datasetName, List<String> strategies, List<Integer> percentages,
            long seed, String requestTopic, RandomOrder randomOrder) {}

    /**
     * The random baseline's pixel order: SHARED gives every pair the same permutation (the
     * reference reseeds before every shuffle, so its pairs share one), PER_PAIR draws one per pair.
     */
    public enum RandomOrder {
        SHARED, PER_PAIR;

        /** From the command-line spelling: shared or per-pair. */
        public static RandomOrder parse(String text) {
            return switch (text) {
                case "shared" -> SHARED;
                case "per-pair" -> PER_PAIR;
                default -> throw new IllegalArgumentException("--random-order takes shared or per-pair, not " + text);
            };
        }
    }

    /** How a replay ended. */
    public record Summary(int outcomes, int expected, int rejected) {
        public boolean complete() {
            return outcomes == expected;
        }
    }

    private final Plan plan;

    private EvaluationRun(Plan plan) {
        this.plan = plan;
    }

    /** The model's scores of the original pairs (ONNX Runtime for ONNX models, the DJL executor otherwise). */
    public static LabelledScores scoreOriginals(EvaluationInputs in, RecognitionModelSpec spec, ModelStore store)
            throws InferenceException, java.io.IOException {
        double[] scores = new double[in.pairs().size()];
        boolean[] labels = new boolean[in.pairs().size()];
        try (PairScorer scorer = PairScorer.open(spec, store)) {
            for (int i = 0; i < scores.length; i++) {
                PreparedPair p = in.pairs().get(i);
                scores[i] = scorer.score(List.of(new FacePair(p.first(), p.second())))[0];
                labels[i] = p.pair().genuine();
            }
        }
        return new LabelledScores(scores, labels);
    }

    /**
     * Sends what has no outcome yet and waits for every outcome, or until {@code timeout}.
     *
     * @param t the run's threshold, carried by every request
     * @param onOutcome called once per expected request that got its outcome
     * @throws PipelineClientException if a request could not be published (a rerun resumes)
     */
    public static Summary replay(KafkaClients clients, Topics topics, Plan plan, double t, EvaluationInputs in,
            Duration timeout, Runnable onOutcome) throws Exception {
        EvaluationRun runner = new EvaluationRun(plan);
        Map<String, Object> producerSettings = Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        try (CheckedProducer producer = new CheckedProducer(clients, producerSettings);
                KafkaConsumer<String, byte[]> consumer = outcomesFromTheBeginning(clients)) {
            Replay replay = runner.new Replay(t, in, plan.percentages(), topics, producer);
            replay.onProgress = onOutcome;
            replay.catchUp(consumer); // resume: what already has an outcome is not sent again
            replay.sendInitial();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!replay.complete() && System.nanoTime() < deadline) {
                replay.poll(consumer, Duration.ofMillis(300));
            }
            return new Summary(replay.done.size(), replay.expected.size(), replay.rejected);
        }
    }

    private static KafkaConsumer<String, byte[]> outcomesFromTheBeginning(KafkaClients clients) {
        KafkaConsumer<String, byte[]> consumer = clients.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Topics.MAX_MESSAGE_BYTES), new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : List.of(Topics.RESULTS, Topics.EXPLANATIONS, Topics.REJECTIONS)) {
                consumer.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            return consumer;
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            throw e;
        }
    }

    /** The replay's state: what is expected, what has an outcome, what was sent. */
    private final class Replay {
        final double t;
        final EvaluationInputs in;
        final List<Integer> percentages;
        final Topics topics;
        final CheckedProducer producer;
        final Set<String> expected = new LinkedHashSet<>();
        final Set<String> done = new HashSet<>();
        final Set<String> sent = new HashSet<>();
        final Map<Integer, PreparedPair> byIndex = new HashMap<>();
        int rejected;
        Runnable onProgress = () -> {};
        /** While replaying stored outcomes, explanations wait until the done set is complete. */
        private boolean catchingUp;
        private final List<Explanation> deferred = new ArrayList<>();

        Replay(double t, EvaluationInputs in, List<Integer> percentages, Topics topics, CheckedProducer producer) {
            this.t = t;
            this.in = in;
            this.percentages = percentages;
            this.topics = topics;
            this.producer = producer;
            for (PreparedPair p : in.pairs()) {
                byIndex.put(p.index(), p);
                expected.add(id(EvaluationTags.ORIGINAL, EvaluationTags.NO_STRATEGY, 0, p.index()));
                expected.add(id(EvaluationTags.PATCHED, EvaluationTags.NO_STRATEGY, 0, p.index()));
                for (String s : plan.strategies()) {
                    for (int pct : percentages) {
                        expected.add(id(EvaluationTags.REPLACED, s, pct, p.index()));
                    }
                }
            }
        }

        String id(String variant, String strategy, int pct, int pair) {
            return prefix() + variant + "/" + strategy + "/" + pct + "/" + pair;
        }

        /** Every request id of this run and model starts so: one run can compare several models. */
        String prefix() {
            return plan.run() + "/" + plan.model() + "/";
        }

        boolean complete() {
            return done.containsAll(expected);
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
                if (r.key() == null || !r.key().startsWith(prefix())) {
                    continue;
                }
                try {
                    switch (r.topic()) {
                        case Topics.RESULTS -> {
                            VerificationResult v = topics.results().valueSerde().deserializer().deserialize(r.topic(), r.value());
                            markDone(v.getRequestId());
                        }
                        case Topics.REJECTIONS -> {
                            Rejection v = topics.rejections().valueSerde().deserializer().deserialize(r.topic(), r.value());
                            if (v.getReason() != dev.xssab.schemas.ReasonCode.DUPLICATE_REQUEST && markDone(v.getRequestId())) {
                                rejected++;
                                System.err.println("rejected " + v.getRequestId() + ": " + v.getReason() + " " + v.getMessage());
                                if (v.getRequestId().contains("/" + EvaluationTags.PATCHED + "/")) {
                                    // No explanation will come: its replacement cells cannot be built.
                                    int pair = Integer.parseInt(v.getRequestId().substring(v.getRequestId().lastIndexOf('/') + 1));
                                    for (String s : plan.strategies()) {
                                        for (int pct : percentages) {
                                            expected.remove(id(EvaluationTags.REPLACED, s, pct, pair));
                                        }
                                    }
                                }
                            }
                        }
                        default -> {
                            Explanation x = topics.explanations().valueSerde().deserializer().deserialize(r.topic(), r.value());
                            if (catchingUp) {
                                deferred.add(x);
                            } else {
                                replacements(x);
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("cannot handle " + r.key() + " from " + r.topic() + ": " + e.getMessage(), e);
                }
            }
            flush();
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
            if (!id.contains("/" + EvaluationTags.PATCHED + "/")) {
                return;
            }
            int pair = Integer.parseInt(id.substring(id.lastIndexOf('/') + 1));
            PreparedPair p = byIndex.get(pair);
            if (p == null) {
                return;
            }
            byte[] combined = new byte[x.getProbe().getCombined().remaining()];
            x.getProbe().getCombined().duplicate().get(combined);
            float[] map = Float16.decode(combined);
            RgbImage original = p.first();
            RgbImage patched = p.patched().image();
            for (String s : plan.strategies()) {
                int[] order = s.equals("best_worst") ? Replacement.bestWorstOrder(map, x.getScore() < t)
                        : Replacement.randomOrder(map.length, plan.seed(), plan.randomOrder() == RandomOrder.SHARED ? 0 : pair);
                for (int pct : percentages) {
                    send(EvaluationTags.REPLACED, s, pct, p, Replacement.restore(original, patched, order, pct), false);
                }
            }
        }

        private void send(String variant, String strategy, int pct, PreparedPair p, RgbImage image1,
                boolean explain) throws Exception {
            String id = id(variant, strategy, pct, p.index());
            if (done.contains(id) || !sent.add(id)) {
                return;
            }
            Map<String, String> tags = new HashMap<>();
            tags.put(EvaluationTags.RUN, plan.run());
            tags.put(EvaluationTags.MODEL, plan.model());
            tags.put(EvaluationTags.DATASET, plan.datasetName());
            tags.put(EvaluationTags.VARIANT, variant);
            tags.put(EvaluationTags.STRATEGY, strategy);
            tags.put(EvaluationTags.PERCENTAGE, Integer.toString(pct));
            tags.put(EvaluationTags.PAIR, Integer.toString(p.index()));
            tags.put(EvaluationTags.GENUINE, Boolean.toString(p.pair().genuine()));
            tags.put(EvaluationTags.THRESHOLD, Double.toString(t));
            VerificationRequest request = VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now())
                    .setProbe(ByteBuffer.wrap(EvaluationInputs.png(image1)))
                    .setReference(ByteBuffer.wrap(p.secondPng()))
                    .setProbeAligned(true).setReferenceAligned(true).setExplain(explain).setModelId(plan.model())
                    // Judged and explained at the run's t; the model's live threshold is never touched.
                    .setEvaluationThreshold(t)
                    .setClientId(CLIENT_ID).setTags(tags).build();
            producer.send(new ProducerRecord<>(plan.requestTopic(), id,
                    topics.requests().valueSerde().serializer().serialize(plan.requestTopic(), request)));
        }
    }
}
