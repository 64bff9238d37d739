package dev.xssab.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The settings of one process, read from its sources in one order: a properties file, then the
 * environment, then flags; a later source wins. Every value is parsed and validated at once, so
 * a bad value fails at start with a message naming the key and where it came from.
 *
 * <p>Besides the declared settings, a settings file may hold Kafka client settings under
 * {@link CommonSettings#KAFKA_PREFIX}; they, and the keys of {@link CommonSettings#CLIENT_CONFIG_FILE}, reach
 * every Kafka client through {@link #kafka()}. Any other key is a typo and fails.
 */
public final class ServiceConfig {
    private final AbstractConfig values;
    private final Map<String, Object> kafkaClientSettings;
    private final Map<String, String> origins;

    private ServiceConfig(AbstractConfig values, Map<String, Object> kafkaClientSettings, Map<String, String> origins) {
        this.values = values;
        this.kafkaClientSettings = Collections.unmodifiableMap(kafkaClientSettings);
        this.origins = origins;
    }

    /**
     * @param catalog the settings this program declares
     * @param file a properties file, or null
     * @param env the process environment ({@code System.getenv()}); only XSSAB_ variables of declared settings count
     * @param flags values given on the command line, by setting key
     * @throws ConfigException naming the key, its value's source and what is wrong
     */
    public static ServiceConfig load(SettingsCatalog catalog, Path file, Map<String, String> env, Map<String, String> flags) {
        Sources sources = new Sources();
        if (file != null) {
            sources.readFile(catalog, file);
        }
        for (Setting s : catalog.all()) {
            String value = env.get(s.env());
            if (value != null) {
                sources.put(s.key(), value, "environment variable " + s.env());
            }
        }
        flags.forEach((key, value) -> {
            Setting s = catalog.byKey(key).orElseThrow(() -> new ConfigException("unknown setting '" + key + "'"));
            sources.put(key, value, "flag " + s.flag());
        });
        AbstractConfig parsed = sources.parse(catalog);
        ServiceConfig given = new ServiceConfig(parsed, Map.of(), sources.origins);
        for (Setting s : catalog.all()) {
            var derivation = catalog.derivation(s);
            if (derivation.isPresent() && !sources.values.containsKey(s.key())) {
                sources.put(s.key(), derivation.get().derive(given), "derived from the settings it follows");
            }
        }
        AbstractConfig complete = sources.parse(catalog);
        return new ServiceConfig(complete, kafkaClientSettings(complete, sources.kafka), sources.origins);
    }

    /** The values given so far, each with where it came from, and the Kafka client settings of the file. */
    private static final class Sources {
        final Map<String, Object> values = new LinkedHashMap<>();
        final Map<String, String> origins = new HashMap<>();
        final Map<String, Object> kafka = new LinkedHashMap<>();

        void put(String key, String value, String origin) {
            values.put(key, value);
            origins.put(key, origin);
        }

        void readFile(SettingsCatalog catalog, Path file) {
            Properties p = read(file, "--config");
            for (String key : p.stringPropertyNames()) {
                String value = p.getProperty(key);
                if (key.startsWith(CommonSettings.KAFKA_PREFIX)) {
                    kafka.put(key.substring(CommonSettings.KAFKA_PREFIX.length()), value);
                } else if (catalog.byKey(key).isPresent()) {
                    put(key, value, file.toString());
                } else {
                    throw new ConfigException("unknown setting '" + key + "' in " + file + " (see ./xssab config --doc;"
                            + " Kafka client settings take the prefix " + CommonSettings.KAFKA_PREFIX + ")");
                }
            }
        }

        AbstractConfig parse(SettingsCatalog catalog) {
            try {
                return new AbstractConfig(catalog.definition(), values, false);
            } catch (ConfigException e) {
                String key = values.keySet().stream().filter(k -> e.getMessage() != null && e.getMessage().contains(" " + k))
                        .findFirst().orElse(null);
                throw new ConfigException(e.getMessage() + (key != null ? " (from " + origins.get(key) + ")" : ""));
            }
        }
    }

    /** The client properties file as the base, the settings file's kafka.* keys over it; replication and servers refused. */
    private static Map<String, Object> kafkaClientSettings(AbstractConfig parsed, Map<String, Object> fromSettingsFile) {
        Map<String, Object> kafka = fromSettingsFile;
        String clientFile = parsed.getString(CommonSettings.CLIENT_CONFIG_FILE.key());
        if (clientFile != null && !clientFile.isBlank()) {
            Properties p = read(Path.of(clientFile), CommonSettings.CLIENT_CONFIG_FILE.key());
            Map<String, Object> fromFile = new LinkedHashMap<>();
            p.stringPropertyNames().forEach(k -> fromFile.put(k, p.getProperty(k)));
            fromFile.putAll(kafka);
            kafka = fromFile;
        }
        if (kafka.containsKey("bootstrap.servers")) {
            throw new ConfigException("bootstrap.servers is a setting of its own (" + CommonSettings.BOOTSTRAP_SERVERS.flag()
                    + ", " + CommonSettings.BOOTSTRAP_SERVERS.env() + "); do not give it as a Kafka client setting");
        }
        for (String key : kafka.keySet()) {
            Setting declared = Replication.DECIDED_HERE.get(key);
            if (declared != null) {
                throw new ConfigException(CommonSettings.KAFKA_PREFIX + key + ": replication is a declared setting of its own ("
                        + declared.key() + ", " + declared.env() + "); do not give it as a Kafka client setting");
            }
        }
        return kafka;
    }

    private static Properties read(Path file, String what) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException(what + ": no such file: " + file);
        } catch (IOException e) {
            throw new ConfigException(what + ": cannot read " + file + ": " + e.getMessage());
        }
        return p;
    }

    public String string(Setting s) {
        return values.getString(s.key());
    }

    /** The value, or null when unset or blank. */
    public String optional(Setting s) {
        Object v = values.values().get(s.key());
        if (v instanceof Password p) {
            return p.value() == null || p.value().isEmpty() ? null : p.value();
        }
        return v == null || v.toString().isBlank() ? null : v.toString();
    }

    public java.util.List<String> list(Setting s) {
        return values.getList(s.key());
    }

    public int integer(Setting s) {
        return values.getInt(s.key());
    }

    public long longValue(Setting s) {
        return values.getLong(s.key());
    }

    public short shortValue(Setting s) {
        return values.getShort(s.key());
    }

    public boolean flag(Setting s) {
        return values.getBoolean(s.key());
    }

    /** A password's value (empty string when unset). */
    public String secret(Setting s) {
        Password p = values.getPassword(s.key());
        return p == null ? "" : p.value();
    }

    /** The user's Kafka client settings (kafka.* keys and client.config.file), as every client gets them. */
    public Map<String, Object> kafkaClientSettings() {
        return kafkaClientSettings;
    }

    /**
     * The serde configuration in Confluent's keys: registry URL and credentials, plus
     * auto-registration and specific records, as Confluent's KafkaAvroSerializer reads them.
     */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> serde = new HashMap<>();
        serde.put(CommonSettings.REGISTRY_URL.key(), string(CommonSettings.REGISTRY_URL));
        serde.put("auto.register.schemas", true);
        serde.put("specific.avro.reader", true);
        serde.put(CommonSettings.REGISTRY_AUTH_SOURCE.key(), string(CommonSettings.REGISTRY_AUTH_SOURCE));
        for (Setting s : new Setting[] {CommonSettings.REGISTRY_USER_INFO, CommonSettings.REGISTRY_TRUSTSTORE,
            CommonSettings.REGISTRY_TRUSTSTORE_PASSWORD, CommonSettings.REGISTRY_TRUSTSTORE_TYPE}) {
            String v = optional(s);
            if (v != null) {
                serde.put(s.key(), v);
            }
        }
        return serde;
    }
}
