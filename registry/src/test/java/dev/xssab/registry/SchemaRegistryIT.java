package dev.xssab.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xssab.broker.LoopbackPorts;
import dev.xssab.config.Replication;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ModelThreshold;
import dev.xssab.schemas.serde.AvroDeserializer;
import dev.xssab.schemas.serde.AvroSerializer;
import dev.xssab.schemas.serde.SchemaRegistryClient;
import dev.xssab.schemas.serde.SchemaRegistryException;
import dev.xssab.schemas.serde.SchemaRegistryUnavailableException;
import dev.xssab.testkit.EmbeddedKafkaBroker;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry on a real in-JVM broker: Confluent paths, codes, compatibility, restart replay; the wire format. */
class SchemaRegistryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafkaBroker broker;

    private static final Schema V1 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Gate\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
    /** Adds a field with a default: readable by V1's data (BACKWARD compatible). */
    private static final Schema V2 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Gate\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"zone\",\"type\":\"string\",\"default\":\"A\"}]}");
    /** Adds a field without a default: cannot read V2's data (incompatible). */
    private static final Schema BAD = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Gate\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"zone\",\"type\":\"string\",\"default\":\"A\"},"
            + "{\"name\":\"floor\",\"type\":\"int\"}]}");

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static SchemaRegistryServer registry(String topic) throws Exception {
        return SchemaRegistryServer.start(broker.clients(), topic, Replication.SINGLE_NODE, "127.0.0.1", 0);
    }

    private static int errorCode(Runnable call) {
        return assertThrows(SchemaRegistryException.class, call::run).errorCode();
    }

    @Test
    void confluentPathsShapesAndErrorCodes() throws Exception {
        try (SchemaRegistryServer server = registry("_schemas_api")) {
            SchemaRegistryClient c = new SchemaRegistryClient(server.url());
            int id1 = c.register("gates-value", V1);
            assertEquals(id1, c.register("gates-value", V1), "same schema, same id");
            int id2 = c.register("gates-value", V2);
            assertNotEquals(id1, id2);
            assertEquals(id1, c.register("other-value", V1), "the same schema gets the same id under another subject");

            assertEquals(List.of("gates-value", "other-value"), JSON.convertValue(c.get("/subjects"), List.class));
            assertEquals(List.of(1, 2), JSON.convertValue(c.get("/subjects/gates-value/versions"), List.class));
            JsonNode latest = c.get("/subjects/gates-value/versions/latest");
            assertEquals(2, latest.get("version").asInt());
            assertEquals(id2, latest.get("id").asInt());
            assertEquals(V2, new Schema.Parser().parse(latest.get("schema").asText()));
            assertEquals(V1, new Schema.Parser().parse(c.get("/schemas/ids/" + id1).get("schema").asText()));
            assertEquals(1, c.get("/subjects/gates-value/versions/1").get("version").asInt());
            assertEquals(id1, c.lookup("gates-value", V1));

            assertEquals(40401, errorCode(() -> c.get("/subjects/nope/versions")));
            assertEquals(40402, errorCode(() -> c.get("/subjects/gates-value/versions/9")));
            assertEquals(42202, errorCode(() -> c.get("/subjects/gates-value/versions/zero")));
            assertEquals(40403, errorCode(() -> c.get("/schemas/ids/999")));
            assertEquals(40403, errorCode(() -> c.lookup("gates-value", BAD)));
            ObjectNode garbage = JSON.createObjectNode().put("schema", "{\"type\":\"recor\"}");
            assertEquals(42201, errorCode(() -> c.post("/subjects/gates-value/versions", garbage)));

            assertEquals("BACKWARD", c.get("/config").get("compatibilityLevel").asText());
            assertEquals(40408, errorCode(() -> c.get("/config/gates-value")));
            assertEquals("NONE", c.put("/config/other-value", JSON.createObjectNode().put("compatibility", "NONE"))
                    .get("compatibility").asText());
            assertEquals("NONE", c.get("/config/other-value").get("compatibilityLevel").asText());
            assertEquals(42203, errorCode(() -> c.put("/config", JSON.createObjectNode().put("compatibility", "SIDEWAYS"))));
        }
    }

    @Test
    void incompatibleSchemasAreRejectedWith409AndCheckedByTheCompatibilityEndpoint() throws Exception {
        try (SchemaRegistryServer server = registry("_schemas_compat")) {
            SchemaRegistryClient c = new SchemaRegistryClient(server.url());
            c.register("gates-value", V1);
            c.register("gates-value", V2);
            ObjectNode bad = JSON.createObjectNode().put("schema", BAD.toString());
            assertFalse(c.post("/compatibility/subjects/gates-value/versions/latest", bad).get("is_compatible").asBoolean());
            ObjectNode good = JSON.createObjectNode().put("schema", V2.toString());
            assertTrue(c.post("/compatibility/subjects/gates-value/versions/1", good).get("is_compatible").asBoolean());
            assertEquals(409, errorCode(() -> c.register("gates-value", BAD)));
            assertEquals(List.of(1, 2), JSON.convertValue(c.get("/subjects/gates-value/versions"), List.class));
        }
    }

    @Test
    void aRestartedRegistryReplaysItsTopicAndKeepsIds() throws Exception {
        int id1;
        int id2;
        try (SchemaRegistryServer first = registry("_schemas_restart")) {
            SchemaRegistryClient c = new SchemaRegistryClient(first.url());
            id1 = c.register("gates-value", V1);
            id2 = c.register("gates-value", V2);
            c.put("/config", JSON.createObjectNode().put("compatibility", "FULL"));
        }
        try (SchemaRegistryServer second = registry("_schemas_restart")) {
            SchemaRegistryClient c = new SchemaRegistryClient(second.url());
            assertEquals(id1, c.register("gates-value", V1), "replayed state gives the same id");
            assertEquals(id2, c.lookup("gates-value", V2));
            assertEquals("FULL", c.get("/config").get("compatibilityLevel").asText());
            int id3 = c.register("other-value", BAD);
            assertTrue(id3 > id2, "new ids continue after the replayed ones");
        }
    }

    @Test
    void wireFormatIsMagicZeroThenBigEndianIdThenAvroBinary() throws Exception {
        try (SchemaRegistryServer server = registry("_schemas_wire")) {
            SchemaRegistryClient c = new SchemaRegistryClient(server.url());
            AvroSerializer<ModelThreshold> ser = new AvroSerializer<>(c, true, false);
            ModelThreshold t = ModelThreshold.newBuilder().setModelId("m").setThreshold(0.5).setSource("s")
                    .setUpdatedAtMs(java.time.Instant.ofEpochMilli(1000)).build();
            byte[] bytes = ser.serialize(Topics.THRESHOLDS, t);
            int id = c.lookup(Topics.THRESHOLDS + "-value", ModelThreshold.getClassSchema());
            assertEquals(0, bytes[0]);
            assertEquals(id, ByteBuffer.wrap(bytes, 1, 4).getInt());
            // Avro binary of {modelId:"m", threshold:0.5, source:"s", updatedAtMs:1000, setBy:"", mode:"manual",
            // dataset:null}: string = zigzag length + UTF-8, double = 8 bytes little-endian, long = zigzag
            // varint, a union = the zigzag index of its branch.
            byte[] avro = {2, 'm', 0, 0, 0, 0, 0, 0, (byte) 0xe0, 0x3f, 2, 's', (byte) 0xd0, 0x0f, 0, 12, 'm', 'a', 'n', 'u',
                'a', 'l', 0};
            assertArrayEquals(avro, java.util.Arrays.copyOfRange(bytes, 5, bytes.length));

            AvroDeserializer<ModelThreshold> specific = new AvroDeserializer<>(c, true);
            assertEquals(t, specific.deserialize(Topics.THRESHOLDS, bytes));
            AvroDeserializer<GenericRecord> generic = new AvroDeserializer<>(c, false);
            GenericRecord g = generic.deserialize(Topics.THRESHOLDS, bytes);
            assertEquals("m", g.get("modelId").toString());
            assertThrows(SerializationException.class, () -> specific.deserialize(Topics.THRESHOLDS, new byte[] {1, 0, 0, 0, 1, 2}));
            assertThrows(SerializationException.class, () -> specific.deserialize(Topics.THRESHOLDS, new byte[] {0, 0}));

            // A generic record written with an older schema resolves into the newer generated class.
            GenericRecord old = new GenericData.Record(V1);
            old.put("id", "x");
            byte[] oldBytes = new AvroSerializer<GenericRecord>(c, true, false).serialize("gates", old);
            assertEquals("x", generic.deserialize("gates", oldBytes).get("id").toString());
        }
    }

    /**
     * A registry that is away for a moment (restarting, a dropped connection) costs the client a
     * wait, not a record; one that stays away is reported as unavailable, never as bad bytes, so
     * that services retry the record instead of rejecting it. An unknown id stays a bad-bytes error.
     */
    @Test
    void aRegistryOutageIsRetriedAndThenReportedAsUnavailableNotAsBadBytes() throws Exception {
        int port = LoopbackPorts.unused();
        byte[] bytes;
        try (SchemaRegistryServer first = SchemaRegistryServer.start(broker.clients(), "_schemas_outage", Replication.SINGLE_NODE,
                "127.0.0.1", port)) {
            SchemaRegistryClient c = new SchemaRegistryClient(first.url());
            bytes = new AvroSerializer<ModelThreshold>(c, true, false).serialize(Topics.THRESHOLDS, ModelThreshold.newBuilder()
                    .setModelId("m").setThreshold(0.5).setSource("s").setUpdatedAtMs(java.time.Instant.ofEpochMilli(1)).build());
        }
        String url = "http://127.0.0.1:" + port;

        // Down now, back within the client's retries: the read succeeds.
        AvroDeserializer<ModelThreshold> patient = new AvroDeserializer<>(new SchemaRegistryClient(url), true);
        CompletableFuture<SchemaRegistryServer> restart = CompletableFuture.supplyAsync(() -> {
            try {
                // The tries at 0 and 0.1 s meet a closed port; one at 0.5, 1.5 or 3.5 s finds the registry back.
                Thread.sleep(300);
                return SchemaRegistryServer.start(broker.clients(), "_schemas_outage", Replication.SINGLE_NODE, "127.0.0.1", port);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertEquals("m", patient.deserialize(Topics.THRESHOLDS, bytes).getModelId());
            try (SchemaRegistryServer second = restart.get(30, TimeUnit.SECONDS)) {
                assertEquals(port, second.port(), "back on the same port");
                AvroDeserializer<ModelThreshold> fresh = new AvroDeserializer<>(new SchemaRegistryClient(url), true);
                byte[] unknownId = bytes.clone();
                unknownId[4] = 99;
                SerializationException bad = assertThrows(SerializationException.class,
                        () -> fresh.deserialize(Topics.THRESHOLDS, unknownId));
                assertTrue(bad.getMessage().contains("40403"), bad.getMessage());
            }
        } finally {
            restart.thenAccept(SchemaRegistryServer::close);
        }

        // Down for good: unavailable, after the retries, and not a SerializationException.
        AvroDeserializer<ModelThreshold> stranded = new AvroDeserializer<>(new SchemaRegistryClient(url), true);
        long start = System.nanoTime();
        SchemaRegistryUnavailableException down = assertThrows(SchemaRegistryUnavailableException.class,
                () -> stranded.deserialize(Topics.THRESHOLDS, bytes));
        assertTrue(System.nanoTime() - start > TimeUnit.SECONDS.toNanos(3), "it retried before giving up");
        assertTrue(down.getMessage().contains("failed 5 times"), down.getMessage());
        assertThrows(SchemaRegistryUnavailableException.class, () -> new AvroSerializer<ModelThreshold>(
                new SchemaRegistryClient(url), true, false).serialize(Topics.THRESHOLDS, ModelThreshold.newBuilder()
                .setModelId("m").setThreshold(0.5).setSource("s").setUpdatedAtMs(java.time.Instant.ofEpochMilli(1)).build()));
    }
}
