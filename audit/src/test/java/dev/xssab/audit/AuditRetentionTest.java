package dev.xssab.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.schemas.Decision;
import dev.xssab.schemas.Float16;
import dev.xssab.schemas.avro.DirectionMaps;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.VerificationResult;
import dev.xssab.testkit.SharedData;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention and erasure of face images, proven on the rows themselves: after a purge or an erase
 * the explanation's avro_payload column IS NULL and no window of the faces' RGB bytes (nor a
 * JPEG or PNG signature) is left anywhere in the row, the decision rows stay, and other requests
 * keep their images. On the embedded H2 default, and on PostgreSQL (in a schema of its own) when
 * XSSAB_TEST_POSTGRES_URL names one; under CI=true its absence is a failure.
 */
class AuditRetentionTest {
    @TempDir
    Path tmp;

    private final TestDatabases databases = new TestDatabases();
    private byte[] probeRgb;
    private byte[] referenceRgb;

    @AfterEach
    void dropSchema() throws SQLException {
        databases.close();
    }

    private AuditDatabase database(String kind) throws Exception {
        Path faces = SharedData.deepface();
        probeRgb = rgb(faces.resolve("img1.jpg"));
        referenceRgb = rgb(faces.resolve("img2.jpg"));
        return databases.of(kind, tmp);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void purgeErasesTheImagesStoredBeforeTheCutOffAndKeepsTheDecisions(String kind) throws Exception {
        AuditDatabase db = database(kind);
        try (AuditStore store = db.open(); Connection sql = connect(db)) {
            store(store, "old", Map.of("subject", "alice"));
            store(store, "new", Map.of("subject", "bob"));
            storedAt(sql, "old", Instant.now().minus(Duration.ofDays(40)));
            assertFaceBytesIn(sql, "old", true);

            assertEquals(List.of("old"), store.purgeImages(Instant.now().minus(Duration.ofDays(30)), "retention P30D"));

            assertErased(sql, "old", "retention P30D");
            assertFaceBytesIn(sql, "new", true);
            assertTrue(store.explanation("old").isEmpty());
            assertEquals("retention P30D", store.imagesErased("old").orElseThrow().why());
            assertEquals(probeRgb.length, store.explanation("new").orElseThrow().getProbeFace().remaining());
            assertEquals(List.of(), store.purgeImages(Instant.now().minus(Duration.ofDays(30)), "retention P30D"), "done once");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void eraseByRequestAndByTagRemovesOnlyThoseImages(String kind) throws Exception {
        AuditDatabase db = database(kind);
        try (AuditStore store = db.open(); Connection sql = connect(db)) {
            store(store, "a1", Map.of("subject", "alice", "run", "r1"));
            store(store, "a2", Map.of("subject", "alice"));
            store(store, "x1", Map.of("subject", "alice_x", "note", "\"subject\":\"alice\""));
            store(store, "x2", Map.of("subject", "al%ce"));
            store(store, "b1", Map.of("subject", "bob"));

            // The LIKE's wildcards and a tag value spelling another tag do not match.
            assertEquals(List.of("a1", "a2"), store.requestsTagged("subject", "alice"));
            assertEquals(List.of("x2"), store.requestsTagged("subject", "al%ce"));
            assertEquals(List.of("a1", "a2"), store.eraseImages(store.requestsTagged("subject", "alice"), "erase --tag"));
            assertErased(sql, "a1", "erase --tag");
            assertErased(sql, "a2", "erase --tag");

            assertEquals(List.of("b1"), store.eraseImages(List.of("b1", "nobody"), "erase --request"));
            assertErased(sql, "b1", "erase --request");
            assertFaceBytesIn(sql, "x1", true);
            assertFaceBytesIn(sql, "x2", true);
            assertEquals(List.of(), store.eraseImages(List.of("b1"), "again"), "already erased");
            assertEquals("erase --request", store.imagesErased("b1").orElseThrow().why(), "the first erase is the one recorded");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anExplanationReadAgainFromKafkaDoesNotBringErasedImagesBack(String kind) throws Exception {
        AuditDatabase db = database(kind);
        try (AuditStore store = db.open(); Connection sql = connect(db)) {
            store(store, "a1", Map.of());
            store.eraseImages(List.of("a1"), "erase --request");
            store(store, "a1", Map.of()); // the sink re-reads the topics after a crash or a reset of its group
            assertErased(sql, "a1", "erase --request");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theServicePurgeRunsOnItsScheduleOnAConnectionOfItsOwn(String kind) throws Exception {
        AuditDatabase db = database(kind);
        try (AuditStore store = db.open(); Connection sql = connect(db); ImagePurge purge = new ImagePurge(db, Duration.ofDays(30))) {
            store(store, "old", Map.of());
            store(store, "new", Map.of());
            storedAt(sql, "old", Instant.now().minus(Duration.ofDays(31)));
            purge.start(Duration.ofMillis(100));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (store.imagesErased("old").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertErased(sql, "old", "retention P30D");
            assertFaceBytesIn(sql, "new", true);
        }
    }

    private void store(AuditStore store, String id, Map<String, String> tags) throws SQLException {
        store.upsert(VerificationResult.newBuilder().setRequestId(id).setModelId("fr_feature").setScore(0.7).setThreshold(0.43)
                .setDecision(Decision.MATCH).setExplained(true).setTags(tags).setSubmittedAtMs(Instant.ofEpochMilli(1000))
                .setCompletedAtMs(Instant.ofEpochMilli(2000)).setGatewayMs(1).setModelMs(2).setBatchSize(1).build());
        float[] map = new float[112 * 112];
        map[7] = 0.25f;
        DirectionMaps m = DirectionMaps.newBuilder().setSPlus(0.8).setSMinus(-0.1).setPositive(ByteBuffer.wrap(Float16.encode(map)))
                .setNegative(ByteBuffer.wrap(Float16.encode(map))).setCombined(ByteBuffer.wrap(Float16.encode(map))).build();
        store.upsert(Explanation.newBuilder().setRequestId(id).setModelId("fr_feature").setScore(0.7).setThreshold(0.43).setTags(tags)
                .setWidth(112).setHeight(112).setProbeFace(ByteBuffer.wrap(probeRgb)).setReferenceFace(ByteBuffer.wrap(referenceRgb))
                .setProbe(m).setReference(m).build());
        store.commit();
    }

    /** The decision rows stay, the payload is NULL and stamped, and no face byte is left in the row. */
    private void assertErased(Connection sql, String id, String why) throws SQLException {
        try (PreparedStatement s = sql.prepareStatement("SELECT avro_payload, images_erased_at, images_erased_why, probe_s_plus "
                + "FROM explanation WHERE request_id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), id + ": the explanation row stays");
                byte[] payload = rs.getBytes(1);
                assertTrue(payload == null, () -> id + ": avro_payload IS NULL, but holds " + payload.length + " bytes");
                assertNotNull(rs.getTimestamp(2), id + ": images_erased_at");
                assertEquals(why, rs.getString(3));
                assertEquals(0.8, rs.getDouble(4), 1e-12, id + ": the similarity split stays");
            }
        }
        try (PreparedStatement s = sql.prepareStatement("SELECT decision FROM verification_result WHERE request_id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next() && "MATCH".equals(rs.getString(1)), id + ": the decision row stays");
            }
        }
        assertFaceBytesIn(sql, id, false);
    }

    /** Every column of the row, as bytes, searched for windows of both faces' RGB and image file signatures. */
    private void assertFaceBytesIn(Connection sql, String id, boolean expected) throws SQLException {
        byte[] row = RowBytes.explanation(sql, id);
        for (byte[] face : List.of(probeRgb, referenceRgb)) {
            for (int at : new int[] {0, face.length / 2, face.length - 64}) {
                byte[] window = java.util.Arrays.copyOfRange(face, at, at + 64);
                assertEquals(expected, RowBytes.contains(row, window), id + ": 64 face bytes at " + at + (expected ? " stored" : " left"));
            }
        }
        if (!expected) {
            assertFalse(RowBytes.contains(row, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}), id + ": a JPEG signature");
            assertFalse(RowBytes.contains(row, new byte[] {(byte) 0x89, 0x50, 0x4E, 0x47}), id + ": a PNG signature");
        }
    }

    private static void storedAt(Connection sql, String id, Instant at) throws SQLException {
        try (PreparedStatement s = sql.prepareStatement("UPDATE explanation SET stored_at = ? WHERE request_id = ?")) {
            s.setTimestamp(1, Timestamp.from(at));
            s.setString(2, id);
            assertEquals(1, s.executeUpdate());
        }
    }

    private static Connection connect(AuditDatabase db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    /** A real face photo, scaled to the aligned size (112 x 112) as interleaved RGB. */
    private static byte[] rgb(Path photo) throws Exception {
        BufferedImage scaled = new BufferedImage(112, 112, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = scaled.createGraphics();
        g.drawImage(ImageIO.read(photo.toFile()), 0, 0, 112, 112, null);
        g.dispose();
        byte[] out = new byte[112 * 112 * 3];
        for (int i = 0; i < 112 * 112; i++) {
            int p = scaled.getRGB(i % 112, i / 112);
            out[3 * i] = (byte) (p >> 16);
            out[3 * i + 1] = (byte) (p >> 8);
            out[3 * i + 2] = (byte) p;
        }
        return out;
    }
}
