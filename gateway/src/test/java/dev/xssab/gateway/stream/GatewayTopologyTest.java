package dev.xssab.gateway.stream;

import dev.xssab.config.Replication;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.faces.PreprocessingException;
import dev.xssab.observability.XssabMetrics;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.AlignedFaceImage;
import dev.xssab.schemas.avro.AlignedPair;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.schemas.serde.SchemaRegistryUnavailableException;
import dev.xssab.registry.testing.KafkaWithRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/**
 * The gateway topology under TopologyTestDriver. Faces come from a fixed-output aligner (the
 * real one is tested in the face package and end to end); the serdes talk to the real registry.
 */
class GatewayTopologyTest {

    /** Confluent's mock:// registry: in memory, no broker and no HTTP, as a unit test of a topology wants. */
    private static final Topics topics = Topics.create(Map.of("schema.registry.url", "mock://gateway-topology-test"));

    /** Accepts any image whose first byte is 'F' (a "face"); refuses others with NO_FACE. */
    static final class FixedAligner implements PairAligner {
        @Override
        public AlignedFaceImage align(byte[] image, boolean alreadyAligned, String modelId) throws PreprocessingException {
            if (image.length == 0) {
                throw new PreprocessingException(ReasonCode.EMPTY_IMAGE, "the image has no bytes");
            }
            if (image[0] != 'F') {
                throw new PreprocessingException(ReasonCode.NO_FACE, "no face was found in the image");
            }
            return AlignedFaceImage.newBuilder().setWidth(1).setHeight(1).setRgb(ByteBuffer.wrap(new byte[3]))
                    .setDetectionScore(1f).setFitErrorPx(0f).build();
        }

        @Override
        public void close() {}
    }

