package dev.xssab.chaos;

import dev.xssab.audit.AuditDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A schema of its own for each chaos run in the harness's PostgreSQL database. */
public final class AuditSchemas {
    private AuditSchemas() {}

    /**
     * The same PostgreSQL database, in a schema made now (the audit's migrations create its tables
     * there), so that a run's audit holds exactly that run's rows.
     */
    public static AuditDatabase isolated(AuditDatabase database, String schema) throws SQLException {
        if (!schema.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("a schema name of a-z, 0-9 and _: " + schema);
        }
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        }
        String url = database.jdbcUrl();
        return new AuditDatabase(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, database.user(), database.password());
    }
}
