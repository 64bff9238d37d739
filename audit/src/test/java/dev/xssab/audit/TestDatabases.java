package dev.xssab.audit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The audit databases a test runs on: the embedded H2 default in a temporary folder, or a schema
 * of its own in the PostgreSQL database that XSSAB_TEST_POSTGRES_URL names (other tests and
 * other checkouts may use that database at the same time), dropped on {@link #close}. Without
 * that variable a PostgreSQL case fails under CI=true (.ci/run starts the server) and is skipped elsewhere.
 */
final class TestDatabases implements AutoCloseable {
    private String url;
    private String user;
    private String password;
    private String schema;

    AuditDatabase of(String kind, Path tmp) throws SQLException {
        if (kind.equals("h2")) {
            return AuditDatabase.embedded(tmp);
        }
        url = System.getenv("XSSAB_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true but XSSAB_TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL for this test");
            }
            assumeTrue(false, "XSSAB_TEST_POSTGRES_URL not set: no PostgreSQL server to test against");
        }
        user = System.getenv().getOrDefault("XSSAB_TEST_POSTGRES_USER", "xssab");
        password = System.getenv().getOrDefault("XSSAB_TEST_POSTGRES_PASSWORD", "xssab");
        schema = "audit_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE SCHEMA " + schema);
        return new AuditDatabase(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password);
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        if (schema != null) {
            execute("DROP SCHEMA " + schema + " CASCADE");
            schema = null;
        }
    }
}