    static VerificationRequest request(String id, String probe, String reference) {
        return VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.ofEpochMilli(1))
                .setProbe(ByteBuffer.wrap(probe.getBytes(StandardCharsets.UTF_8)))
                .setReference(ByteBuffer.wrap(reference.getBytes(StandardCharsets.UTF_8)))
                .setTags(Map.of("run", "r1")).build();
    }

    @Test
    void everyRequestGivesExactlyOneAlignedPairOrOneRejection() {
        Properties config = KafkaClients.plaintext("127.0.0.1:1").properties(GatewayTopology.streamsConfig("gateway-test", "/tmp/unused", 1,
                Replication.SINGLE_NODE));
        try (TopologyTestDriver driver = new TopologyTestDriver(
                GatewayTopology.buildTopology(topics, FixedAligner::new, anyPrincipal(Duration.ofMinutes(10))), config)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic(Topics.REQUESTS, Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<String, AlignedPair> aligned = driver.createOutputTopic(Topics.ALIGNED_PAIRS,
                    Serdes.String().deserializer(), topics.alignedPairs().valueSerde().deserializer());
            TestOutputTopic<String, Rejection> rejected = driver.createOutputTopic(Topics.REJECTIONS,
                    Serdes.String().deserializer(), topics.rejections().valueSerde().deserializer());
            var ser = topics.requests().valueSerde().serializer();

            in.pipeInput("a", ser.serialize(Topics.REQUESTS, request("a", "Face1", "Face2")));
            in.pipeInput("b", ser.serialize(Topics.REQUESTS, request("b", "Face1", "tree")));
            in.pipeInput("c", ser.serialize(Topics.REQUESTS, request("c", "", "Face2")));
            in.pipeInput("a", ser.serialize(Topics.REQUESTS, request("a", "Face1", "Face2")));
            byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
            in.pipeInput("d", garbage);

            List<AlignedPair> pairs = aligned.readValuesToList();
            assertEquals(1, pairs.size());
            assertEquals("a", pairs.get(0).getRequestId());
            assertEquals(Map.of("run", "r1"), pairs.get(0).getTags());

            var rejectionList = rejected.readKeyValuesToList();
            assertEquals(4, rejectionList.size(), "one rejection each for b, c, duplicate a, d");
            Map<String, Rejection> rejections = new java.util.HashMap<>();
            rejectionList.forEach(kv -> rejections.put(kv.key, kv.value));
            assertEquals(ReasonCode.NO_FACE, rejections.get("b").getReason());
            assertTrue(rejections.get("b").getMessage().startsWith("reference:"), rejections.get("b").getMessage());
            assertEquals(ReasonCode.EMPTY_IMAGE, rejections.get("c").getReason());
            assertEquals(ReasonCode.DUPLICATE_REQUEST, rejections.get("a").getReason());
            Rejection malformed = rejections.get("d");
            assertEquals(ReasonCode.MALFORMED_REQUEST, malformed.getReason());
            byte[] kept = new byte[malformed.getOriginalValue().remaining()];
            malformed.getOriginalValue().get(kept);
            assertEquals("not avro at all", new String(kept, StandardCharsets.UTF_8), "the original bytes are kept for replay");
        }
    }

    /**
     * Who submitted a request is authenticated only on a client's own topic; a request's own
     * threshold is honoured only from the evaluation principals, never from the shared topic.
     */
    @Test
    void submitterAndEvaluationThresholdFollowTheTopicTheRequestCameThrough() {
        Properties config = KafkaClients.plaintext("127.0.0.1:1").properties(GatewayTopology.streamsConfig("gateway-auth", "/tmp/unused", 1,
                Replication.SINGLE_NODE));
        try (TopologyTestDriver driver = new TopologyTestDriver(GatewayTopology.buildTopology(topics, FixedAligner::new,
                new GatewayTopology.Options(Duration.ofMinutes(10), Set.of("evaluator"),
                XssabMetrics.unregistered())), config)) {
            var ser = topics.requests().valueSerde().serializer();
            TestInputTopic<String, byte[]> shared = driver.createInputTopic(Topics.REQUESTS, Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestInputTopic<String, byte[]> door = driver.createInputTopic(Topics.requestsFrom("door-7"),
                    Serdes.String().serializer(), Serdes.ByteArray().serializer());
            TestInputTopic<String, byte[]> evaluator = driver.createInputTopic(Topics.requestsFrom("evaluator"),
                    Serdes.String().serializer(), Serdes.ByteArray().serializer());
            TestOutputTopic<String, AlignedPair> aligned = driver.createOutputTopic(Topics.ALIGNED_PAIRS,
                    Serdes.String().deserializer(), topics.alignedPairs().valueSerde().deserializer());
            TestOutputTopic<String, Rejection> rejected = driver.createOutputTopic(Topics.REJECTIONS,
                    Serdes.String().deserializer(), topics.rejections().valueSerde().deserializer());

            VerificationRequest anonymous = request("s1", "Face1", "Face2");
            anonymous.setClientId("claims-to-be-door-7");
            shared.pipeInput("s1", ser.serialize(Topics.REQUESTS, anonymous));
            door.pipeInput("d1", ser.serialize(Topics.REQUESTS, request("d1", "Face1", "Face2")));
            VerificationRequest sneaky = request("d2", "Face1", "Face2");
            sneaky.setEvaluationThreshold(-1.0);
            door.pipeInput("d2", ser.serialize(Topics.REQUESTS, sneaky));
            VerificationRequest unsigned = request("s2", "Face1", "Face2");
            unsigned.setEvaluationThreshold(0.1);
            shared.pipeInput("s2", ser.serialize(Topics.REQUESTS, unsigned));
            VerificationRequest evaluation = request("e1", "Face1", "Face2");
            evaluation.setEvaluationThreshold(0.37);
            evaluator.pipeInput("e1", ser.serialize(Topics.REQUESTS, evaluation));

            Map<String, AlignedPair> pairs = new java.util.HashMap<>();
            aligned.readValuesToList().forEach(p -> pairs.put(p.getRequestId(), p));
            assertEquals(Set.of("s1", "d1", "e1"), pairs.keySet());
            assertEquals("claims-to-be-door-7", pairs.get("s1").getSubmittedBy());
            assertFalse(pairs.get("s1").getSubmitterAuthenticated(), "a clientId on the shared topic is only a claim");
            assertEquals("door-7", pairs.get("d1").getSubmittedBy());
            assertTrue(pairs.get("d1").getSubmitterAuthenticated());
            assertNull(pairs.get("d1").getEvaluationThreshold());
            assertEquals(0.37, pairs.get("e1").getEvaluationThreshold());
            // A door's rejection (it holds the door's faces) goes to the door's own dead-letter topic only.
            TestOutputTopic<String, Rejection> doorRejected = driver.createOutputTopic(Topics.outcomesFor(Optional.of("door-7")).rejections(),
                    Serdes.String().deserializer(), topics.rejections().valueSerde().deserializer());
            List<Rejection> own = doorRejected.readValuesToList();
            assertEquals(List.of("d2"), own.stream().map(Rejection::getRequestId).toList());
            assertEquals(ReasonCode.THRESHOLD_NOT_ALLOWED, own.get(0).getReason(), "a door may not bring its own t");
            List<Rejection> sharedRejections = rejected.readValuesToList();
            assertEquals(List.of("s2"), sharedRejections.stream().map(Rejection::getRequestId).toList());
            assertEquals(ReasonCode.THRESHOLD_NOT_ALLOWED, sharedRejections.get(0).getReason());
        }
    }

    @Test
    void aRequestIdIsAcceptedAgainAfterTheWindow() {
        Properties config = KafkaClients.plaintext("127.0.0.1:1").properties(GatewayTopology.streamsConfig("gateway-test-window", "/tmp/unused", 1,
                Replication.SINGLE_NODE));
        try (TopologyTestDriver driver = new TopologyTestDriver(
                GatewayTopology.buildTopology(topics, FixedAligner::new, anyPrincipal(Duration.ofSeconds(30))), config)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic(Topics.REQUESTS, Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<String, AlignedPair> aligned = driver.createOutputTopic(Topics.ALIGNED_PAIRS,
                    Serdes.String().deserializer(), topics.alignedPairs().valueSerde().deserializer());
            var ser = topics.requests().valueSerde().serializer();
            in.pipeInput("a", ser.serialize(Topics.REQUESTS, request("a", "Face1", "Face2")));
            driver.advanceWallClockTime(Duration.ofSeconds(31));
            in.pipeInput("a", ser.serialize(Topics.REQUESTS, request("a", "Face1", "Face2")));
            assertEquals(2, aligned.readValuesToList().size());
        }
    }

    /**
     * A request that cannot be read because the registry is down is not malformed: the task
     * fails (its thread is replaced and the record retried from the last commit) and no
     * rejection is written.
     */
    @Test
    void aRegistryOutageFailsTheTaskInsteadOfRejectingAGoodRequest() {
        Topics registryDown = KafkaWithRegistry.topicsWithRegistryDown();
        Properties config = KafkaClients.plaintext("127.0.0.1:1").properties(GatewayTopology.streamsConfig("gateway-test-outage", "/tmp/unused", 1,
                Replication.SINGLE_NODE));
        try (TopologyTestDriver driver = new TopologyTestDriver(
                GatewayTopology.buildTopology(registryDown, FixedAligner::new, anyPrincipal(Duration.ofMinutes(10))), config)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic(Topics.REQUESTS, Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<String, Rejection> rejected = driver.createOutputTopic(Topics.REJECTIONS,
                    Serdes.String().deserializer(), topics.rejections().valueSerde().deserializer());
            byte[] good = topics.requests().valueSerde().serializer().serialize(Topics.REQUESTS, request("a", "Face1", "Face2"));

            StreamsException failed = assertThrows(StreamsException.class, () -> in.pipeInput("a", good));
            Throwable cause = failed;
            while (cause != null && !(cause instanceof SchemaRegistryUnavailableException)) {
                cause = cause.getCause();
            }
            assertTrue(cause != null, "caused by the registry being unavailable: " + failed);
            assertTrue(rejected.isEmpty(), "a good request is never rejected for the registry's outage");
        }
    }

    @Test
    void theDedupStoresChangelogIsReplicatedAsDeclared() {
        Replication three = new Replication((short) 3, 2, (short) 3);
        var config = KafkaClients.plaintext("127.0.0.1:1").properties(GatewayTopology.streamsConfig("gw", "/tmp/unused", 1, three));
        assertEquals(3, config.get(org.apache.kafka.streams.StreamsConfig.REPLICATION_FACTOR_CONFIG));
        assertEquals("2", config.get(org.apache.kafka.streams.StreamsConfig.topicPrefix("min.insync.replicas")));
    }

    /** Any principal may bring a threshold; meters go nowhere. */
    static GatewayTopology.Options anyPrincipal(java.time.Duration dedupWindow) {
        return new GatewayTopology.Options(dedupWindow, java.util.Set.of(GatewayTopology.ANY_PRINCIPAL),
                dev.xssab.observability.XssabMetrics.unregistered());
    }
}
