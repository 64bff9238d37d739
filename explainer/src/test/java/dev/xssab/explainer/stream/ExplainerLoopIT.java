package dev.xssab.explainer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.broker.LoopbackPorts;
import dev.xssab.config.Replication;
import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.InferenceException;
import dev.xssab.explainer.PairExplainer;
import dev.xssab.kafka.TopicAdmin;
import dev.xssab.observability.XssabMetrics;
import dev.xssab.registry.SchemaRegistryServer;
import dev.xssab.registry.testing.KafkaWithRegistry;
import dev.xssab.render.ArgumentMaps;
import dev.xssab.render.PairExplanation;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.AlignedFaceImage;
import dev.xssab.schemas.avro.AlignedPair;
import dev.xssab.schemas.avro.ModelThreshold;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationResult;
import dev.xssab.schemas.serde.SchemaRegistryUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The explainer loop's record handling with a fixed-output model (the real engine is tested on
 * its own and end to end): one bad pair in a batch is rejected alone, score-only pairs take the
 * fast path, and thresholds follow the compacted topic live. Real broker, real registry.
 */
class ExplainerLoopIT {
    private static KafkaWithRegistry kafka;
    private static Topics topics;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaWithRegistry.start();
        topics = kafka.topics();
        TopicAdmin.ensureTopics(kafka.clients(), topics, 1, Replication.SINGLE_NODE);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    /** Scores = first byte of the probe / 100; a probe starting with 99 makes the model fail. */
    static final class FixedModel implements PairExplainer {
        int explainCalls;

        @Override
        public String modelId() {
            return "fixed";
        }

        @Override
        public double[] score(List<FacePair> pairs) throws InferenceException {
            double[] out = new double[pairs.size()];
            for (int i = 0; i < out.length; i++) {
                int v = pairs.get(i).probe().get(0, 0, 0);
                if (v == 99) {
                    throw new InferenceException("model failure on this input");
                }
                out[i] = v / 100.0;
            }
            return out;
        }

        @Override
        public List<PairExplanation> explain(List<FacePair> pairs, double threshold) throws InferenceException {
            explainCalls++;
            double[] s = score(pairs);
            List<PairExplanation> out = new ArrayList<>();
            for (double v : s) {
                ArgumentMaps m = new ArgumentMaps(v, 0, 1, 1, new float[] {0.5f}, new float[] {0.25f});
                out.add(new PairExplanation(v, threshold, m, m));
            }
            return out;
        }

        @Override
        public String problem() {
            return null;
        }

        @Override
        public void close() {}
    }

    /** xssab_client_restarts_total as the loop counted it. */
    static double clientRestarts(SimpleMeterRegistry meters) {
        return meters.counter("xssab.client.restarts").count();
    }

