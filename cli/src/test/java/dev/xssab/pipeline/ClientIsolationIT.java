package dev.xssab.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.audit.AuditStore;
import dev.xssab.kafka.ClusterAccess;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.client.PipelineClient;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.testkit.SharedData;
import dev.xssab.testkit.pipeline.Pipeline;
import dev.xssab.testkit.pipeline.PipelineCluster;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two doors on one secured broker: each reads the outcomes of its own requests (results,
 * explanations with both aligned faces, rejections with the original request), by assignment and
 * through a group of its own prefix, and is refused every other door's, by the broker's ACLs.
 * The audit and the UI read across doors.
 */
class ClientIsolationIT {
    private static final String DOOR_A = "door-a";
    private static final String DOOR_B = "door-b";
    private static final Duration OUTCOME = Duration.ofMinutes(4);

    @TempDir
    Path tmp;

    @Test
    void aDoorReadsItsOwnOutcomesAndNoOtherDoorCan() throws Exception {
        Path faces = SharedData.deepface();
        try (Pipeline pipeline = Pipeline.builder(tmp).secure(DOOR_A, DOOR_B).named("iso")
                .services(Pipeline.Stage.GATEWAY, Pipeline.Stage.EXPLAINER, Pipeline.Stage.AUDIT).start()) {
            PipelineCluster cluster = pipeline.cluster();
            Topics.Outcomes aOutcomes = Topics.outcomesFor(Optional.of(DOOR_A));
            // Door A, by assignment: a decided and explained pair, and a rejected one.
            try (PipelineClient a = new PipelineClient(cluster.clientsFor(DOOR_A), cluster.topicsFor(DOOR_A), DOOR_A)) {
                a.send(request("iso-1", faces, true));
                a.send(VerificationRequest.newBuilder(request("iso-2", faces, false)).setProbe(ByteBuffer.allocate(0)).build());
                a.flush();
                PipelineClient.Outcome decided = a.await("iso-1", true, OUTCOME);
                assertNotNull(decided, "door A's own result and explanation within 4 minutes");
                assertNotNull(decided.explanation(), "door A reads its explanation");
                assertEquals(DOOR_A, decided.result().getSubmittedBy());
                PipelineClient.Outcome rejected = a.await("iso-2", false, OUTCOME);
                assertNotNull(rejected, "door A's own rejection");
                assertEquals(ReasonCode.EMPTY_IMAGE, rejected.rejection().getReason());
            }
            // Door A through a group of its own prefix: it joins, reads a new outcome and commits.
            try (PipelineClient a = new PipelineClient(cluster.clientsFor(DOOR_A), cluster.topicsFor(DOOR_A), DOOR_A, DOOR_A + ".reader")) {
                a.send(request("iso-3", faces, false));
                a.flush();
                assertNotNull(a.await("iso-3", false, OUTCOME), "door A reads through its group");
                a.commit();
            }
            // Door A's outcomes are on its own topics, and only there.
            assertEquals(Set.of("iso-1"), idsOn(cluster.clientsFor(DOOR_A), aOutcomes.explanations()));
            assertEquals(Set.of("iso-2"), idsOn(cluster.clientsFor(DOOR_A), aOutcomes.rejections()));
            doorBIsRefused(cluster, aOutcomes);
            theAuditAndTheUiReadAcrossDoors(pipeline, aOutcomes);
        }
    }

    private static void doorBIsRefused(PipelineCluster cluster, Topics.Outcomes aOutcomes) {
        KafkaClients b = cluster.clientsFor(DOOR_B);
        List<String> notB = List.of(aOutcomes.results(), aOutcomes.explanations(), aOutcomes.rejections(), Topics.RESULTS,
                Topics.EXPLANATIONS, Topics.REJECTIONS);
        for (String topic : notB) {
            try (Consumer<String, byte[]> c = consumer(b, Map.of())) {
                assertThrows(TopicAuthorizationException.class, () -> c.partitionsFor(topic), "door B on " + topic);
            }
            try (Consumer<String, byte[]> c = consumer(b, Map.of())) {
                c.assign(List.of(new TopicPartition(topic, 0)));
                c.seekToBeginning(List.of(new TopicPartition(topic, 0)));
                assertThrows(TopicAuthorizationException.class, () -> pollFor(c, Duration.ofSeconds(30)), "door B reading " + topic);
            }
        }
        // Another door's group prefix is refused even on B's own topic; B's own prefix is not.
        String bResults = Topics.outcomesFor(Optional.of(DOOR_B)).results();
        try (Consumer<String, byte[]> c = consumer(b, Map.of(ConsumerConfig.GROUP_ID_CONFIG, DOOR_A + ".x"))) {
            c.subscribe(List.of(bResults));
            assertThrows(GroupAuthorizationException.class, () -> pollFor(c, Duration.ofSeconds(30)), "door B in door A's group");
        }
        try (Consumer<String, byte[]> c = consumer(b, Map.of(ConsumerConfig.GROUP_ID_CONFIG, DOOR_B + ".x"))) {
            c.subscribe(List.of(bResults));
            pollFor(c, Duration.ofSeconds(5));
            c.commitSync();
        }
    }

    private static void theAuditAndTheUiReadAcrossDoors(Pipeline pipeline, Topics.Outcomes aOutcomes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Optional<AuditStore.Row> row = Optional.empty();
        while (row.isEmpty() && System.nanoTime() < deadline) {
            row = pipeline.audit().store().result("iso-1");
            Thread.sleep(300);
        }
        assertTrue(row.isPresent(), "the audit stored door A's decision");
        assertEquals(DOOR_A, row.get().submittedBy());
        assertTrue(pipeline.audit().store().explanation("iso-1").isPresent(), "the audit stored door A's explanation");
        KafkaClients ui = pipeline.cluster().clientsFor(ClusterAccess.UI);
        assertTrue(idsOn(ui, aOutcomes.results()).containsAll(Set.of("iso-1", "iso-3")), "the UI reads door A's results");
        assertEquals(Set.of("iso-2"), idsOn(ui, aOutcomes.rejections()), "the UI reads door A's dead letters");
        try (Consumer<String, byte[]> c = consumer(ui, Map.of())) {
            assertThrows(TopicAuthorizationException.class, () -> c.partitionsFor(aOutcomes.explanations()),
                    "the UI draws faces from the audit store, never from the explanations topics");
        }
    }

    /** The keys of every committed record of {@code topic}, read from the beginning by assignment. */
    private static Set<String> idsOn(KafkaClients clients, String topic) {
        Set<String> ids = new HashSet<>();
        try (Consumer<String, byte[]> c = consumer(clients, Map.of())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> ids.add(r.key()));
            }
        }
        return ids;
    }

    private static Consumer<String, byte[]> consumer(KafkaClients clients, Map<String, Object> more) {
        Map<String, Object> settings = new java.util.HashMap<>(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES));
        settings.putAll(more);
        return clients.consumer(settings, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Polls for {@code time}; an authorization error comes out of poll. */
    private static void pollFor(Consumer<String, byte[]> c, Duration time) {
        long deadline = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(200));
        }
    }

    private static VerificationRequest request(String id, Path faces, boolean explain) throws Exception {
        return VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now()).setClientId("door")
                .setProbe(ByteBuffer.wrap(Files.readAllBytes(faces.resolve("img1.jpg"))))
                .setReference(ByteBuffer.wrap(Files.readAllBytes(faces.resolve("img2.jpg")))).setExplain(explain).build();
    }
}
