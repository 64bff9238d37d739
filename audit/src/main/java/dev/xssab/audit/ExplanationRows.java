package dev.xssab.audit;

import dev.xssab.schemas.avro.Explanation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The explanation table: its SQL, and the Avro binary codec of its payload, whose writer schema is
 * stored once per fingerprint in avro_schema so that old rows stay readable; with a key file the
 * payload is sealed ({@link SealedPayloads}) and rows stored without one still read. Works on the
 * connection {@link AuditStore} passes in (that one may be replaced after a reconnect).
 */
final class ExplanationRows {
    private static final long EXPLANATION_FINGERPRINT = SchemaNormalization.parsingFingerprint64(Explanation.getClassSchema());

    /** The width of images_erased_why (V3). */
    private static final int WHY_LENGTH = 32;

    private static final String COLUMNS = "request_id, model_id, score, threshold, probe_s_plus, probe_s_minus, reference_s_plus, "
            + "reference_s_minus, avro_fingerprint, avro_payload, stored_at, key_id, wrapped_key, payload_nonce";
    private static final String UPSERT_POSTGRES = "INSERT INTO explanation (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
            + "ON CONFLICT (request_id) DO UPDATE SET model_id=EXCLUDED.model_id, score=EXCLUDED.score, threshold=EXCLUDED.threshold, "
            + "probe_s_plus=EXCLUDED.probe_s_plus, probe_s_minus=EXCLUDED.probe_s_minus, reference_s_plus=EXCLUDED.reference_s_plus, "
            + "reference_s_minus=EXCLUDED.reference_s_minus, avro_fingerprint=EXCLUDED.avro_fingerprint, "
            + "avro_payload=EXCLUDED.avro_payload, stored_at=EXCLUDED.stored_at, key_id=EXCLUDED.key_id, "
            + "wrapped_key=EXCLUDED.wrapped_key, payload_nonce=EXCLUDED.payload_nonce";
    private static final String UPSERT_H2 = "MERGE INTO explanation (" + COLUMNS + ") KEY (request_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private final boolean postgres;
    /** Null for a store without a key file: payloads are stored as they are, as before V4. */
    private final SealedPayloads sealing;
    private boolean schemaStored;

    ExplanationRows(boolean postgres, SealedPayloads sealing) {
        this.postgres = postgres;
        this.sealing = sealing;
    }

    /**
     * Stores the explanation, unless its row's images were erased: a record read again from Kafka
     * (which keeps it until the topic's retention) must not bring the faces back. The row lock of
     * FOR UPDATE orders this against a concurrent erase.
     */
    void upsert(Connection connection, Explanation e) throws SQLException {
        if (erasure(connection, e.getRequestId(), true).isPresent()) {
            return;
        }
        ensureSchemaStored(connection);
        byte[] payload = encode(e);
        SealedPayloads.Sealed sealed = sealing == null ? null : sealing.seal(e.getRequestId(), EXPLANATION_FINGERPRINT, payload);
        try (PreparedStatement s = connection.prepareStatement(postgres ? UPSERT_POSTGRES : UPSERT_H2)) {
            s.setString(1, e.getRequestId());
            s.setString(2, e.getModelId());
            s.setDouble(3, e.getScore());
            s.setDouble(4, e.getThreshold());
            s.setDouble(5, e.getProbe().getSPlus());
            s.setDouble(6, e.getProbe().getSMinus());
            s.setDouble(7, e.getReference().getSPlus());
            s.setDouble(8, e.getReference().getSMinus());
            s.setLong(9, EXPLANATION_FINGERPRINT);
            s.setBytes(10, sealed == null ? payload : sealed.ciphertext());
            s.setTimestamp(11, Timestamp.from(Instant.now()));
            s.setString(12, sealed == null ? null : sealed.keyId());
            s.setBytes(13, sealed == null ? null : sealed.wrappedKey());
            s.setBytes(14, sealed == null ? null : sealed.nonce());
            s.executeUpdate();
        }
    }

