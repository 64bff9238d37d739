package dev.xssab.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.broker.LoopbackPorts;
import dev.xssab.config.Replication;
import dev.xssab.kafka.CheckedProducer;
import dev.xssab.kafka.TopicAdmin;
import dev.xssab.registry.SchemaRegistryServer;
import dev.xssab.registry.testing.KafkaWithRegistry;
import dev.xssab.schemas.Topics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit sink on a real broker and registry with the embedded H2 store: while the schema
 * registry is down, and after the database has been shut down under it, the sink keeps running
 * and, once they are back, stores every record exactly once.
 */
class AuditSinkIT {
    @TempDir
    Path tmp;

    @Test
    void anOutageOfTheRegistryOrTheDatabaseDelaysAuditingButLosesNothing() throws Exception {
        try (KafkaWithRegistry kafka = KafkaWithRegistry.start()) {
            Topics topics = kafka.topics();
            TopicAdmin.ensureTopics(kafka.clients(), topics, 1, Replication.SINGLE_NODE);
            try (CheckedProducer producer = new CheckedProducer(kafka.clients(), Map.of())) {
                for (String id : new String[] {"a", "b", "c"}) {
                    producer.send(new ProducerRecord<>(Topics.RESULTS, id, topics.results().valueSerde().serializer()
                            .serialize(Topics.RESULTS, AuditStoreTest.result(id, 0.7))));
                }
                producer.send(new ProducerRecord<>(Topics.EXPLANATIONS, "a", topics.explanations().valueSerde().serializer()
                        .serialize(Topics.EXPLANATIONS, AuditStoreTest.explanation("a", 0.7))));
                producer.flush();

                // The sink's registry is down; it will come back on the same port over the same topic.
                int port = LoopbackPorts.unused();
                Topics sinkTopics = Topics.create(Map.of("schema.registry.url", "http://127.0.0.1:" + port));
                String url = AuditStore.embeddedUrl(tmp);
                try (AuditStore store = AuditStore.open(url, "sa", "");
                        AuditSink sink = new AuditSink(kafka.clients(), "audit-it", sinkTopics, store)) {
                    Thread thread = new Thread(sink::run, "audit-it-sink");
                    thread.start();
                    await(() -> sink.retries() >= 1, "the sink retries while the registry is down");
                    assertEquals(0, rows(url, "verification_result"), "nothing stored, nothing skipped");
                    assertTrue(thread.isAlive());

                    try (SchemaRegistryServer back = SchemaRegistryServer.start(kafka.clients(), Topics.SCHEMAS,
                            Replication.SINGLE_NODE, "127.0.0.1", port)) {
                        assertEquals(port, back.port(), "the registry is back on the port the sink knows");
                        await(() -> rows(url, "verification_result") == 3 && rows(url, "explanation") == 1,
                                "all stored once the registry is back");

                        long retriesBefore = sink.retries();
                        try (Connection admin = DriverManager.getConnection(url, "sa", "");
                                Statement s = admin.createStatement()) {
                            s.execute("SHUTDOWN"); // closes the sink's connection too
                        }
                        for (String id : new String[] {"d", "e"}) {
                            producer.send(new ProducerRecord<>(Topics.RESULTS, id, topics.results().valueSerde().serializer()
                                    .serialize(Topics.RESULTS, AuditStoreTest.result(id, 0.2))));
                        }
                        producer.flush();
                        await(() -> rows(url, "verification_result") == 5, "stored after the sink reconnected");
                        assertTrue(sink.retries() > retriesBefore, "the closed connection was noticed and replaced");
                        assertTrue(thread.isAlive());
                    }
                    sink.stop();
                    thread.join(30_000);
                    assertEquals(5, rows(url, "verification_result"));
                    assertEquals(1, rows(url, "explanation"));
                }
            }
        }
    }

    private static long rows(String url, String table) {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1; // the database is between shutdown and reopening
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(condition.getAsBoolean(), what);
    }
}
