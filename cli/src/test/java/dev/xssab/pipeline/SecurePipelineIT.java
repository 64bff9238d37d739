package dev.xssab.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.audit.AuditStore;
import dev.xssab.broker.SecureNode;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.ClusterAccess;
import dev.xssab.schemas.Decision;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.kafka.client.PipelineClient;
import dev.xssab.kafka.client.PipelineClientException;
import dev.xssab.schemas.serde.SchemaRegistryAccessDeniedException;
import dev.xssab.schemas.serde.SchemaRegistryClient;
import dev.xssab.testkit.SharedData;
import dev.xssab.testkit.pipeline.Pipeline;
import dev.xssab.testkit.pipeline.PipelineCluster;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a secured cluster: the in-JVM KRaft broker on SASL_SSL (SCRAM-SHA-512,
 * certificates made for this test, the StandardAuthorizer with no ACL meaning no access), every
 * service as its own principal with only the ACLs of {@link ClusterAccess}, and the registry on
 * https with basic authentication. Then each kind of refusal, which must name its cause and come
 * within 60 s.
 */
class SecurePipelineIT {
    @TempDir
    Path tmp;

    @Test
    void aSecuredClusterDecidesExplainsAuditsAndRefusesWhatItShould() throws Exception {
        Path faces = SharedData.deepface();
        try (Pipeline pipeline = Pipeline.builder(tmp).secure().named("sec").start()) {
            PipelineCluster cluster = pipeline.cluster();
            SecureNode security = cluster.security();
            assertTrue(cluster.registryUrl().startsWith("https://"));
            String id = "secure-1";
            // submit -> result + explanation, as the client principal through its own topic.
            try (PipelineClient client = new PipelineClient(cluster.clientsFor(ClusterAccess.CLIENT),
                    cluster.topicsFor(ClusterAccess.CLIENT), ClusterAccess.CLIENT)) {
                client.send(request(id, faces, true));
                client.flush();
                PipelineClient.Outcome o = client.await(id, true, Duration.ofMinutes(4));
                assertNotNull(o, "an outcome within 4 minutes");
                assertEquals(null, o.rejection(), () -> "rejected: " + o.rejection());
                assertEquals(Decision.MATCH, o.result().getDecision(), "img1 and img2 are one person");
                assertNotNull(o.explanation(), "the explanation came");
                assertEquals(ClusterAccess.CLIENT, o.result().getSubmittedBy());
                assertTrue(o.result().getSubmitterAuthenticated());
            }
            // -> audit, with the authenticated submitter.
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            AuditStore.Row row = null;
            while (row == null && System.nanoTime() < deadline) {
                row = pipeline.audit().store().result(id).orElse(null);
                Thread.sleep(300);
            }
            assertNotNull(row, "the audit sink stored the decision");
            assertEquals(ClusterAccess.CLIENT, row.submittedBy());
            assertTrue(row.submitterAuthenticated(), "the broker vouched for the submitter");

            Topics clientTopics = cluster.topicsFor(ClusterAccess.CLIENT);
            // No credentials at all: the broker speaks TLS and wants SASL; the error says so.
            long t0 = System.nanoTime();
            PipelineClientException none = assertThrows(PipelineClientException.class,
                    () -> new PipelineClient(KafkaClients.plaintext(cluster.bootstrapServers()), clientTopics, null).close());
            assertTrue(none.getMessage().contains("requires authentication"), none.getMessage());
            assertWithinAMinute(t0, "no credentials");

            // SASL_SSL without any credentials: the client cannot even be built, and says why.
            t0 = System.nanoTime();
            Map<String, Object> noLogin = new HashMap<>(security.clientSettings(ClusterAccess.CLIENT));
            noLogin.remove("sasl.jaas.config");
            PipelineClientException noJaas = assertThrows(PipelineClientException.class,
                    () -> new PipelineClient(new KafkaClients(cluster.bootstrapServers(), noLogin), clientTopics, null).close());
            assertTrue(noJaas.getMessage().contains("JAAS"), noJaas.getMessage());
            assertWithinAMinute(t0, "no credentials with SASL_SSL");

            // A wrong password.
            t0 = System.nanoTime();
            Map<String, Object> wrong = new HashMap<>(security.clientSettings(ClusterAccess.CLIENT));
            wrong.put("sasl.jaas.config", SecureNode.jaas(ClusterAccess.CLIENT, "not-the-password"));
            PipelineClientException badPassword = assertThrows(PipelineClientException.class,
                    () -> new PipelineClient(new KafkaClients(cluster.bootstrapServers(), wrong), clientTopics, null).close());
            assertTrue(badPassword.getMessage().startsWith("authentication failed"), badPassword.getMessage());
            assertWithinAMinute(t0, "wrong password");

            // An ACL missing: the client may read only its own outcome topics, not the shared ones ...
            t0 = System.nanoTime();
            PipelineClientException noRead = assertThrows(PipelineClientException.class,
                    () -> new PipelineClient(cluster.clientsFor(ClusterAccess.CLIENT), clientTopics, null).close());
            assertTrue(noRead.getMessage().contains("not authorized") && noRead.getMessage().contains(Topics.RESULTS), noRead.getMessage());
            assertWithinAMinute(t0, "missing ACL to read");
            // ... and may write only its own request topic, not the shared one.
            t0 = System.nanoTime();
            try (KafkaProducer<String, byte[]> shared = cluster.clientsFor(ClusterAccess.CLIENT).producer(Map.of(ProducerConfig.ACKS_CONFIG,
                    "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000), new StringSerializer(), new ByteArraySerializer())) {
                ExecutionException denied = assertThrows(ExecutionException.class, () -> shared.send(new ProducerRecord<>(Topics.REQUESTS,
                        "secure-2", clientTopics.requests().valueSerde().serializer().serialize(Topics.REQUESTS,
                                request("secure-2", faces, false)))).get());
                assertTrue(denied.getCause() instanceof TopicAuthorizationException, denied.toString());
            }
            assertWithinAMinute(t0, "missing ACL to write");
            // ... and the gateway cannot read results.
            try (var consumer = cluster.clientsFor(ClusterAccess.GATEWAY).consumer(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false), new StringDeserializer(), new ByteArrayDeserializer())) {
                assertThrows(TopicAuthorizationException.class, () -> consumer.partitionsFor(Topics.RESULTS));
            }

            // The registry without credentials: 401.
            SchemaRegistryClient anonymous = new SchemaRegistryClient(Map.of("schema.registry.url", cluster.registryUrl(),
                    "schema.registry.ssl.truststore.location", security.truststore().toString(),
                    "schema.registry.ssl.truststore.password", security.storePassword()));
            SchemaRegistryAccessDeniedException unauthorized = assertThrows(SchemaRegistryAccessDeniedException.class,
                    () -> anonymous.get("/subjects"));
            assertEquals(401, unauthorized.status());
            // A reader may not register.
            SchemaRegistryAccessDeniedException forbidden = assertThrows(SchemaRegistryAccessDeniedException.class,
                    () -> new SchemaRegistryClient(cluster.registryConfig(ClusterAccess.AUDIT)).register(
                            "x-value", org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING)));
            assertEquals(403, forbidden.status());
        }
    }

    private static void assertWithinAMinute(long startNanos, String what) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        assertTrue(seconds < 60, what + " took " + seconds + " s to be refused");
    }

    private static VerificationRequest request(String id, Path faces, boolean explain) throws Exception {
        return VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now()).setClientId("door-1")
                .setProbe(ByteBuffer.wrap(Files.readAllBytes(faces.resolve("img1.jpg"))))
                .setReference(ByteBuffer.wrap(Files.readAllBytes(faces.resolve("img2.jpg")))).setExplain(explain).build();
    }
}
