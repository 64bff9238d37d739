package dev.xssab.audit;

import java.nio.file.Path;

/**
 * Where an audit store is: PostgreSQL by JDBC URL, or the embedded H2 file database; and the key
 * file its face images are sealed with, or null to store them unencrypted. The sink and the UI each
 * open their own {@link AuditStore} on it.
 *
 * @param keyFile {@link AuditKeys}' file; null: no encryption at rest
 */
public record AuditDatabase(String jdbcUrl, String user, String password, Path keyFile) {
    /** A store without a key file. */
    public AuditDatabase(String jdbcUrl, String user, String password) {
        this(jdbcUrl, user, password, null);
    }

    /** The embedded H2 file database in {@code dir}, as its default user. */
    public static AuditDatabase embedded(Path dir) {
        return new AuditDatabase(AuditStore.embeddedUrl(dir), "sa", "");
    }

    /** The same database, its images sealed under the keys of {@code file}. */
    public AuditDatabase withKeyFile(Path file) {
        return new AuditDatabase(jdbcUrl, user, password, file);
    }

    /** Reads the key file (when there is one), migrates the schema and connects. */
    public AuditStore open() {
        return AuditStore.open(jdbcUrl, user, password, keyFile == null ? null : AuditKeys.read(keyFile));
    }

    /** The URL only: the password never reaches a log. */
    @Override
    public String toString() {
        return jdbcUrl;
    }
}
