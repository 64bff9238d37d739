package dev.xssab.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code xssab audit rotate-key}: adds a new key to the key file (creating the file when there is
 * none) and makes it current, then re-wraps under it every data key wrapped under another, and
 * seals the payloads stored in plaintext, a batch per commit. Each row is locked while it changes
 * (FOR UPDATE), so the sink and an erase may run meanwhile; an interrupted rotation is finished by
 * running it again. The key file's old keys stay: removing one no row uses any more is what makes
 * the images in older database backups unreadable.
 */
public final class KeyRotation {
    private static final int REWRAP_BATCH = 500;
    /** A payload is about 230 kB (two faces, six float16 maps), so fewer of them per commit. */
    private static final int SEAL_BATCH = 50;

    /**
     * What a rotation did.
     *
     * @param created the key file did not exist and was made, with this one key
     * @param olderKeysInUse key ids other than the new one that rows still use (written under them while this ran): empty
     *     when the old keys may be removed from the file
     */
    public record Outcome(Path file, boolean created, String keyId, int rewrapped, int sealed, Set<String> olderKeysInUse) {}

    private KeyRotation() {}

    /** Rotates the key of {@code database}'s key file; an {@link AuditKeyException} when it has none, or lacks a key rows use. */
    public static Outcome rotate(AuditDatabase database) throws SQLException {
        Path file = database.keyFile();
        if (file == null) {
            throw new AuditKeyException("no audit.encryption.key.file set: name the key file to create, or to add a key to");
        }
        try (AuditStore store = AuditStore.open(database.jdbcUrl(), database.user(), database.password(), null)) {
            Connection c = store.connection();
            try {
                AuditKeys before = Files.exists(file) ? AuditKeys.read(file) : null;
                refuseUnknownKeys(c, file, before == null ? Set.of() : before.ids());
                if (before != null) {
                    refuseWrongKeys(c, new SealedPayloads(before));
                }
                AuditKeys keys = before == null ? AuditKeys.create(file) : before.withNewKey();
                SealedPayloads sealing = new SealedPayloads(keys);
                int rewrapped = 0;
                for (int n = rewrapBatch(c, sealing, keys.currentId()); n > 0; n = rewrapBatch(c, sealing, keys.currentId())) {
                    rewrapped += n;
                }
                int sealed = 0;
                for (int n = sealBatch(c, sealing); n > 0; n = sealBatch(c, sealing)) {
                    sealed += n;
                }
                Set<String> older = keysInUse(c);
                older.remove(keys.currentId());
                c.commit();
                return new Outcome(file, before == null, keys.currentId(), rewrapped, sealed, older);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Before the file changes: a row under a key the file lacks could not be re-wrapped (wrong file, or a key removed too early). */
    private static void refuseUnknownKeys(Connection c, Path file, Set<String> known) throws SQLException {
        Set<String> unknown = keysInUse(c);
        unknown.removeAll(known);
        c.commit();
        if (!unknown.isEmpty()) {
            throw new AuditKeyException("the audit store has explanations sealed with key " + String.join(", ", unknown) + ", which "
                    + file + (Files.exists(file) ? " does not have" : " (it does not exist) cannot have")
                    + ": rotate-key needs the key file they were sealed with; nothing was changed");
        }
    }

    /** Before the file changes: one row per key in use must open with the file's key of that id (not a file of another store). */
    private static void refuseWrongKeys(Connection c, SealedPayloads sealing) throws SQLException {
        for (String keyId : keysInUse(c)) {
            try (PreparedStatement s = c.prepareStatement("SELECT request_id, wrapped_key FROM explanation WHERE key_id = ? "
                    + "ORDER BY request_id LIMIT 1")) {
                s.setString(1, keyId);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        sealing.checkOpens(rs.getString(1), keyId, rs.getBytes(2));
                    }
                }
            }
        }
        c.commit();
    }

    private static Set<String> keysInUse(Connection c) throws SQLException {
        Set<String> ids = new TreeSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT key_id FROM explanation WHERE key_id IS NOT NULL");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Re-wraps one batch of data keys wrapped under another key than {@code current}, and commits; returns how many. */
    private static int rewrapBatch(Connection c, SealedPayloads sealing, String current) throws SQLException {
        int n = 0;
        try (PreparedStatement q = c.prepareStatement("SELECT request_id, key_id, wrapped_key FROM explanation "
                + "WHERE key_id IS NOT NULL AND key_id <> ? ORDER BY request_id LIMIT " + REWRAP_BATCH + " FOR UPDATE");
                PreparedStatement u = c.prepareStatement("UPDATE explanation SET key_id = ?, wrapped_key = ? WHERE request_id = ?")) {
            q.setString(1, current);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    u.setString(1, current);
                    u.setBytes(2, sealing.rewrap(id, rs.getString(2), rs.getBytes(3), current));
                    u.setString(3, id);
                    u.addBatch();
                    n++;
                }
            }
            u.executeBatch();
        }
        c.commit();
        return n;
    }

    /** Seals one batch of payloads stored in plaintext (before a key file was set), and commits; returns how many. */
    private static int sealBatch(Connection c, SealedPayloads sealing) throws SQLException {
        int n = 0;
        try (PreparedStatement q = c.prepareStatement("SELECT request_id, avro_fingerprint, avro_payload FROM explanation "
                + "WHERE key_id IS NULL AND avro_payload IS NOT NULL ORDER BY request_id LIMIT " + SEAL_BATCH + " FOR UPDATE");
                PreparedStatement u = c.prepareStatement("UPDATE explanation SET avro_payload = ?, key_id = ?, wrapped_key = ?, "
                        + "payload_nonce = ? WHERE request_id = ?")) {
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    SealedPayloads.Sealed sealed = sealing.seal(id, rs.getLong(2), rs.getBytes(3));
                    u.setBytes(1, sealed.ciphertext());
                    u.setString(2, sealed.keyId());
                    u.setBytes(3, sealed.wrappedKey());
                    u.setBytes(4, sealed.nonce());
                    u.setString(5, id);
                    u.addBatch();
                    n++;
                }
            }
            u.executeBatch();
        }
        c.commit();
        return n;
    }
}
