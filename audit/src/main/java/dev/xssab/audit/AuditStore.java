package dev.xssab.audit;

import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.VerificationResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * Results and explanations by requestId. Writes are upserts, so storing the same record twice
 * leaves one row with the latest values. Not thread-safe: one per consumer thread.
 */
public final class AuditStore implements AutoCloseable {
    private static final int ERASE_BATCH = 500;

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final boolean postgres;
    private final ExplanationRows explanations;
    private Connection connection;

    private AuditStore(String jdbcUrl, String user, String password, AuditKeys keys) throws SQLException {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.postgres = jdbcUrl.startsWith("jdbc:postgresql:");
        this.explanations = new ExplanationRows(postgres, keys == null ? null : new SealedPayloads(keys));
        this.connection = connect();
    }

    /** Migrates the schema (Flyway) and connects; face images are stored unencrypted. */
    public static AuditStore open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, null);
    }

    /** Migrates the schema (Flyway) and connects; with {@code keys} (may be null) each explanation's payload is sealed. */
    public static AuditStore open(String jdbcUrl, String user, String password, AuditKeys keys) {
        Flyway.configure().dataSource(jdbcUrl, user, password).locations("classpath:db/migration").load().migrate();
        try {
            return new AuditStore(jdbcUrl, user, password, keys);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        c.setAutoCommit(false);
        return c;
    }

    /**
     * After a failed write: if the connection is gone (database restarted, network cut), opens a
     * new one, so that the caller's retry can succeed once the database is back.
     */
    public void reconnectIfBroken() throws SQLException {
        if (connection.isValid(5)) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // it is broken already
        }
        connection = connect();
    }

    /** The embedded default: an H2 file database in {@code dir}. */
    public static String embeddedUrl(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("audit").toAbsolutePath() + ";AUTO_SERVER=TRUE";
    }

    /** Null when the database answers, else why not (for readiness). */
    public String problem() {
        try {
            return connection != null && connection.isValid(2) ? null : "the audit database does not answer";
        } catch (SQLException e) {
            return "the audit database does not answer: " + e.getMessage();
        }
    }

    public void upsert(VerificationResult r) throws SQLException {
        String sql = postgres
                ? "INSERT INTO verification_result (request_id, model_id, score, threshold, decision, explained, tags_json, "
                        + "submitted_at, completed_at, gateway_ms, model_ms, batch_size, stored_at, submitted_by, "
                        + "submitter_authenticated, threshold_source) "
                        + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (request_id) DO UPDATE SET "
                        + "model_id=EXCLUDED.model_id, score=EXCLUDED.score, threshold=EXCLUDED.threshold, decision=EXCLUDED.decision, "
                        + "explained=EXCLUDED.explained, tags_json=EXCLUDED.tags_json, submitted_at=EXCLUDED.submitted_at, "
                        + "completed_at=EXCLUDED.completed_at, gateway_ms=EXCLUDED.gateway_ms, model_ms=EXCLUDED.model_ms, "
                        + "batch_size=EXCLUDED.batch_size, stored_at=EXCLUDED.stored_at, submitted_by=EXCLUDED.submitted_by, "
                        + "submitter_authenticated=EXCLUDED.submitter_authenticated, threshold_source=EXCLUDED.threshold_source"
                : "MERGE INTO verification_result (request_id, model_id, score, threshold, decision, explained, tags_json, "
                        + "submitted_at, completed_at, gateway_ms, model_ms, batch_size, stored_at, submitted_by, "
                        + "submitter_authenticated, threshold_source) KEY (request_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, r.getRequestId());
            s.setString(2, r.getModelId());
            s.setDouble(3, r.getScore());
            s.setDouble(4, r.getThreshold());
            s.setString(5, r.getDecision().name());
            s.setBoolean(6, r.getExplained());
            s.setString(7, ResultTags.json(r.getTags()));
            s.setTimestamp(8, Timestamp.from(r.getSubmittedAtMs()));
            s.setTimestamp(9, Timestamp.from(r.getCompletedAtMs()));
            s.setDouble(10, r.getGatewayMs());
            s.setDouble(11, r.getModelMs());
            s.setInt(12, r.getBatchSize());
            s.setTimestamp(13, Timestamp.from(Instant.now()));
            s.setString(14, r.getSubmittedBy());
            s.setBoolean(15, r.getSubmitterAuthenticated());
            s.setString(16, r.getThresholdSource());
            s.executeUpdate();
        }
    }

    public void upsert(Explanation e) throws SQLException {
        explanations.upsert(connection, e);
    }

    /** For {@link KeyRotation}, which runs its batches on this store's connection. */
    Connection connection() {
        return connection;
    }

    public void commit() throws SQLException {
        connection.commit();
    }

    public void rollback() {
        explanations.forgetSchemaStored();
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the connection is going away anyway
        }
    }

    /** A stored decision, as listed by {@code xssab audit list}. */
    public record Row(String requestId, String modelId, double score, double threshold, String decision, boolean explained,
            Instant completedAt, String tagsJson, String submittedBy, boolean submitterAuthenticated, String thresholdSource) {}

    private static final String ROW_COLUMNS = "request_id, model_id, score, threshold, decision, explained, completed_at, "
            + "tags_json, submitted_by, submitter_authenticated, threshold_source";

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getDouble(4), rs.getString(5), rs.getBoolean(6),
                rs.getTimestamp(7).toInstant(), rs.getString(8), rs.getString(9), rs.getBoolean(10), rs.getString(11));
    }

    public List<Row> recent(int limit) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT " + ROW_COLUMNS
                + " FROM verification_result ORDER BY completed_at DESC, request_id LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
        }
        connection.commit();
        return rows;
    }

    public Optional<Row> result(String requestId) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT " + ROW_COLUMNS
                + " FROM verification_result WHERE request_id = ?")) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                Optional<Row> row = rs.next() ? Optional.of(row(rs)) : Optional.empty();
                connection.commit();
                return row;
            }
        }
    }

    public Optional<Explanation> explanation(String requestId) throws SQLException {
        Optional<Explanation> out = explanations.find(connection, requestId);
        connection.commit();
        return out;
    }

    public int count(String table) throws SQLException {
        if (!table.equals("verification_result") && !table.equals("explanation")) {
            throw new IllegalArgumentException(table);
        }
        try (PreparedStatement s = connection.prepareStatement("SELECT COUNT(*) FROM " + table);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            int n = rs.getInt(1);
            connection.commit();
            return n;
        }
    }

    /** When and why a request's face images and maps were erased (its decision row stays). */
    public record ImagesErased(Instant at, String why) {}

    /** Empty while the images of {@code requestId} are stored (or it has no explanation row). */
    public Optional<ImagesErased> imagesErased(String requestId) throws SQLException {
        Optional<ImagesErased> out = explanations.erasure(connection, requestId, false);
        connection.commit();
        return out;
    }

    /** Erases the images and maps stored more than {@code age} ago, as "retention P30D" (days are written as days). */
    public List<String> purgeImagesOlderThan(Duration age) throws SQLException {
        long seconds = age.toSeconds();
        String text = seconds % 86_400 == 0 && age.getNano() == 0 ? "P" + seconds / 86_400 + "D" : age.toString();
        return purgeImages(Instant.now().minus(age), "retention " + text);
    }

    /**
     * Erases the images and maps stored before {@code before} (retention), {@value #ERASE_BATCH}
     * rows per commit; returns the ids erased, oldest first.
     */
    public List<String> purgeImages(Instant before, String why) throws SQLException {
        List<String> due = explanations.storedBefore(connection, before);
        connection.commit();
        List<String> erased = new ArrayList<>();
        for (int from = 0; from < due.size(); from += ERASE_BATCH) {
            erased.addAll(eraseImages(due.subList(from, Math.min(due.size(), from + ERASE_BATCH)), why));
        }
        return erased;
    }

    /** Erases the images and maps of these requests, in one commit; returns those that had images to erase. */
    public List<String> eraseImages(Collection<String> requestIds, String why) throws SQLException {
        try {
            List<String> erased = explanations.erase(connection, requestIds, why, Instant.now());
            connection.commit();
            return erased;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /** The requests whose decision carries the tag {@code key=value}, by id. */
    public List<String> requestsTagged(String key, String value) throws SQLException {
        List<String> ids = ResultTags.requestsTagged(connection, key, value);
        connection.commit();
        return ids;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing
        }
    }
}
