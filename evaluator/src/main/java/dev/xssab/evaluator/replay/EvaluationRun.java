package dev.xssab.evaluator.replay;

import dev.xssab.evaluator.LabelledScores;
import dev.xssab.evaluator.Strategy;
import dev.xssab.evaluator.replay.EvaluationInputs.PreparedPair;
import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.InferenceException;
import dev.xssab.explainer.PairScorer;
import dev.xssab.kafka.CheckedProducer;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.client.PipelineClientException;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
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
    public record Plan(String run, String model, String datasetName, List<Strategy> strategies, List<Integer> percentages,
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

    private EvaluationRun() {}

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
        Map<String, Object> producerSettings = Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        try (CheckedProducer producer = new CheckedProducer(clients, producerSettings);
                KafkaConsumer<String, byte[]> consumer = outcomesFromTheBeginning(clients, plan.requestTopic())) {
            Replay replay = new Replay(plan, t, in, topics, producer, onOutcome);
            replay.catchUp(consumer); // resume: what already has an outcome is not sent again
            replay.sendInitial();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!replay.complete() && System.nanoTime() < deadline) {
                replay.poll(consumer, Duration.ofMillis(300));
            }
            return replay.summary();
        }
    }

    private static KafkaConsumer<String, byte[]> outcomesFromTheBeginning(KafkaClients clients, String requestTopic) {
        KafkaConsumer<String, byte[]> consumer = clients.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Topics.MAX_MESSAGE_BYTES), new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> parts = new ArrayList<>();
            // The outcomes of the run's own request topic: on a secured cluster, the evaluator's own outcome topics.
            for (String topic : Topics.outcomesOfRequestsIn(requestTopic).all()) {
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
}