    static ConsumerRecord<String, byte[]> aligned(long offset, String id, int probeValue, boolean explain) {
        AlignedFaceImage face = AlignedFaceImage.newBuilder().setWidth(1).setHeight(1)
                .setRgb(ByteBuffer.wrap(new byte[] {(byte) probeValue, 0, 0})).setDetectionScore(1f).setFitErrorPx(0f).build();
        AlignedPair p = AlignedPair.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now()).setExplain(explain)
                .setProbe(face).setReference(face).setGatewayMs(1).build();
        return new ConsumerRecord<>(Topics.ALIGNED_PAIRS, 0, offset, id,
                topics.alignedPairs().valueSerde().serializer().serialize(Topics.ALIGNED_PAIRS, p));
    }

    @Test
    void aFailingPairIsRejectedAloneAndThresholdsFollowTheTopic() throws Exception {
        FixedModel model = new FixedModel();
        ExplainerLoopSettings settings = new ExplainerLoopSettings(kafka.clients(), "loop-it", "loop-it-0", 8,
                Duration.ofMillis(10));
        try (ThresholdTable thresholds = new ThresholdTable(kafka.clients(), topics, m -> 0.5);
                ExplainerLoop loop = new ExplainerLoop(settings, topics, model, model, thresholds)) {
            assertTrue(thresholds.awaitCaughtUp(Duration.ofSeconds(30)));
            assertEquals(0.5, thresholds.thresholdFor("fixed"));

            List<ConsumerRecord<String, byte[]>> batch = List.of(aligned(0, "ok-score", 60, false), aligned(1, "bad", 99, false),
                    aligned(2, "ok-explain", 40, true), aligned(3, "bad-explain", 99, true),
                    new ConsumerRecord<>(Topics.ALIGNED_PAIRS, 0, 4, "garbage", new byte[] {1, 2, 3}));
            var out = loop.process(batch);
            Map<String, VerificationResult> results = new java.util.HashMap<>();
            Map<String, Rejection> rejections = new java.util.HashMap<>();
            int explanations = 0;
            for (ProducerRecord<String, byte[]> r : out) {
                switch (r.topic()) {
                    case Topics.RESULTS -> results.put(r.key(), topics.results().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    case Topics.REJECTIONS -> rejections.put(r.key(), topics.rejections().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    default -> explanations++;
                }
            }
            assertEquals(Map.of("ok-score", 0.6, "ok-explain", 0.4), Map.of("ok-score", results.get("ok-score").getScore(),
                    "ok-explain", results.get("ok-explain").getScore()));
            assertEquals(2, results.size());
            assertEquals(1, explanations);
            assertEquals(ReasonCode.INFERENCE_FAILED, rejections.get("bad").getReason());
            assertEquals(ReasonCode.INFERENCE_FAILED, rejections.get("bad-explain").getReason());
            assertEquals(ReasonCode.MALFORMED_REQUEST, rejections.get("garbage").getReason());
            assertEquals(3, rejections.size());
            assertEquals("MATCH", results.get("ok-score").getDecision().name(), "0.6 >= 0.5");
            assertEquals("NO_MATCH", results.get("ok-explain").getDecision().name());

            // A new threshold on the compacted topic takes effect without a restart.
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (KafkaProducer<String, ModelThreshold> producer = new KafkaProducer<>(p, new StringSerializer(),
                    topics.thresholds().valueSerde().serializer())) {
                RecordMetadata m = producer.send(new ProducerRecord<>(Topics.THRESHOLDS, "fixed", ModelThreshold.newBuilder()
                        .setModelId("fixed").setThreshold(0.65).setSource("test").setUpdatedAtMs(Instant.now()).build())).get();
                assertTrue(m.offset() >= 0);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (thresholds.thresholdFor("fixed") != 0.65 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0.65, thresholds.thresholdFor("fixed"));
            var again = loop.process(List.of(aligned(5, "ok-score-2", 60, false)));
            VerificationResult r = topics.results().valueSerde().deserializer().deserialize(Topics.RESULTS, again.get(0).value());
            assertEquals("NO_MATCH", r.getDecision().name(), "0.6 < 0.65 after the update");
            assertEquals(0.65, r.getThreshold());
        }
    }

    /**
     * Another producer takes the loop's transactional id mid-stream (what a zombie instance or a
     * transaction timeout does): the loop must reopen its clients and go on, and every pair must
     * still get exactly one result on a read_committed consumer.
     */
    @Test
    void aFencedLoopReopensItsClientsAndLosesNothing() throws Exception {
        FixedModel model = new FixedModel();
        ExplainerLoopSettings settings = new ExplainerLoopSettings(kafka.clients(), "fence-it", "fence-it-0", 4,
                Duration.ofMillis(10));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        List<String> ids = new ArrayList<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ThresholdTable thresholds = new ThresholdTable(kafka.clients(), topics, m -> 0.5);
                ExplainerLoop loop = new ExplainerLoop(settings, topics, List.of(new ExplainerLoop.ServedModel(model)), thresholds,
                        new XssabMetrics(meters));
                KafkaProducer<String, byte[]> input = new KafkaProducer<>(p, new StringSerializer(),
                        new ByteArraySerializer());
                ResultReader results = new ResultReader()) {
            Thread thread = new Thread(loop::run, "fence-it-loop");
            thread.start();
            for (int i = 0; i < 20; i++) {
                ids.add(send(input, "before-" + i));
            }
            results.awaitAtLeast(5);

            Properties rogue = new Properties();
            rogue.putAll(p);
            rogue.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
            try (KafkaProducer<String, byte[]> zombie = new KafkaProducer<>(rogue, new StringSerializer(),
                    new ByteArraySerializer())) {
                zombie.initTransactions(); // bumps the epoch: the loop's producer is fenced from now on
            }
            for (int i = 0; i < 20; i++) {
                ids.add(send(input, "after-" + i));
            }
            results.awaitAtLeast(ids.size());
            results.drain(Duration.ofSeconds(3));
            loop.stop();
            thread.join(30_000);

            assertTrue(!thread.isAlive(), "the loop returns after stop()");
            assertTrue(clientRestarts(meters) >= 1, "the fenced clients were reopened");
            for (String id : ids) {
                assertEquals(1, results.ids.stream().filter(id::equals).count(), "results for " + id);
            }
            // Only this test's ids: other tests' loops (other groups) decide their pairs on the same topics.
            assertEquals(ids.size(), results.ids.stream().filter(ids::contains).count());
        }
    }

    private static String send(KafkaProducer<String, byte[]> producer, String id) throws Exception {
        ConsumerRecord<String, byte[]> r = aligned(0, id, 60, false);
        producer.send(new ProducerRecord<>(Topics.ALIGNED_PAIRS, id, r.value())).get();
        return id;
    }

    /** Request ids on the results topic, read_committed, from the beginning. */
    private static final class ResultReader implements AutoCloseable {
        final List<String> ids = new ArrayList<>();
        private final KafkaConsumer<String, byte[]> consumer;

        ResultReader() {
            this("fence-it-results", Topics.RESULTS);
        }

        /** Keys of {@code topic} (results or rejections: both are keyed by request id). */
        ResultReader(String group, String topic) {
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer = new KafkaConsumer<>(c,
                    new StringDeserializer(),
                    new ByteArrayDeserializer());
            consumer.subscribe(List.of(topic));
        }

        void awaitId(String id) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!ids.contains(id) && System.nanoTime() < deadline) {
                poll();
            }
            assertTrue(ids.contains(id), "no result for " + id);
        }

        void awaitAtLeast(int n) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (ids.size() < n && System.nanoTime() < deadline) {
                poll();
            }
            assertTrue(ids.size() >= n, "only " + ids.size() + " of " + n + " results");
        }

        void drain(Duration d) {
            long deadline = System.nanoTime() + d.toNanos();
            while (System.nanoTime() < deadline) {
                poll();
            }
        }

        private void poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> ids.add(r.key()));
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /**
     * The explainer ran while the registry was up, so its rejections' schema id is cached: an
     * outage misread as a malformed pair could then be written as a rejection (the test would
     * not notice otherwise, since the rejection could not be serialized either). The schemas are
     * registered at the main registry first: the one on {@code port} only replays the shared log
     * when it starts, and must not hand out ids of its own.
     */
    private static void warmUpRejections(ExplainerLoop loop, ExplainerLoop viaMainRegistry, int port) {
        ConsumerRecord<String, byte[]> garbage = new ConsumerRecord<>(Topics.ALIGNED_PAIRS, 0, 0, "warm-up", new byte[] {1, 2, 3});
        viaMainRegistry.process(List.of(garbage, aligned(1, "warm-up", 60, false)));
        try (SchemaRegistryServer up = kafka.registryOn(port)) {
            var out = loop.process(List.of(garbage));
            assertEquals(Topics.REJECTIONS, out.get(0).topic(), "a malformed pair is rejected at " + up.url());
        }
    }

    /**
     * An aligned pair that cannot be read because the registry is down is retried, not rejected as
     * malformed: once the registry is back, the same request is decided (one result, no rejection).
     */
    @Test
    void aRegistryOutageIsRetriedNotRejected() throws Exception {
        FixedModel model = new FixedModel();
        int port = LoopbackPorts.unused();
        Topics registryDown = KafkaWithRegistry.topicsWithRegistryAt(port);
        ExplainerLoopSettings settings = new ExplainerLoopSettings(kafka.clients(), "outage-it", "outage-it-0", 8,
                Duration.ofMillis(10));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ThresholdTable thresholds = new ThresholdTable(kafka.clients(), topics, m -> 0.5);
                ExplainerLoop loop = new ExplainerLoop(settings, registryDown, List.of(new ExplainerLoop.ServedModel(model)),
                        thresholds, new XssabMetrics(meters));
                ExplainerLoop viaMainRegistry = new ExplainerLoop(settings, topics, model, model, thresholds);
                KafkaProducer<String, byte[]> input = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
                ResultReader results = new ResultReader("outage-it-results", Topics.RESULTS);
                ResultReader rejections = new ResultReader("outage-it-rejections", Topics.REJECTIONS)) {
            warmUpRejections(loop, viaMainRegistry, port);
            assertThrows(SchemaRegistryUnavailableException.class, () -> loop.process(List.of(aligned(0, "outage", 60, false))),
                    "the batch fails as a whole and is read again after a pause; no MALFORMED_REQUEST rejection");
            send(input, "outage"); // written while the registry was up: readable bytes
            Thread thread = new Thread(loop::run, "outage-it-loop");
            thread.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (clientRestarts(meters) < 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(clientRestarts(meters) >= 1, "the loop backs off while the registry is down");
            assertTrue(!results.ids.contains("outage"), "not decided while the registry is down");
            try (SchemaRegistryServer back = kafka.registryOn(port)) {
                results.awaitId("outage");
                rejections.drain(Duration.ofSeconds(2));
                loop.stop();
                thread.join(30_000);
                assertTrue(!thread.isAlive(), "the loop returns after stop() (registry " + back.url() + ")");
            }
            results.drain(Duration.ofSeconds(1));
            assertEquals(1, results.ids.stream().filter("outage"::equals).count(), "one result for the request");
            assertEquals(0, rejections.ids.stream().filter("outage"::equals).count(), "no rejection for the request");
        }
    }
}
