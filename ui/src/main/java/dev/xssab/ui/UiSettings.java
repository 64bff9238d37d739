package dev.xssab.ui;

import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.SettingGroup;
import dev.xssab.config.SettingsCatalog;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings of {@code xssab ui}, declared once, and read through typed getters. Where the
 * aggregates and the services' health endpoints are follows from their declared ports unless
 * given ({@link #aggregatesUrlFrom}, {@link #healthUrlsFrom}): the UI module does not know those
 * services, the program that runs them all does.
 */
public final class UiSettings {
    public static final Setting HOST = new Setting("ui.host", "--ui-host", Type.STRING, "127.0.0.1", Setting.NON_EMPTY,
            "Address the web UI binds (loopback unless you mean otherwise).");
    public static final Setting PORT = new Setting("ui.port", "--ui-port", Type.INT, 8090, Setting.PORT, "Port of the web UI.");
    public static final Setting CREDENTIALS_FILE = new Setting("ui.credentials.file", "--ui-credentials", Type.STRING, null, null,
            "The UI's users, a file of user:pbkdf2-sha256$ITERATIONS$SALT$HASH:role lines, role viewer, auditor or operator"
                    + " (default: XSSAB_HOME/run/ui-credentials, which xssab up creates with one generated operator; xssab ui add-user"
                    + " adds one). Older user:password lines are read as operators, with a warning.");
    public static final Setting AGGREGATES_URL = new Setting("ui.aggregates.url", "--ui-aggregates-url", Type.STRING, null,
            Setting.NON_EMPTY, "The aggregates service, for the evaluation curves.");
    public static final Setting HEALTH_URLS = new Setting("ui.health.urls", "--ui-health-urls", Type.LIST, null, null,
            "service=URL of each service's /health/ready, for the health page.");

    public static final Setting TLS_KEYSTORE = new Setting("ui.tls.keystore", "--ui-tls-keystore", Type.STRING, null, null,
            "PKCS12 keystore with the UI's key and certificate: serves https (and marks the session cookie Secure) when set,"
                    + " plain http when empty.");
    public static final Setting TLS_KEYSTORE_PASSWORD = new Setting("ui.tls.keystore.password", "--ui-tls-keystore-password",
            Type.PASSWORD, null, null, "Password of that keystore.");

    public static final SettingGroup GROUP = new SettingGroup("xssab ui", List.of(HOST, PORT, CREDENTIALS_FILE, AGGREGATES_URL,
            HEALTH_URLS, TLS_KEYSTORE, TLS_KEYSTORE_PASSWORD));

    private final ServiceConfig config;

    public UiSettings(ServiceConfig config) {
        this.config = config;
    }

    /** {@link #AGGREGATES_URL} when not given: the aggregates' HTTP port on this host. */
    public static SettingsCatalog.Derivation aggregatesUrlFrom(Setting aggregatesPort) {
        return others -> "http://127.0.0.1:" + others.integer(aggregatesPort);
    }

    /**
     * {@link #HEALTH_URLS} when not given: each service's /health/ready at its metrics port on this
     * host ("gateway.metrics.port" gives gateway=http://127.0.0.1:9401/health/ready).
     */
    public static SettingsCatalog.Derivation healthUrlsFrom(List<Setting> metricsPorts) {
        return others -> {
            List<String> urls = new ArrayList<>();
            for (Setting port : metricsPorts) {
                String service = port.key().substring(0, port.key().indexOf('.'));
                urls.add(service + "=http://127.0.0.1:" + others.integer(port) + "/health/ready");
            }
            return String.join(",", urls);
        };
    }

    public String host() {
        return config.string(HOST);
    }

    public int port() {
        return config.integer(PORT);
    }

    /** The declared users file, or empty for the local stack's generated one. */
    public Optional<Path> credentialsFile() {
        return Optional.ofNullable(config.optional(CREDENTIALS_FILE)).map(Path::of);
    }

    /** TLS from {@link #TLS_KEYSTORE} when it is set, else plain HTTP. */
    public UiTls tls() throws IOException {
        String keystore = config.optional(TLS_KEYSTORE);
        return keystore == null || keystore.isBlank() ? UiTls.PLAIN : UiTls.load(Path.of(keystore), config.secret(TLS_KEYSTORE_PASSWORD));
    }

    public URI aggregatesUrl() {
        return URI.create(config.string(AGGREGATES_URL));
    }

    /** The health page's services and their URLs, in their order. */
    public Map<String, URI> healthUrls() {
        Map<String, URI> health = new LinkedHashMap<>();
        for (String entry : config.list(HEALTH_URLS)) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(HEALTH_URLS.key() + ": expected service=URL, not " + entry);
            }
            health.put(entry.substring(0, eq), URI.create(entry.substring(eq + 1)));
        }
        return health;
    }
}
