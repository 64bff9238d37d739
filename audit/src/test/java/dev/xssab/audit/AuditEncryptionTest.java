package dev.xssab.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.schemas.avro.Explanation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption at rest, proven on the stored rows: with a key file the explanation row holds no window
 * of the faces' RGB (nor an image signature) and its payload is no Avro record, while the store
 * hands back the same explanation; another key file is refused with a message naming the key and
 * the file; rotate-key moves every row to the new key and seals plaintext ones, after which the old
 * key can go; erasure takes the wrapped key too; a store without a key file works as before. On
 * H2 and on PostgreSQL, as {@link AuditRetentionTest}.
 */
class AuditEncryptionTest {
    @TempDir
    Path tmp;

    private final TestDatabases databases = new TestDatabases();
    private FacePayloads faces;

    @BeforeEach
    void readFaces() throws Exception {
        faces = new FacePayloads();
    }

    @AfterEach
    void dropSchema() throws SQLException {
        databases.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aSealedRowHoldsNoFaceBytesAndOpensToTheSameExplanation(String kind) throws Exception {
        AuditDatabase db = databases.of(kind, tmp).withKeyFile(AuditKeys.create(tmp.resolve("keys.properties")).file());
        try (AuditStore store = db.open(); Connection sql = connect(db)) {
            faces.store(store, "a1");
            assertNoFaceBytesIn(sql, "a1");
            byte[] payload = column(sql, "a1", "avro_payload");
            assertFalse(decodesTo(payload, faces.explanation("a1")), "the stored payload is no Avro record of the explanation");
            assertEquals("k1", string(sql, "a1", "key_id"));
            assertEquals(12 + 32 + 16, column(sql, "a1", "wrapped_key").length, "nonce, data key, tag");
            assertEquals(12, column(sql, "a1", "payload_nonce").length);
            assertEquals(faces.explanation("a1"), store.explanation("a1").orElseThrow(), "opens to the explanation that went in");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anotherKeyFileOrNoneIsRefusedNamingTheKeyAndTheFile(String kind) throws Exception {
        AuditDatabase plain = databases.of(kind, tmp);
        try (AuditStore store = plain.withKeyFile(AuditKeys.create(tmp.resolve("keys.properties")).file()).open()) {
            faces.store(store, "a1");
        }
        Path other = AuditKeys.create(tmp.resolve("other.properties")).file();
        assertRefused(plain.withKeyFile(other), "explanation a1 does not open with key k1 of " + other + ": wrong key file?");
        Path lacking = Files.writeString(tmp.resolve("lacking.properties"), "current=x\nx=" + "A".repeat(43) + "=\n");
        assertRefused(plain.withKeyFile(lacking), "explanation a1 is sealed with key k1, which the key file " + lacking
                + " does not have (it has x)");
        assertRefused(plain, "explanation a1 is sealed with key k1, but no audit.encryption.key.file is set to open it");
        AuditKeyException rotation = assertThrows(AuditKeyException.class, () -> KeyRotation.rotate(plain.withKeyFile(other)));
        assertTrue(rotation.getMessage().contains("does not open with key k1 of " + other), rotation.getMessage());
        assertEquals(Set.of("k1"), AuditKeys.read(other).ids(), "a refused rotation leaves the key file as it was");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void rotateKeyRewrapsAndSealsEveryRowAndTheOldKeyCanThenGo(String kind) throws Exception {
        AuditDatabase plain = databases.of(kind, tmp);
        Path keys = tmp.resolve("keys.properties");
        try (AuditStore store = plain.open()) {
            faces.store(store, "p1"); // stored before the store had a key file
        }
        AuditDatabase db = plain.withKeyFile(AuditKeys.create(keys).file());
        try (AuditStore store = db.open(); Connection sql = connect(db)) {
            faces.store(store, "s1");
            faces.store(store, "s2");
            byte[] s1Before = column(sql, "s1", "avro_payload");

            KeyRotation.Outcome first = KeyRotation.rotate(db);
            assertEquals(List.of("k2", 2, 1, Set.of()), List.of(first.keyId(), first.rewrapped(), first.sealed(), first.olderKeysInUse()));
            assertEquals(List.of("k2", "k2", "k2"), keyIds(sql), "every row under the new key");
            assertArrayEquals(s1Before, column(sql, "s1", "avro_payload"), "re-wrapping leaves the payload as it is");
            assertNoFaceBytesIn(sql, "p1");
            KeyRotation.Outcome again = KeyRotation.rotate(db);
            assertEquals(List.of("k3", 3, 0), List.of(again.keyId(), again.rewrapped(), again.sealed()));
        }
        Files.write(keys, Files.readAllLines(keys).stream().filter(l -> !l.startsWith("k1=") && !l.startsWith("k2="))
                .collect(Collectors.toList()));
        assertEquals(Set.of("k3"), AuditKeys.read(keys).ids());
        try (AuditStore store = db.open()) {
            for (String id : List.of("p1", "s1", "s2")) {
                assertEquals(faces.explanation(id), store.explanation(id).orElseThrow(), id + " opens with k3 alone");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void eraseTakesTheWrappedKeyWithThePayload(String kind) throws Exception {
        AuditDatabase db = databases.of(kind, tmp).withKeyFile(AuditKeys.create(tmp.resolve("keys.properties")).file());
        try (AuditStore store = db.open(); Connection sql = connect(db)) {
            faces.store(store, "a1");
            faces.store(store, "a2");
            assertEquals(List.of("a1"), store.eraseImages(List.of("a1"), "erase --request"));
            for (String column : List.of("avro_payload", "wrapped_key", "payload_nonce", "key_id")) {
                assertNull(rs(sql, "a1", column), "a1: " + column + " after the erase");
            }
            assertEquals(faces.explanation("a2"), store.explanation("a2").orElseThrow(), "the other request keeps its images");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void withoutAKeyFileTheStoreIsPlaintextAsBeforeAndStillReadsOnceOneIsSet(String kind) throws Exception {
        AuditDatabase plain = databases.of(kind, tmp);
        try (AuditStore store = plain.open(); Connection sql = connect(plain)) {
            faces.store(store, "p1");
            assertNull(rs(sql, "p1", "key_id"));
            assertTrue(decodesTo(column(sql, "p1", "avro_payload"), faces.explanation("p1")), "the payload is the Avro record");
            assertEquals(faces.explanation("p1"), store.explanation("p1").orElseThrow());
        }
        try (AuditStore store = plain.withKeyFile(AuditKeys.create(tmp.resolve("keys.properties")).file()).open()) {
            assertEquals(faces.explanation("p1"), store.explanation("p1").orElseThrow(), "a plaintext row reads with a key file set");
        }
    }

    private static void assertRefused(AuditDatabase db, String message) {
        try (AuditStore store = db.open()) {
            AuditKeyException e = assertThrows(AuditKeyException.class, () -> store.explanation("a1"));
            assertTrue(e.getMessage().startsWith(message), "expected: " + message + "\nbut was: " + e.getMessage());
        }
    }

    /** No 64-byte window of either face's RGB, and no JPEG or PNG signature, in any column of the row. */
    private void assertNoFaceBytesIn(Connection sql, String id) throws SQLException {
        byte[] row = RowBytes.explanation(sql, id);
        assertTrue(row.length > faces.probeRgb.length, id + ": the row holds the payload (" + row.length + " bytes)");
        for (byte[] face : List.of(faces.probeRgb, faces.referenceRgb)) {
            for (int at = 0; at + 64 <= face.length; at += 997) {
                assertFalse(RowBytes.contains(row, Arrays.copyOfRange(face, at, at + 64)), id + ": 64 face bytes at " + at + " in the row");
            }
        }
        assertFalse(RowBytes.contains(row, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}), id + ": a JPEG signature");
        assertFalse(RowBytes.contains(row, new byte[] {(byte) 0x89, 0x50, 0x4E, 0x47}), id + ": a PNG signature");
    }

    /** True when the bytes read as the Avro binary of {@code expected}. */
    private static boolean decodesTo(byte[] bytes, Explanation expected) {
        try {
            return expected.equals(new SpecificDatumReader<>(Explanation.class).read(null, DecoderFactory.get().binaryDecoder(bytes, null)));
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    private static List<String> keyIds(Connection sql) throws SQLException {
        try (PreparedStatement s = sql.prepareStatement("SELECT key_id FROM explanation ORDER BY request_id"); ResultSet rs = s.executeQuery()) {
            List<String> ids = new java.util.ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        }
    }

    private static byte[] column(Connection sql, String id, String column) throws SQLException {
        Object value = rs(sql, id, column);
        assertTrue(value instanceof byte[], id + ": " + column + " holds bytes");
        return (byte[]) value;
    }

    private static String string(Connection sql, String id, String column) throws SQLException {
        return (String) rs(sql, id, column);
    }

    private static Object rs(Connection sql, String id, String column) throws SQLException {
        try (PreparedStatement s = sql.prepareStatement("SELECT " + column + " FROM explanation WHERE request_id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), id + " has a row");
                return rs.getObject(1);
            }
        }
    }

    private static Connection connect(AuditDatabase db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }
}
