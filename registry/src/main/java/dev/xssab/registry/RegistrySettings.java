package dev.xssab.registry;

import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.SettingGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The settings of {@code xssab registry}, declared once, and read through typed getters. */
public final class RegistrySettings {
    public static final Setting HOST = new Setting("registry.host", "--registry-host", Type.STRING, "127.0.0.1", Setting.NON_EMPTY,
            "Address the registry binds.");
    public static final Setting PORT = new Setting("registry.port", "--registry-port", Type.INT, 8081, Setting.PORT,
            "Port of the registry.");
    public static final Setting METRICS_PORT = new Setting("registry.metrics.port", "--registry-metrics-port", Type.INT, 9405,
            Setting.PORT, "Port of the registry's /metrics and /health.");
    public static final Setting KEYSTORE = new Setting("registry.ssl.keystore.location", "--registry-keystore", Type.STRING, null,
            null, "PKCS12 keystore with the registry's certificate: serves https when set, http otherwise.");
    public static final Setting KEYSTORE_PASSWORD = new Setting("registry.ssl.keystore.password", "--registry-keystore-password",
            Type.PASSWORD, null, null, "Password of that keystore.");
    public static final Setting USERS_FILE = new Setting("registry.users.file", "--registry-users", Type.STRING, null, null,
            "HTTP basic authentication: a file of lines"
                    + " user:sha256-hex-of-password:read|write. Every request must then authenticate; read may GET and"
                    + " look up schemas, write may also register them and change compatibility.");

    public static final SettingGroup GROUP = new SettingGroup("xssab registry", List.of(HOST, PORT, METRICS_PORT, KEYSTORE,
            KEYSTORE_PASSWORD, USERS_FILE));

    private final ServiceConfig config;

    public RegistrySettings(ServiceConfig config) {
        this.config = config;
    }

    public String host() {
        return config.string(HOST);
    }

    public int port() {
        return config.integer(PORT);
    }

    public int metricsPort() {
        return config.integer(METRICS_PORT);
    }

    /** TLS when a keystore is set, basic authentication when a users file is. */
    public SchemaRegistryServer.Security security() throws IOException {
        String keystore = config.optional(KEYSTORE);
        String users = config.optional(USERS_FILE);
        return SchemaRegistryServer.Security.load(keystore == null ? null : Path.of(keystore), config.secret(KEYSTORE_PASSWORD),
                users == null ? null : Path.of(users));
    }
}
