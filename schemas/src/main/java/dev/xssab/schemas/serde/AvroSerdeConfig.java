package dev.xssab.schemas.serde;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** The configuration keys of the serdes, named as Confluent names them. */
public final class AvroSerdeConfig {
    /** Base URL of the registry (Confluent accepts a comma-separated list; the first is used). */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Register the writer's schema on first use (default true); false looks it up instead. */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Deserialize to the generated SpecificRecord class (true) or a GenericRecord (default false). */
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

    /** Where basic-auth credentials come from: USER_INFO (default) or URL (user:password@host). */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    /** user:password, with source USER_INFO. Confluent also reads the schema.registry.-prefixed form. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String PREFIXED_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    /** The truststore of an https registry, in Confluent's keys. */
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";

    private AvroSerdeConfig() {}

    /** The value of a key, or null when absent or blank. */
    static String string(Map<String, ?> configs, String key) {
        Object v = configs.get(key);
        if (v instanceof org.apache.kafka.common.config.types.Password p) {
            v = p.value();
        }
        return v == null || v.toString().isBlank() ? null : v.toString();
    }

    static String url(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, url, "the schema registry URL is required");
        }
        return url.toString();
    }

    static boolean flag(Map<String, ?> configs, String key, boolean dflt) {
        Object v = configs.get(key);
        return v == null ? dflt : Boolean.parseBoolean(v.toString());
    }
}
