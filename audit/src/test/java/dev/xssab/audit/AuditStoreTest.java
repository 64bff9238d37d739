package dev.xssab.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.xssab.schemas.Decision;
import dev.xssab.schemas.Float16;
import dev.xssab.schemas.avro.DirectionMaps;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.VerificationResult;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upserts are idempotent: storing the same result and explanation again (a replayed poll) keeps
 * one row each, with the latest values. Against the embedded H2 default always, and against
 * PostgreSQL when XSSAB_TEST_POSTGRES_URL names one (.ci/run starts Debian's server; under CI=true
 * its absence is a failure).
 */
class AuditStoreTest {
    @TempDir
    Path tmp;

    static VerificationResult result(String id, double score) {
        return VerificationResult.newBuilder().setRequestId(id).setModelId("fr_feature").setScore(score).setThreshold(0.43)
                .setDecision(score >= 0.43 ? Decision.MATCH : Decision.NO_MATCH).setExplained(true)
                .setTags(Map.of("run", "r1")).setSubmittedAtMs(Instant.ofEpochMilli(1000))
                .setCompletedAtMs(Instant.ofEpochMilli(2000 + (long) (score * 1000))).setGatewayMs(12.5).setModelMs(80)
                .setBatchSize(4).build();
    }

    static Explanation explanation(String id, double score) {
        float[] map = new float[4];
        map[1] = 0.25f;
        DirectionMaps m = DirectionMaps.newBuilder().setSPlus(score + 0.1).setSMinus(-0.1)
                .setPositive(ByteBuffer.wrap(Float16.encode(map))).setNegative(ByteBuffer.wrap(Float16.encode(map)))
                .setCombined(ByteBuffer.wrap(Float16.encode(new float[4]))).build();
        return Explanation.newBuilder().setRequestId(id).setModelId("fr_feature").setScore(score).setThreshold(0.43)
                .setWidth(2).setHeight(2).setProbeFace(ByteBuffer.wrap(new byte[12]))
                .setReferenceFace(ByteBuffer.wrap(new byte[12])).setProbe(m).setReference(m).build();
    }

    private static void exercise(AuditStore store) throws Exception {
        store.upsert(result("a", 0.7));
        store.upsert(explanation("a", 0.7));
        store.upsert(result("b", 0.1));
        store.commit();
        // The same records again, as after a crash before the offset commit, plus a changed one.
        store.upsert(result("a", 0.7));
        store.upsert(explanation("a", 0.7));
        store.upsert(result("b", 0.2));
        store.commit();
        assertEquals(2, store.count("verification_result"));
        assertEquals(1, store.count("explanation"));
        assertEquals(0.2, store.result("b").orElseThrow().score(), 1e-12);
        assertEquals("{\"run\":\"r1\"}", store.result("a").orElseThrow().tagsJson());
        Explanation back = store.explanation("a").orElseThrow();
        assertEquals(explanation("a", 0.7), back);
        assertEquals(0.25f, Float16.decode(back.getProbe().getPositive().array())[1]);
        assertEquals("a", store.recent(10).get(0).requestId(), "newest completion first");
        assertTrue(store.explanation("zzz").isEmpty());
    }

    @Test
    void upsertsAreIdempotentOnTheEmbeddedDatabase() throws Exception {
        try (AuditStore store = AuditStore.open(AuditStore.embeddedUrl(tmp), "sa", "")) {
            exercise(store);
        }
        // Reopening runs the migrations again (a no-op) and finds the rows.
        try (AuditStore store = AuditStore.open(AuditStore.embeddedUrl(tmp), "sa", "")) {
            assertEquals(2, store.count("verification_result"));
        }
    }

    @Test
    void upsertsAreIdempotentOnPostgres() throws Exception {
        String url = System.getenv("XSSAB_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true but XSSAB_TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL for this test");
            }
            assumeTrue(false, "XSSAB_TEST_POSTGRES_URL not set: no PostgreSQL server to test against");
        }
        String user = System.getenv().getOrDefault("XSSAB_TEST_POSTGRES_USER", "xssab");
        String password = System.getenv().getOrDefault("XSSAB_TEST_POSTGRES_PASSWORD", "xssab");
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            // A clean schema per run: the test owns this database.
            c.createStatement().execute("DROP TABLE IF EXISTS explanation, verification_result, avro_schema, flyway_schema_history");
        }
        try (AuditStore store = AuditStore.open(url, user, password)) {
            exercise(store);
        }
    }
}
