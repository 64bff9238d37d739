package dev.xssab.explainer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.xssab.broker.LoopbackPorts;
import dev.xssab.config.Replication;
import dev.xssab.kafka.TopicAdmin;
import dev.xssab.registry.SchemaRegistryServer;
import dev.xssab.registry.testing.KafkaWithRegistry;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ModelThreshold;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The threshold follower keeps following: past a record it cannot decode, and through a registry
 * outage, during which it reports not-ready. Real broker, real registry.
 */
class ThresholdTableIT {
    private static KafkaWithRegistry kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaWithRegistry.start();
        TopicAdmin.ensureTopics(kafka.clients(), kafka.topics(), 1, Replication.SINGLE_NODE);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void anUndecodableRecordIsSkippedAndLaterThresholdsApply() throws Exception {
        try (ThresholdTable table = new ThresholdTable(kafka.clients(), kafka.topics(), m -> 0.5)) {
            publish("poison-before", 0.61);
            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(kafka.clients().properties(Map.of()),
                    new StringSerializer(), new ByteArraySerializer())) {
                // Not the Confluent wire format (no magic byte 0 + schema id): no reader can ever decode it.
                raw.send(new ProducerRecord<>(Topics.THRESHOLDS, "poison", "not avro".getBytes(StandardCharsets.UTF_8))).get();
            }
            publish("poison-after", 0.62);
            awaitTrue(() -> table.thresholdFor("poison-after") == 0.62, "a threshold published after the poisoned record");
            assertEquals(0.61, table.thresholdFor("poison-before"));
            assertEquals(0.5, table.thresholdFor("poison"), "the undecodable record changes nothing");
            assertNull(table.problem(), "the table follows the topic");
            publish("poison-after", 0.63);
            awaitTrue(() -> table.thresholdFor("poison-after") == 0.63, "the table still follows afterwards");
        }
    }

    @Test
    void aRegistryOutageIsReportedAndRetried() throws Exception {
        publish("outage-before", 0.71);
        int port = LoopbackPorts.unused();
        try (ThresholdTable table = new ThresholdTable(kafka.clients(), KafkaWithRegistry.topicsWithRegistryAt(port), m -> 0.5)) {
            assertFalse(table.awaitCaughtUp(Duration.ofSeconds(3)), "nothing can be read while the registry is down");
            assertNotNull(table.problem(), "readiness is red while the table cannot follow");
            awaitTrue(() -> table.problem() != null && table.problem().contains("cannot follow"), "the failure is reported");
            assertEquals(0.5, table.thresholdFor("outage-before"), "the fallback meanwhile");
            try (SchemaRegistryServer back = kafka.registryOn(port)) {
                awaitTrue(() -> table.problem() == null, "ready again once the registry on " + back.url() + " answers");
                assertEquals(0.71, table.thresholdFor("outage-before"));
                publish("outage-after", 0.72);
                awaitTrue(() -> table.thresholdFor("outage-after") == 0.72, "a threshold published after the outage");
            }
        }
    }

    private static void publish(String model, double t) throws Exception {
        try (KafkaProducer<String, ModelThreshold> producer = new KafkaProducer<>(kafka.clients().properties(Map.of()),
                new StringSerializer(), kafka.topics().thresholds().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.THRESHOLDS, model, ModelThreshold.newBuilder().setModelId(model)
                    .setThreshold(t).setSource("test").setUpdatedAtMs(Instant.now()).build())).get();
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        if (!condition.getAsBoolean()) {
            throw new AssertionError("timed out waiting for: " + what);
        }
    }
}