    private void ensureSchemaStored(Connection connection) throws SQLException {
        if (schemaStored) {
            return;
        }
        try (PreparedStatement q = connection.prepareStatement("SELECT 1 FROM avro_schema WHERE fingerprint = ?")) {
            q.setLong(1, EXPLANATION_FINGERPRINT);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    try (PreparedStatement s = connection.prepareStatement(
                            "INSERT INTO avro_schema (fingerprint, schema_json) VALUES (?, ?)")) {
                        s.setLong(1, EXPLANATION_FINGERPRINT);
                        s.setString(2, Explanation.getClassSchema().toString());
                        s.executeUpdate();
                    }
                }
            }
        }
        schemaStored = true;
    }

    /** After a rollback: the schema row may have been part of the rolled-back transaction. */
    void forgetSchemaStored() {
        schemaStored = false;
    }

    /**
     * The stored explanation, opened (when sealed) and decoded with its writer schema; empty when none or its images were
     * erased. A sealed row this store has no key for is an {@link AuditKeyException}. The caller commits.
     */
    Optional<Explanation> find(Connection connection, String requestId) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT e.avro_payload, a.schema_json, e.avro_fingerprint, e.key_id, "
                + "e.wrapped_key, e.payload_nonce FROM explanation e JOIN avro_schema a ON a.fingerprint = e.avro_fingerprint "
                + "WHERE e.request_id = ? AND e.avro_payload IS NOT NULL")) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String keyId = rs.getString(4);
                byte[] payload = keyId == null ? rs.getBytes(1)
                        : opened(requestId, rs.getLong(3), new SealedPayloads.Sealed(keyId, rs.getBytes(5), rs.getBytes(6), rs.getBytes(1)));
                return Optional.of(decode(payload, new Schema.Parser().parse(rs.getString(2))));
            }
        }
    }

    private byte[] opened(String requestId, long fingerprint, SealedPayloads.Sealed sealed) {
        if (sealing == null) {
            throw new AuditKeyException("explanation " + requestId + " is sealed with key " + sealed.keyId()
                    + ", but no audit.encryption.key.file is set to open it");
        }
        return sealing.open(requestId, fingerprint, sealed);
    }

    /** When and why the images of {@code requestId} were erased; empty when they are stored or there is no row. */
    Optional<AuditStore.ImagesErased> erasure(Connection connection, String requestId, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT images_erased_at, images_erased_why FROM explanation "
                + "WHERE request_id = ? AND images_erased_at IS NOT NULL" + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new AuditStore.ImagesErased(rs.getTimestamp(1).toInstant(), rs.getString(2)))
                        : Optional.empty();
            }
        }
    }

    /** The requests whose images were stored before {@code before} and are still there, oldest first. */
    List<String> storedBefore(Connection connection, Instant before) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT request_id FROM explanation "
                + "WHERE stored_at < ? AND avro_payload IS NOT NULL ORDER BY stored_at, request_id")) {
            s.setTimestamp(1, Timestamp.from(before));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /**
     * Sets the payload (faces and maps) of each request to NULL, with its wrapped data key (so that
     * what the database's free pages keep of it stays ciphertext), and stamps when and why; the row,
     * with the decision's similarity split, stays. Returns the ids whose images were there; the
     * caller commits.
     */
    List<String> erase(Connection connection, Collection<String> requestIds, String why, Instant at) throws SQLException {
        List<String> erased = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("UPDATE explanation SET avro_payload = NULL, "
                + "key_id = NULL, wrapped_key = NULL, payload_nonce = NULL, images_erased_at = ?, images_erased_why = ? "
                + "WHERE request_id = ? AND avro_payload IS NOT NULL")) {
            for (String id : requestIds) {
                s.setTimestamp(1, Timestamp.from(at));
                s.setString(2, why.length() > WHY_LENGTH ? why.substring(0, WHY_LENGTH) : why);
                s.setString(3, id);
                if (s.executeUpdate() == 1) {
                    erased.add(id);
                }
            }
        }
        return erased;
    }

    private static byte[] encode(Explanation e) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<>(Explanation.class).write(e, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static Explanation decode(byte[] bytes, Schema writer) {
        try {
            return new SpecificDatumReader<Explanation>(writer, Explanation.getClassSchema())
                    .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
