package dev.xssab.audit;

import java.nio.file.Path;

/**
 * Where an audit store is: PostgreSQL by JDBC URL, or the embedded H2 file database. The sink and
 * the UI each open their own {@link AuditStore} on it.
 */
public record AuditDatabase(String jdbcUrl, String user, String password) {
    /** The embedded H2 file database in {@code dir}, as its default user. */
    public static AuditDatabase embedded(Path dir) {
        return new AuditDatabase(AuditStore.embeddedUrl(dir), "sa", "");
    }

    /** Migrates the schema and connects. */
    public AuditStore open() {
        return AuditStore.open(jdbcUrl, user, password);
    }

    /** The URL only: the password never reaches a log. */
    @Override
    public String toString() {
        return jdbcUrl;
    }
}
