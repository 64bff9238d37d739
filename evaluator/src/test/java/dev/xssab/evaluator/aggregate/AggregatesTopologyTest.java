package dev.xssab.evaluator.aggregate;

import dev.xssab.config.Replication;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.schemas.Decision;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ErrorRates;
import dev.xssab.schemas.avro.VerificationResult;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** FMR/FNMR against hand-computed values, with duplicates, late results and production traffic mixed in. */
class AggregatesTopologyTest {
    /** Confluent's mock:// registry: in memory, no broker, as a topology unit test wants. */
    private static final Topics topics = Topics.create(Map.of("schema.registry.url", "mock://aggregates-topology-test"));

    static VerificationResult result(String id, String variant, String strategy, int pct, boolean genuine, double score,
            long completedAt) {
        Map<String, String> tags = new HashMap<>();
        tags.put(EvaluationTags.RUN, "r1");
        tags.put(EvaluationTags.DATASET, "csv");
        tags.put(EvaluationTags.VARIANT, variant);
        tags.put(EvaluationTags.STRATEGY, strategy);
        tags.put(EvaluationTags.PERCENTAGE, Integer.toString(pct));
        tags.put(EvaluationTags.GENUINE, Boolean.toString(genuine));
        tags.put(EvaluationTags.THRESHOLD, "0.5");
        // The explainer's own threshold (0.9) differs on purpose: the run's t (0.5) must decide.
        return VerificationResult.newBuilder().setRequestId(id).setModelId("m").setScore(score).setThreshold(0.9)
                .setDecision(Decision.NO_MATCH).setExplained(false).setTags(tags).setSubmittedAtMs(Instant.ofEpochMilli(1))
                .setCompletedAtMs(Instant.ofEpochMilli(completedAt)).setGatewayMs(1).setModelMs(1).setBatchSize(1).build();
    }

    @Test
    void countsEachResultOnceAndDerivesTheRates() {
        try (TopologyTestDriver driver = new TopologyTestDriver(AggregatesTopology.buildTopology(topics, java.time.Duration.ofDays(7)),
                KafkaClients.plaintext("127.0.0.1:1").properties(AggregatesTopology.streamsConfig("agg-test", "/tmp/unused", Replication.SINGLE_NODE)))) {
            TestInputTopic<String, VerificationResult> in = driver.createInputTopic(Topics.RESULTS,
                    Serdes.String().serializer(), topics.results().valueSerde().serializer());
            TestOutputTopic<String, ErrorRates> out = driver.createOutputTopic(Topics.AGGREGATES,
                    Serdes.String().deserializer(), topics.aggregates().valueSerde().deserializer());

            // Originals: 3 genuine (scores .8, .6, .4 -> one false non-match), 2 impostor (.3, .7 -> one false match).
            in.pipeInput("g1", result("g1", "original", "none", 0, true, 0.8, 10));
            in.pipeInput("g2", result("g2", "original", "none", 0, true, 0.6, 11));
            in.pipeInput("i1", result("i1", "original", "none", 0, false, 0.3, 12));
            in.pipeInput("g3", result("g3", "original", "none", 0, true, 0.4, 13));
            // A duplicate of g3 (replayed): must not count again.
            in.pipeInput("g3", result("g3", "original", "none", 0, true, 0.4, 14));
            // Replaced cells, best_worst 5%: one impostor above t.
            in.pipeInput("b1", result("b1", "replaced", "best_worst", 5, false, 0.55, 15));
            // Production traffic (no run tag) is ignored.
            VerificationResult production = VerificationResult.newBuilder(result("p1", "original", "none", 0, true, 0.1, 16))
                    .setTags(Map.of()).build();
            in.pipeInput("p1", production);
            // A late result (completed before others) for the originals, on the evaluator's own results
            // topic (a run on a secured cluster): the family is read, not only the shared topic.
            TestInputTopic<String, VerificationResult> own = driver.createInputTopic(
                    Topics.outcomesFor(java.util.Optional.of("evaluator")).results(), Serdes.String().serializer(),
                    topics.results().valueSerde().serializer());
            own.pipeInput("i2", result("i2", "original", "none", 0, false, 0.7, 5));

            Map<String, ErrorRates> latest = new HashMap<>();
            out.readKeyValuesToList().forEach(kv -> latest.put(kv.key, kv.value));
            ErrorRates original = latest.get("r1|m|csv|original|none|0");
            assertEquals(3, original.getGenuine());
            assertEquals(1, original.getFalseNonMatches());
            assertEquals(2, original.getImpostor());
            assertEquals(1, original.getFalseMatches());
            assertEquals(1.0 / 3, original.getFnmr(), 1e-12);
            assertEquals(0.5, original.getFmr(), 1e-12);
            assertEquals(0.5, original.getThreshold());
            ErrorRates replaced = latest.get("r1|m|csv|replaced|best_worst|5");
            assertEquals(1, replaced.getImpostor());
            assertEquals(1.0, replaced.getFmr());
            assertEquals(0.0, replaced.getFnmr(), "no genuine pair yet: 0, not NaN");
            assertEquals(2, latest.size());

            KeyValueStore<String, ErrorRates> store = driver.getKeyValueStore(AggregatesTopology.AGGREGATES_STORE);
            assertEquals(original, store.get("r1|m|csv|original|none|0"), "the queryable table agrees with the topic");
            assertNull(store.get("r1|m|csv|patched|none|0"));
        }
    }

    @Test
    void ratesAreRightAfterEveryUpdate() {
        try (TopologyTestDriver driver = new TopologyTestDriver(AggregatesTopology.buildTopology(topics, java.time.Duration.ofDays(7)),
                KafkaClients.plaintext("127.0.0.1:1").properties(AggregatesTopology.streamsConfig("agg-test-2", "/tmp/unused", Replication.SINGLE_NODE)))) {
            TestInputTopic<String, VerificationResult> in = driver.createInputTopic(Topics.RESULTS,
                    Serdes.String().serializer(), topics.results().valueSerde().serializer());
            TestOutputTopic<String, ErrorRates> out = driver.createOutputTopic(Topics.AGGREGATES,
                    Serdes.String().deserializer(), topics.aggregates().valueSerde().deserializer());
            double[] scores = {0.9, 0.1, 0.2, 0.95};
            double[] expectedFnmr = {0, 0.5, 2.0 / 3, 0.5};
            for (int i = 0; i < scores.length; i++) {
                in.pipeInput("g" + i, result("g" + i, "patched", "none", 0, true, scores[i], i));
                assertEquals(expectedFnmr[i], out.readValue().getFnmr(), 1e-12, "after result " + i);
            }
        }
    }

    @Test
    void theCountsChangelogsAreReplicatedAsDeclared() {
        Replication three = new Replication((short) 3, 2, (short) 3);
        var config = KafkaClients.plaintext("127.0.0.1:1").properties(AggregatesTopology.streamsConfig("agg", "/tmp/unused", three));
        assertEquals(3, config.get(org.apache.kafka.streams.StreamsConfig.REPLICATION_FACTOR_CONFIG));
        assertEquals("2", config.get(org.apache.kafka.streams.StreamsConfig.topicPrefix("min.insync.replicas")));
    }
}
