package dev.xssab.audit;

import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.SettingGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The settings of {@code xssab audit} (the sink, list and show), declared once, and read through typed getters. */
public final class AuditSettings {
    public static final Setting JDBC_URL = new Setting("audit.jdbc.url", "--jdbc-url", Type.STRING, null, null,
            "JDBC URL of the audit store (jdbc:postgresql://...); embedded H2 in XSSAB_HOME/audit when empty.");
    public static final Setting JDBC_USER = new Setting("audit.jdbc.user", "--jdbc-user", Type.STRING, "sa", null, "Database user.");
    public static final Setting JDBC_PASSWORD = new Setting("audit.jdbc.password", "--jdbc-password", Type.PASSWORD, "", null,
            "Database password.");
    public static final Setting METRICS_PORT = new Setting("audit.metrics.port", "--audit-metrics-port", Type.INT, 9403,
            Setting.PORT, "Port of the audit sink's /metrics and /health.");
    public static final Setting GROUP_ID = new Setting("audit.group.id", "--audit-group", Type.STRING, "xssab-audit",
            Setting.NON_EMPTY, "Consumer group of the audit sink.");

    public static final Setting IMAGES_RETENTION = new Setting("audit.images.retention", "--images-retention", Type.STRING, "P30D",
            new PositiveDuration(), "How long the audit store keeps the face images and relevance maps of an explanation "
                    + "(ISO-8601, e.g. P30D or PT12H); the sink erases older ones every hour, and the decision row stays.");

    public static final Setting ENCRYPTION_KEY_FILE = new Setting("audit.encryption.key.file", "--audit-key-file", Type.STRING, null,
            null, "Key file (lines current=ID and ID=base64 of 32 bytes; mode 600) whose current key seals the face images and maps "
                    + "of each stored explanation (AES-256-GCM, a data key per row); xssab audit rotate-key creates it and adds keys. "
                    + "Empty: they are stored unencrypted. Without the file the sealed images cannot be read: back it up.");

    public static final SettingGroup GROUP = new SettingGroup("xssab audit run, list, show", List.of(JDBC_URL, JDBC_USER,
            JDBC_PASSWORD, METRICS_PORT, GROUP_ID, IMAGES_RETENTION, ENCRYPTION_KEY_FILE));

    private final ServiceConfig config;

    public AuditSettings(ServiceConfig config) {
        this.config = config;
    }

    /** The declared database, or the embedded one in {@code embeddedDir} when no URL is set, with the declared key file. */
    public AuditDatabase database(Path embeddedDir) {
        String url = jdbcUrl();
        return new AuditDatabase(url != null ? url : AuditStore.embeddedUrl(embeddedDir), config.string(JDBC_USER),
                config.secret(JDBC_PASSWORD), encryptionKeyFile().orElse(null));
    }

    /** The key file the face images are sealed with; empty: stored unencrypted. */
    public Optional<Path> encryptionKeyFile() {
        return Optional.ofNullable(config.optional(ENCRYPTION_KEY_FILE)).map(Path::of);
    }

    /** The declared JDBC URL, or null for the embedded store. */
    public String jdbcUrl() {
        return config.optional(JDBC_URL);
    }

    public int metricsPort() {
        return config.integer(METRICS_PORT);
    }

    public String groupId() {
        return config.string(GROUP_ID);
    }

    public Duration imagesRetention() {
        return Duration.parse(config.string(IMAGES_RETENTION));
    }

    /** An ISO-8601 duration longer than zero. */
    /** An ISO-8601 duration longer than zero (P30D, PT12H), or empty: the one rule for the setting and for {@code audit purge}. */
    public static java.util.Optional<Duration> positiveDuration(String text) {
        try {
            Duration d = text == null ? null : Duration.parse(text);
            return d != null && d.compareTo(Duration.ZERO) > 0 ? java.util.Optional.of(d) : java.util.Optional.empty();
        } catch (DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }

    static final class PositiveDuration implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (!(value instanceof String text) || positiveDuration(text).isEmpty()) {
                throw new ConfigException(name, value, "not an ISO-8601 duration longer than zero (e.g. P30D, PT12H)");
            }
        }

        @Override
        public String toString() {
            return "ISO-8601 duration > 0";
        }
    }
}
