package dev.xssab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.CheckedProducer;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ModelThreshold;
import dev.xssab.schemas.serde.SchemaRegistryClient;
import dev.xssab.schemas.serde.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.ConfluentKafkaContainer;

/**
 * The project's serde and clients against the real Confluent Schema Registry and Kafka images,
 * not against the project's own registry: the wire-format and REST compatibility claim, checked
 * against the original. Needs Docker; skipped (and says so) where there is none.
 */
@Testcontainers(disabledWithoutDocker = true)
class ConfluentCompatibilityIT {
    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final ConfluentKafkaContainer KAFKA = new ConfluentKafkaContainer("confluentinc/cp-kafka:7.8.0")
            .withNetwork(NETWORK).withListener("kafka:19092");

    @Container
    static final GenericContainer<?> REGISTRY = new GenericContainer<>("confluentinc/cp-schema-registry:7.8.0")
            .withNetwork(NETWORK).dependsOn(KAFKA).withExposedPorts(8081)
            .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
            .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
            .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));

    @Test
    void ourSerdeSpeaksConfluentsWireFormatAndRestApi() throws Exception {
        String url = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081);
        KafkaClients clients = KafkaClients.plaintext(KAFKA.getBootstrapServers());
        Topics topics = Topics.create(Map.of("schema.registry.url", url, "auto.register.schemas", true, "specific.avro.reader", true));
        ModelThreshold t = ModelThreshold.newBuilder().setModelId("m").setThreshold(0.42).setSource("confluent-it")
                .setUpdatedAtMs(Instant.ofEpochMilli(1000)).build();
        byte[] bytes = topics.thresholds().valueSerde().serializer().serialize(Topics.THRESHOLDS, t);

        // Confluent's registry assigned the id our bytes carry, under TopicNameStrategy's subject.
        SchemaRegistryClient rest = new SchemaRegistryClient(url);
        int id = rest.get("/subjects/" + Topics.THRESHOLDS + "-value/versions/latest").get("id").asInt();
        assertEquals(0, bytes[0], "magic byte");
        assertEquals(id, ByteBuffer.wrap(bytes, 1, 4).getInt(), "the schema id Confluent's registry gave");
        assertEquals(ModelThreshold.getClassSchema(), new Schema.Parser().parse(rest.get("/schemas/ids/" + id).get("schema")
                .asText()));

        // Through a real Kafka and back.
        try (CheckedProducer producer = new CheckedProducer(clients, Map.of())) {
            producer.send(new ProducerRecord<>(Topics.THRESHOLDS, "m", bytes));
        }
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.THRESHOLDS, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            ConsumerRecord<String, byte[]> r = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (r == null && System.nanoTime() < deadline) {
                var polled = consumer.poll(Duration.ofMillis(500));
                r = polled.isEmpty() ? null : polled.iterator().next();
            }
            assertEquals(t, topics.thresholds().valueSerde().deserializer().deserialize(Topics.THRESHOLDS, r.value()));
        }

        // Confluent's error codes reach our client as they are: an incompatible schema is 409.
        Schema incompatible = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"ModelThreshold\","
                + "\"namespace\":\"dev.xssab.schemas.avro\",\"fields\":[{\"name\":\"other\",\"type\":\"int\"}]}");
        SchemaRegistryException refused = assertThrows(SchemaRegistryException.class,
                () -> rest.register(Topics.THRESHOLDS + "-value", incompatible));
        assertEquals(409, refused.errorCode(), refused.getMessage());
        assertTrue(rest.get("/subjects").toString().contains(Topics.THRESHOLDS + "-value"));
    }
}
